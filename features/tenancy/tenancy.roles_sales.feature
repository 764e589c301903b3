@tenancy @roles @OWASP-API5
Feature: Who may do what in sales
  As Maria, Acme's sales manager
  I want sales work in the hands of our sales people, readable by our auditors and closed to everybody else
  So that our clients, deals and money are handled only by the people whose job it is

  In each table "yes" means the call goes through and "no" that it is refused as not allowed: for
  the record in question, for one that never existed and for one of another company alike, since
  the role is checked before anything is looked up. Somebody not signed in is asked to sign in
  first, whatever they try. The sales rep works on her own clients and deals here; what a rep may
  do with a colleague's is the business of the sales features.

  Rule: sales people work with clients and deals, auditors only read them, analysts and the operator have no part in them

    @REQ-TEN-ROLES-01 @REQ-TEN-ROLES-02 @REQ-TEN-ROLES-03 @REQ-TEN-ROLES-SALES @REQ-TEN-OPERATOR-01
    @REQ-TEN-AUTHN-01 @allure.severity:critical
    Scenario: who may work with Acme's clients
      When each role tries each of these:
        | what                     | admin | sales manager | sales rep | analyst | auditor | operator | not signed in |
        | add a client             | yes   | yes           | yes       | no      | no      | no       | no            |
        | look through the clients | yes   | yes           | yes       | no      | yes     | no       | no            |
        | read a client            | yes   | yes           | yes       | no      | yes     | no       | no            |
        | change a client          | yes   | yes           | yes       | no      | no      | no       | no            |
        | delete a client          | yes   | yes           | yes       | no      | no      | no       | no            |
      Then each is allowed exactly where the table says yes, and refused everywhere else

    @REQ-TEN-ROLES-01 @REQ-TEN-ROLES-02 @REQ-TEN-ROLES-03 @REQ-TEN-ROLES-SALES @REQ-TEN-OPERATOR-01
    @REQ-TEN-AUTHN-01 @allure.severity:critical
    Scenario: who may work with Acme's deals
      When each role tries each of these:
        | what                          | admin | sales manager | sales rep | analyst | auditor | operator | not signed in |
        | open a deal                   | yes   | yes           | yes       | no      | no      | no       | no            |
        | look through the deals        | yes   | yes           | yes       | no      | yes     | no       | no            |
        | read a deal                   | yes   | yes           | yes       | no      | yes     | no       | no            |
        | change a deal                 | yes   | yes           | yes       | no      | no      | no       | no            |
        | move a deal to the next stage | yes   | yes           | yes       | no      | no      | no       | no            |
      Then each is allowed exactly where the table says yes, and refused everywhere else

  Rule: managers and admins decide discounts and record payments; the pipeline is for managers, admins and auditors

    @REQ-TEN-ROLES-01 @REQ-TEN-ROLES-02 @REQ-TEN-ROLES-03 @REQ-TEN-ROLES-SALES @REQ-TEN-OPERATOR-01
    @REQ-TEN-AUTHN-01 @allure.severity:critical
    Scenario: who may decide discounts, handle payments and read reports and notices
      When each role tries each of these:
        | what                            | admin | sales manager | sales rep | analyst | auditor | operator | not signed in |
        | decide on a discount            | yes   | yes           | no        | no      | no      | no       | no            |
        | record a payment                | yes   | yes           | no        | no      | no      | no       | no            |
        | read a deal's payments          | yes   | yes           | yes       | no      | yes     | no       | no            |
        | read one's commission statement | yes   | yes           | yes       | no      | yes     | no       | no            |
        | read the pipeline report        | yes   | yes           | no        | no      | yes     | no       | no            |
        | read one's notifications        | yes   | yes           | yes       | no      | yes     | no       | no            |
        | mark a notification read       | yes   | yes           | yes       | no      | no      | no       | no            |
      Then each is allowed exactly where the table says yes, and refused everywhere else
