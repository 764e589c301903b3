@operations @resilience @needs.restart
Feature: A crashed service serves again soon, with everything it confirmed
  As the operator of the platform
  I want every service to be ready and serving soon after it is started again following a crash, with every
  change it confirmed before the crash still in force
  So that a crash is a blip customers barely notice, within the recovery time the deployment promises, and
  nobody is ever told a change was saved that is gone afterwards

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

  Rule: every kind of change confirmed just before a crash is still in force once the service is back

    @REQ-RES-DUR-02 @allure.severity:critical
    Scenario Outline: <change>, confirmed just before <service> crashed, is still in force after the restart
      Given <change> was confirmed just before the <service> service crashed
      When the <service> service is started again
      Then that change is still in force, exactly as it was confirmed

      Examples:
        | change                                              | service  |
        | Rita's deal moved on from lead to qualified         | sales    |
        | Maria's approval of Rita's deal at 30 % off         | sales    |
        | Maria's payment of 400.00 on Rita's won deal        | sales    |
        | Alice's deactivation of Ravi                        | identity |
        | Ravi's change of his password                       | identity |
        | Ana's detector trained on her night shift readings  | anomaly  |

  Rule: a payment sent again with the same reference after a crash is recognised and not recorded twice

    @REQ-RES-DUR-03 @allure.severity:critical
    Scenario: Maria's payment, sent again with its reference once sales is back, is recorded once
      Given Maria's payment of 400.00 on Rita's won deal was confirmed just before the sales service crashed
      When the sales service is started again
      And Maria sends the same payment again, with the same reference
      Then she is answered with her first payment, and the deal still holds that one payment of 400.00
