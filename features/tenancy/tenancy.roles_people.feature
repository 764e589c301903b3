@tenancy @roles @OWASP-API5
Feature: Who may do what with a tenant, its settings and its people
  As Alice, the admin of Acme
  I want each role to reach exactly the identity functions its job needs
  So that our people, our settings and our audit trail stay in the right hands

  In each table "yes" means the call goes through and "no" that it is refused as not allowed: for
  the record in question, for one that never existed and for one of another company alike, since
  the role is checked before anything is looked up. Somebody not signed in is asked to sign in
  first, whatever they try. A dash marks a call the platform's contract leaves open.

  Rule: the operator sets up tenants; everybody at a tenant reads it and its settings; only its admin changes them

    @REQ-TEN-ROLES-01 @REQ-TEN-ROLES-02 @REQ-TEN-ROLES-03 @REQ-TEN-AUTHN-01 @REQ-TEN-TENANT-07
    @REQ-TEN-SETTINGS-01 @ASVS-8.2.1 @allure.severity:critical
    Scenario: who may set up tenants and read or change a tenant's settings
      When each role tries each of these:
        | what                               | admin | sales manager | sales rep | analyst | auditor | operator | not signed in |
        | set up a tenant                    | no    | no            | no        | no      | no      | yes      | no            |
        | read the tenant's usage and limits | yes   | yes           | yes       | yes     | yes     | —        | no            |
        | read the settings                  | yes   | yes           | yes       | yes     | yes     | —        | no            |
        | change the settings                | yes   | no            | no        | no      | no      | no       | no            |
        | see who one is                     | yes   | yes           | yes       | yes     | yes     | yes      | no            |
      Then each is allowed exactly where the table says yes, and refused everywhere else

  Rule: admins manage people; admins and auditors read them; everybody reads themselves and may rename themselves

    @REQ-TEN-ROLES-01 @REQ-TEN-ROLES-02 @REQ-TEN-ROLES-03 @REQ-TEN-AUTHN-01 @REQ-TEN-USER-03 @REQ-TEN-USER-05
    @REQ-TEN-USER-06 @ASVS-8.2.1 @allure.severity:critical
    Scenario: who may add, read and change Acme's people
      When each role tries each of these:
        | what                       | admin | sales manager | sales rep | analyst | auditor | operator | not signed in |
        | add a colleague            | yes   | no            | no        | no      | no      | no       | no            |
        | look through the people    | yes   | no            | no        | no      | yes     | no       | no            |
        | read a colleague           | yes   | no            | no        | no      | yes     | no       | no            |
        | read oneself               | yes   | yes           | yes       | yes     | yes     | —        | no            |
        | rename a colleague         | yes   | no            | no        | no      | no      | no       | no            |
        | change a colleague's roles | yes   | no            | no        | no      | no      | no       | no            |
        | deactivate a colleague     | yes   | no            | no        | no      | no      | no       | no            |
        | rename oneself             | yes   | yes           | yes       | yes     | no      | —        | no            |
        | make oneself an admin      | —     | no            | no        | no      | no      | —        | no            |
        | deactivate oneself         | —     | no            | no        | no      | no      | —        | no            |
      Then each is allowed exactly where the table says yes, and refused everywhere else

  Rule: admins and auditors read the audit trail of every service, and nobody else does

    @REQ-TEN-ROLES-01 @REQ-TEN-ROLES-02 @REQ-TEN-AUTHN-01 @REQ-TEN-AUDIT-01 @allure.severity:critical
    Scenario: who may read the audit trails
      When each role tries each of these:
        | what                        | admin | sales manager | sales rep | analyst | auditor | operator | not signed in |
        | read identity's audit trail | yes   | no            | no        | no      | yes     | no       | no            |
        | read the sales audit trail  | yes   | no            | no        | no      | yes     | no       | no            |
        | read anomaly's audit trail  | yes   | no            | no        | no      | yes     | no       | no            |
      Then each is allowed exactly where the table says yes, and refused everywhere else
