@tenancy @people
Feature: A tenant's people and their roles
  As Alice, the admin of Acme
  I want to add our people with the roles of their jobs, each email once, and always keep an admin
  So that everybody at Acme works with the right access and Acme never locks itself out

  Background:
    Given Alice is an admin at Acme

  Rule: an admin adds people with one or more of the five roles, and no other role

    @REQ-TEN-USER-03 @REQ-TEN-USER-04
    Scenario: Alice adds a colleague who is both an analyst and an auditor
      When Alice adds a colleague who is an analyst and an auditor
      Then the colleague is an active member of Acme with exactly those roles

    @REQ-TEN-USER-04 @allure.severity:critical
    Scenario Outline: a colleague cannot be given the role "<role>"
      When Alice adds a colleague with the role "<role>"
      Then that colleague is refused because of the roles

      Examples:
        | role      |
        | superuser |
        | operator  |

  Rule: an email belongs to one person within a tenant, and is free in every other tenant

    @REQ-TEN-USER-01
    Scenario: Alice cannot add a second person with Rita's email
      Given Rita is a sales rep at Acme
      When Alice adds a colleague with Rita's email
      Then that colleague is refused because the email is taken

    @REQ-TEN-USER-01
    Scenario: Bob may add a person at Globex with the email Rita uses at Acme
      Given Rita is a sales rep at Acme
      And Bob is an admin at Globex
      When Bob adds a colleague with Rita's email
      Then that colleague is added

  Rule: a person may change their own name, and nothing else about themselves

    @REQ-TEN-USER-06
    Scenario: Rita changes her name
      Given Rita is a sales rep at Acme
      When Rita changes her name to "Rita Romero"
      Then Rita's name reads "Rita Romero"

    @REQ-TEN-USER-06 @OWASP-API3 @allure.severity:critical
    Scenario Outline: Rita cannot <change>
      Given Rita is a sales rep at Acme
      When Rita tries to <change>
      Then that change is refused as not allowed
      And Rita is still only an active sales rep

      Examples:
        | change                             |
        | make herself an admin              |
        | make herself a sales manager too   |
        | deactivate her own account         |

    @REQ-TEN-USER-06 @allure.severity:critical
    Scenario: Rita cannot rename Ravi
      Given Ravi is a sales rep at Acme
      When Rita tries to rename Ravi
      Then that change is refused as not allowed
      And Ravi's name reads "Ravi Rao"

  Rule: a tenant always keeps an active admin

    @REQ-TEN-USER-02 @allure.severity:critical
    Scenario Outline: Alice, Acme's only admin, cannot <change>
      When Alice tries to <change>
      Then that change is refused as a conflict
      And Alice is still an active admin of Acme

      Examples:
        | change                     |
        | give up her admin role     |
        | deactivate her own account |

    @REQ-TEN-USER-02 @allure.severity:critical
    Scenario: an admin who was deactivated does not count
      Given Alice has also made Maria an admin
      And Alice has deactivated Maria
      When Alice tries to give up her admin role
      Then that change is refused as a conflict
      And Alice is still an active admin of Acme

    @REQ-TEN-USER-02
    Scenario: once Maria is an admin too, Alice may give up her admin role
      Given Alice has also made Maria an admin
      When Alice tries to give up her admin role
      Then that change goes through
      And Alice is no longer an admin of Acme
