@operations @resilience @needs.restart
Feature: How soon a crashed service serves again
  As the operator of the platform
  I want every service to be ready and serving soon after it is started again following a crash
  So that a crash is a blip customers barely notice, within the recovery time the deployment promises

  Rule: a crashed service is ready, and serves people again, within the deployment's recovery budget

    @REQ-RES-RECOVERY-01 @allure.severity:normal
    Scenario Outline: the <service> service serves <who> again soon after a crash
      Given <who> is <role> at Acme
      And the <service> service has crashed
      When the <service> service is started again, on the clock
      Then it is ready, and serves <who>, within the deployment's recovery budget

      Examples:
        | service  | who   | role          |
        | identity | Alice | an admin      |
        | sales    | Rita  | a sales rep   |
        | anomaly  | Ana   | an analyst    |

  Rule: every change confirmed before a crash is kept, however many were in flight when it came

    @REQ-RES-DUR-01 @allure.severity:critical
    Scenario: Rita's and Ravi's clients confirmed during a burst cut short by a crash are all kept
      Given Rita is a sales rep at Acme
      And Ravi is a sales rep at Acme
      When Rita and Ravi add clients together and the sales service crashes in the middle
      And the sales service is started again
      Then every client sales confirmed to them before the crash is kept, counted one by one
