@auth @sign-in @OWASP-API2
Feature: Signing in without giving anything away
  As Alice, the admin responsible for Acme's accounts
  I want every failed sign-in to be refused in exactly the same words, and guessing to be slowed down
  So that nobody can find out who works at Acme or try password after password

  Background:
    Given Rita is a sales rep at Acme

  Rule: every failed sign-in gets the same refusal, whatever was wrong

    @REQ-AUTH-SIGNIN-02 @ASVS-6.3.8 @allure.severity:critical
    Scenario Outline: a sign-in with <mistake> is refused just like a wrong password
      When someone signs in as Rita with <mistake>
      Then the sign-in is refused as invalid credentials
      And the refusal reads word for word like the one for a wrong password

      Examples:
        | mistake                                          |
        | the slug of a tenant that does not exist         |
        | Globex's slug instead of Acme's                  |
        | an email nobody has at Acme                      |
        | her right password after Alice deactivated her   |

  Rule: after 5 failed sign-ins for one email at one tenant, that sign-in is held back for the lock-out

    @REQ-AUTH-THROTTLE-01 @OWASP-API4 @ASVS-6.3.1 @allure.severity:critical
    Scenario: five wrong passwords in a row hold back even the right one
      Given someone has tried to sign in as Rita with a wrong password 5 times
      When Rita signs in with her right password
      Then she is told to wait, no longer than the deployment's lock-out (900 seconds by default)

    @REQ-AUTH-THROTTLE-02
    Scenario: a successful sign-in before the fifth failure starts the count afresh
      Given someone has tried to sign in as Rita with a wrong password 4 times
      And Rita has signed in to Acme
      And someone has tried to sign in as Rita with a wrong password 4 times
      When Rita signs in with her right password
      Then she is let in

    @REQ-AUTH-THROTTLE-03 @OWASP-API4
    Scenario: guessing at an email nobody has is held back the same way
      Given someone has tried 5 times to sign in to Acme with an email nobody has there
      When someone tries that email at Acme once more
      Then the attempt is told to wait, no longer than the deployment's lock-out (900 seconds by default)

    @REQ-AUTH-THROTTLE-04 @OWASP-API4
    Scenario: while Rita is held back, her colleague Ravi still signs in to Acme
      Given Ravi is a sales rep at Acme
      And someone has tried to sign in as Rita with a wrong password 5 times
      When Ravi signs in with his right password
      Then he is let in

    @REQ-AUTH-THROTTLE-04 @OWASP-API4
    Scenario: while Rita is held back at Acme, Gina signs in to Globex with the same email address
      Given Gina works at Globex under the same email address as Rita
      And someone has tried to sign in as Rita with a wrong password 5 times
      When Gina signs in with her right password
      Then she is let in

  Rule: once the lock-out has passed, the right password lets the person in again

    @REQ-AUTH-THROTTLE-05 @needs.restart
    Scenario: with a lock-out of 3 seconds, Rita is held back for 3 seconds and let in right after
      Given identity is configured with a lock-out of 3 seconds
      And someone has tried to sign in as Rita with a wrong password 5 times
      When Rita keeps signing in with her right password
      Then she was held back until the 3 seconds had passed, and let in right after
