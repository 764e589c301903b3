@auth @access-changes @OWASP-API5
Feature: Changes to a person's access apply to the passes they already hold
  As Alice, the admin of Acme
  I want deactivations and role changes to reach passes that were handed out before
  So that somebody who left or changed jobs cannot go on working with an old pass

  Background:
    Given Alice is an admin at Acme

  Rule: a deactivated person's pass stops working at once on identity and within 2 seconds everywhere

    @REQ-AUTH-DEACTIVATE-01 @allure.severity:critical
    Scenario: Rita is deactivated while signed in
      Given Rita is a sales rep at Acme
      And Rita has signed in to Acme
      And identity, sales and anomaly all recognise the pass she holds
      When Alice deactivates Rita
      Then the pass Rita holds is refused by identity at once and by sales and anomaly within 2 seconds
      And Rita can no longer sign in

  Rule: a change of roles takes effect within 2 seconds, also for passes already handed out

    @REQ-AUTH-ROLES-01 @allure.severity:critical
    Scenario Outline: <who>'s pass <after> <door> within 2 seconds of <who> becoming <role>
      Given <who> has signed in to Acme
      And the pass <who> holds <before> <door>
      When Alice makes <who> <role>
      Then within 2 seconds the pass <who> holds <after> <door>

      Examples:
        | who   | role            | before        | after         | door                        |
        | Rita  | a sales manager | does not open | opens         | the pipeline report         |
        | Maria | a sales rep     | opens         | does not open | the pipeline report         |
        | Rita  | an analyst      | does not open | opens         | Acme's datasets             |
        | Ana   | a sales rep     | opens         | does not open | Acme's datasets             |
        | Maria | an admin        | does not open | opens         | a change of Acme's settings |

    @REQ-AUTH-ROLES-01 @allure.severity:critical
    Scenario: Maria, no longer an admin, cannot change the settings with the pass she already holds
      Given Maria is a sales manager at Acme
      And Alice has made Maria an admin as well
      And Maria has signed in to Acme
      And the pass Maria holds opens a change of Acme's settings
      When Alice takes the admin role away from Maria
      Then within 2 seconds the pass Maria holds does not open a change of Acme's settings
