@auth @passwords @OWASP-API2
Feature: Passwords people can remember and attackers cannot guess
  As Alice, the admin of Acme
  I want passwords judged by length and by how guessable they are, never by composition rules
  So that my colleagues choose long passphrases and nobody picks a password from a leaked list

  Background:
    Given Alice is an admin at Acme

  Rule: any password of 15 to 128 characters is fine, spaces and any script included

    @REQ-AUTH-PASSWORD-01 @ASVS-6.2.5 @ASVS-6.2.9
    Scenario Outline: a password that is <password> is accepted and opens the account
      When Alice adds Ravi to Acme with a password that is <password>
      Then Ravi signs in with that password

      Examples:
        | password                          |
        | 15 lowercase letters              |
        | 128 characters long               |
        | "grüne Äpfel im Schnee, 東京 2026" |

  Rule: a password that breaks a rule is refused, naming every rule it breaks

    @REQ-AUTH-PASSWORD-01 @ASVS-6.2.4 @allure.severity:critical
    Scenario Outline: a password that is <password> is refused for being <rules>
      When Alice adds Ravi to Acme with a password that is <password>
      Then the password is refused for being <rules>

      Examples:
        | password                                | rules                                  |
        | 14 characters long                      | too short                              |
        | "PaSsWoRd"                              | too short and too common               |
        | "my name is RaVi and I sell solar"      | containing his email's name            |
        | 129 characters long with "ravi" in it   | too long and containing his email's name |

  Rule: the whole password counts, however long it is

    @REQ-AUTH-PASSWORD-01 @allure.severity:critical
    Scenario: a 100-character password with only its last character changed does not open the account
      Given Alice adds Ravi to Acme with a password that is 100 characters long
      When someone signs in as Ravi with his password changed in its last character only
      Then the sign-in is refused as invalid credentials
      But Ravi signs in with that password
