@tenancy @isolation @OWASP-API1
Feature: Nothing of one tenant exists for another
  As Acme, one of many companies on the platform
  I want every record of ours to be unknown to other companies, whatever they try
  So that sharing the platform never means sharing our customers, data or people

  Background:
    Given Bob is an admin at Globex

  Rule: whatever another tenant does with one of Acme's records, it is answered as for a record that never existed

    @REQ-TEN-ISO-01 @REQ-ANOM-ACCESS-04 @ASVS-8.2.2 @allure.severity:critical
    Scenario Outline: Globex's admin tries everything on Acme's <record>
      Given Acme has its own <record>
      When Bob of Globex tries everything there is to do with Acme's <record>
      Then every one of Bob's attempts is answered as if that record had never existed
      And Acme's <record> is just as it was

      Examples:
        | record                 |
        | client                 |
        | deal awaiting approval |
        | won deal               |
        | notification           |
        | dataset                |
        | trained detector       |
        | training job           |
        | member of staff        |

  Rule: lists, searches and filters show only the tenant's own records

    @REQ-TEN-ISO-02 @allure.severity:critical
    Scenario: Bob's search for "Northwind" finds only Globex's client
      Given Rita has a client called "Northwind Traders"
      And Gina has a client called "Northwind Logistics"
      When Bob searches Globex's clients for "Northwind"
      Then he finds "Northwind Logistics" and nothing of Acme's

    @REQ-TEN-ISO-02 @allure.severity:critical
    Scenario: none of Globex's lists holds anything of Acme's
      Given Acme has records of every kind
      And Globex has records of every kind
      When Bob looks through every list of Globex's
      Then nothing of Acme's is in any of Bob's lists

    @REQ-TEN-ISO-01 @REQ-TEN-ISO-02 @allure.severity:critical
    Scenario Outline: Globex's lists filtered by Acme's <record> are those of one that never existed
      Given Acme has its own <record>
      When Bob of Globex filters his lists by Acme's <record>
      Then every one of Bob's attempts is answered as if that record had never existed

      Examples:
        | record          |
        | member of staff |
        | client          |
        | dataset         |

  Rule: naming another tenant's record in a request is naming a record that does not exist

    @REQ-TEN-ISO-03 @REQ-ANOM-ACCESS-04 @allure.severity:critical
    Scenario Outline: Bob names Acme's <record> in Globex's own requests
      Given Acme has its own <record>
      When Bob of Globex names Acme's <record> in every request that names one
      Then every one of Bob's attempts is answered as if that record had never existed

      Examples:
        | record  |
        | client  |
        | dataset |
