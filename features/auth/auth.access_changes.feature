@auth @access-changes @OWASP-API5
Feature: Changes to a person's access apply to the passes they already hold
  As Alice, the admin of Acme
  I want deactivations and role changes to reach passes that were handed out before
  So that somebody who left or changed jobs cannot go on working with an old pass

  Background:
    Given Alice is an admin at Acme
    And Rita is a sales rep at Acme

  Rule: a deactivated person's pass stops working at once on identity and within 2 s everywhere

    @REQ-AUTH-DEACTIVATE-01 @allure.severity:critical
    Scenario: Rita is deactivated while signed in
      Given Rita has signed in to Acme
      When Alice deactivates Rita
      Then the pass Rita holds is refused by identity at once and by sales and anomaly within moments
      And Rita can no longer sign in

  Rule: a change of roles takes effect within 2 s, also for passes already handed out

    @REQ-AUTH-ROLES-01 @allure.severity:critical
    Scenario: Rita, promoted to sales manager, reads the pipeline with the pass she already holds
      Given Rita has signed in to Acme
      And the pass Rita holds does not open the pipeline report
      When Alice makes Rita a sales manager
      Then the pass Rita holds opens the pipeline report within moments

    @REQ-AUTH-ROLES-01 @allure.severity:critical
    Scenario: Maria, no longer an admin, cannot change the settings with the pass she already holds
      Given Maria is a sales manager at Acme
      And Alice has made Maria an admin as well
      And Maria has signed in to Acme
      And the pass Maria holds can change Acme's settings
      When Alice takes the admin role away from Maria
      Then the pass Maria holds can no longer change Acme's settings within moments
