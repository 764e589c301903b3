@anomaly @access
Feature: Who may work with datasets and detectors
  As Acme's admin
  I want only our analysts and admins to change our datasets and detectors, auditors to read them,
  and no other company to reach them at all
  So that our detectors stay trustworthy and our measurements stay ours

  Background:
    Given Ana is an analyst at Acme

  Rule: analysts and admins upload, train and check

    @REQ-ANOM-ACCESS-01 @OWASP-API5
    Scenario: Alice, an admin, trains a detector on the boiler readings and checks them, as Ana can
      Given Alice is an admin at Acme
      When Alice trains a robust z-score detector on the boiler readings and checks them with it
      Then the detector flags the 60 °C reading and no other

  Rule: auditors read everything but change nothing

    @REQ-ANOM-ACCESS-02 @OWASP-API5
    Scenario: Otto reads Ana's dataset, its profile, her detector and its training job
      Given Ana has trained a robust z-score detector on the boiler readings
      And Otto is an auditor at Acme
      When Otto tries these on Ana's datasets and detectors:
        | attempt               |
        | list the datasets     |
        | read the dataset      |
        | read its profile      |
        | list the detectors    |
        | read the detector     |
        | read the training job |
      Then each of these attempts shows him Ana's work

    @REQ-ANOM-ACCESS-02 @OWASP-API5 @allure.severity:critical
    Scenario: Otto can neither upload, delete, create, train, check, stream, give feedback nor evaluate
      Given Ana has trained a robust z-score detector on the boiler readings
      And Otto is an auditor at Acme
      When Otto tries these on Ana's datasets and detectors:
        | attempt                          |
        | upload a dataset                 |
        | delete the dataset               |
        | create a detector                |
        | retrain the detector             |
        | check readings with the detector |
        | stream readings to the detector  |
        | give feedback on a reading       |
        | evaluate the detector            |
      Then each of these attempts is refused as not allowed
      And Ana's dataset and detector are as they were

  Rule: sales people have no part in anomaly detection

    @REQ-ANOM-ACCESS-03 @OWASP-API5 @allure.severity:critical
    Scenario Outline: <who>, a <role>, can neither see nor use Ana's datasets and detectors
      Given Ana has trained a robust z-score detector on the boiler readings
      And <who> is a <role> at Acme
      When <who> tries these on Ana's datasets and detectors:
        | attempt                          |
        | list the datasets                |
        | read the dataset                 |
        | list the detectors               |
        | read the detector                |
        | read the training job            |
        | upload a dataset                 |
        | check readings with the detector |
      Then each of these attempts is refused as not allowed

      Examples:
        | who   | role          |
        | Maria | sales manager |
        | Rita  | sales rep     |

  Rule: another tenant's dataset, detector or training job answers exactly like one that never existed

    @REQ-ANOM-ACCESS-04 @OWASP-API1 @allure.severity:critical
    Scenario Outline: Bob of Globex cannot reach Acme's <thing>
      Given Ana has trained a robust z-score detector on the boiler readings
      And Bob is an admin at Globex
      And Bob has trained a robust z-score detector on the boiler readings
      When Bob tries every way to reach Acme's <thing>
      Then each of his attempts is answered as if Acme's <thing> had never existed
      And Ana's dataset and detector are as they were

      Examples:
        | thing        |
        | dataset      |
        | detector     |
        | training job |
