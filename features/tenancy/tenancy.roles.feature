@tenancy @roles @OWASP-API5
Feature: Who may do what with a tenant's people and settings
  As Alice, the admin of Acme
  I want each role to reach exactly the identity functions it needs
  So that people, audit trail and settings stay in the right hands

  Background:
    Given Alice is an admin at Acme

  Rule: only admins manage people, admins and auditors read them, auditors change nothing

    @REQ-TEN-ROLES-01 @ASVS-8.2.1 @allure.severity:critical
    Scenario Outline: <who> trying to <action>: identity <verdict> it
      Given <who> is a member of Acme
      When <who> tries to <action> in identity
      Then identity <verdict> it

      Examples:
        | who   | action                            | verdict |
        | Maria | add a colleague                   | forbids |
        | Otto  | look through Acme's people        | allows  |
        | Rita  | look through Acme's people        | forbids |
        | Otto  | read identity's audit trail       | allows  |
        | Maria | read identity's audit trail       | forbids |
        | Otto  | change the discount threshold     | forbids |

  Rule: every member reads the discount threshold, only an admin changes it

    @REQ-TEN-SETTINGS-01
    Scenario: Alice lowers the discount threshold to 12.5 % and Rita reads it
      Given Rita is a sales rep at Acme
      When Alice sets Acme's discount approval threshold to 12.5 %
      Then Rita reads a discount approval threshold of 12.5 %

  Rule: the platform operator sets up tenants but never works in sales or anomaly detection

    @REQ-TEN-OPERATOR-01 @allure.severity:critical
    Scenario: the operator's pass is refused by sales and anomaly detection
      When the operator tries to list and add clients and to list datasets and detectors
      Then every one of the operator's attempts is forbidden
