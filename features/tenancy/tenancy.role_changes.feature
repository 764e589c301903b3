@tenancy @roles @OWASP-API5
Feature: A change of roles reaches the passes people already hold
  As Alice, the admin of Acme
  I want a new role to open, and a role taken away to close, what goes with it within 2 seconds,
  also for passes handed out before the change
  So that a promotion works at once and somebody who changed jobs cannot go on with an old pass

  "Within 2 seconds" is measured from Alice's change being answered, with half a second more for
  the round trips of the change and of the check that sees it.

  Rule: a role given takes effect within 2 seconds on every service, for the pass already in hand

    @REQ-TEN-ROLES-04 @allure.severity:critical
    Scenario Outline: Rita, made <role> as well, may <what> with the pass she already holds
      Given Rita holds a pass that is not allowed to <what>
      When Alice also makes Rita <role>
      Then within 2 seconds the pass Rita holds is allowed to <what>

      Examples:
        | role            | what                      |
        | an admin        | look through the people   |
        | a sales manager | read the pipeline report  |
        | an analyst      | look through the datasets |

  Rule: a role taken away takes effect within 2 seconds on every service, for the pass already in hand

    @REQ-TEN-ROLES-04 @allure.severity:critical
    Scenario Outline: <who>, no longer <role>, may no longer <what> with the pass <who> already holds
      Given Alice has also made <who> <as>
      And <who> holds a pass that is allowed to <what>
      When Alice withdraws the <role> role from <who>
      Then within 2 seconds the pass <who> holds is not allowed to <what>

      Examples:
        | who   | as              | role          | what                      |
        | Maria | an admin        | admin         | change the settings       |
        | Ana   | a sales manager | sales manager | read the pipeline report  |
        | Rita  | an analyst      | analyst       | look through the datasets |
