@auth @passes @OWASP-API2
Feature: Only genuine, current passes open the platform
  As Alice, the admin of Acme
  I want every service to refuse a pass that identity did not issue exactly as it stands
  So that nobody can make or alter a pass to act as one of us

  Background:
    Given Alice is an admin at Acme
    And Alice has signed in to Acme

  Rule: a forged or altered pass is refused by identity, sales and anomaly alike

    @REQ-AUTH-TOKEN-01 @ASVS-9.1.1 @ASVS-9.1.2 @allure.severity:critical
    Scenario Outline: a copy of her pass <forgery> is refused everywhere
      When she presents a copy of her pass <forgery>
      Then identity, sales and anomaly all refuse that pass

      Examples: forgeries anybody can make
        | forgery                                                 |
        | with no signature at all                                |
        | signed with identity's published key as a shared secret |
        | whose contents were changed to last a day longer        |
        | signed by a key identity never published                |

    @REQ-AUTH-TOKEN-02 @ASVS-9.2.1 @ASVS-9.2.3 @needs.signing_key @allure.severity:critical
    Examples: forgeries made with the platform's own signing key
        | forgery                                                 |
        | that ran out a minute ago                               |
        | that becomes valid only in a minute                     |
        | that names another issuer                               |
        | that is meant for another audience                      |

    @REQ-AUTH-TOKEN-02 @needs.signing_key
    Scenario: a pass made with the platform's key and her true details is accepted, so the refusals above are about the one change each
      When she presents a copy of her pass made afresh with the platform's key
      Then identity, sales and anomaly all accept that pass
