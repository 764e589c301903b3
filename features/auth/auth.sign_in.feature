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

  Rule: after 5 failed sign-ins for one person, sign-in is held back for a while

    @REQ-AUTH-THROTTLE-01 @OWASP-API4 @ASVS-6.3.1 @allure.severity:critical
    Scenario: five wrong passwords in a row hold back even the right one
      Given someone has tried to sign in as Rita with a wrong password 5 times
      When Rita signs in with her right password
      Then she is told to wait before trying again

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
      Then the attempt is told to wait before trying again
