@tenancy @roles @OWASP-API5
Feature: Who may do what in anomaly detection
  As Ana, Acme's analyst
  I want our datasets and detectors in the hands of analysts and admins, readable by our auditors
  and closed to sales people and the platform operator
  So that our detectors stay trustworthy and our measurements stay ours

  In each table "yes" means the call goes through and "no" that it is refused as not allowed: for
  the record in question, for one that never existed and for one of another company alike, since
  the role is checked before anything is looked up. Somebody not signed in is asked to sign in
  first, whatever they try.

  Rule: analysts and admins work with datasets and detectors, auditors only read them, sales people and the operator have no part in them

    @REQ-TEN-ROLES-01 @REQ-TEN-ROLES-02 @REQ-TEN-ROLES-03 @REQ-TEN-ROLES-ANOMALY @REQ-TEN-OPERATOR-01
    @REQ-TEN-AUTHN-01 @REQ-ANOM-ACCESS-02 @REQ-ANOM-ACCESS-03 @allure.severity:critical
    Scenario: who may work with Acme's datasets
      When each role tries each of these:
        | what                      | admin | sales manager | sales rep | analyst | auditor | operator | not signed in |
        | upload a dataset file     | yes   | no            | no        | yes     | no      | no       | no            |
        | upload a dataset table    | yes   | no            | no        | yes     | no      | no       | no            |
        | look through the datasets | yes   | no            | no        | yes     | yes     | no       | no            |
        | read a dataset            | yes   | no            | no        | yes     | yes     | no       | no            |
        | profile a dataset         | yes   | no            | no        | yes     | yes     | no       | no            |
        | delete a dataset          | yes   | no            | no        | yes     | no      | no       | no            |
      Then each is allowed exactly where the table says yes, and refused everywhere else

    @REQ-TEN-ROLES-01 @REQ-TEN-ROLES-02 @REQ-TEN-ROLES-03 @REQ-TEN-ROLES-ANOMALY @REQ-TEN-OPERATOR-01
    @REQ-TEN-AUTHN-01 @REQ-ANOM-ACCESS-01 @REQ-ANOM-ACCESS-02 @REQ-ANOM-ACCESS-03 @allure.severity:critical
    Scenario: who may create, train and use Acme's detectors
      When each role tries each of these:
        | what                            | admin | sales manager | sales rep | analyst | auditor | operator | not signed in |
        | create a detector               | yes   | no            | no        | yes     | no      | no       | no            |
        | look through the detectors      | yes   | no            | no        | yes     | yes     | no       | no            |
        | read a detector                 | yes   | no            | no        | yes     | yes     | no       | no            |
        | train a detector                | yes   | no            | no        | yes     | no      | no       | no            |
        | read a training job             | yes   | no            | no        | yes     | yes     | no       | no            |
        | check readings with a detector  | yes   | no            | no        | yes     | no      | no       | no            |
        | check a dataset with a detector | yes   | no            | no        | yes     | no      | no       | no            |
        | stream readings to a detector   | yes   | no            | no        | yes     | no      | no       | no            |
        | label a reading for a detector  | yes   | no            | no        | yes     | no      | no       | no            |
        | evaluate a detector             | yes   | no            | no        | yes     | no      | no       | no            |
      Then each is allowed exactly where the table says yes, and refused everywhere else
