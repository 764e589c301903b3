@auth @passes @OWASP-API2
Feature: Only genuine, current passes open the platform
  As Alice, the admin of Acme
  I want every service to refuse a pass that identity did not issue exactly as it stands
  So that nobody can make or alter a pass to act as one of us

  Background:
    Given Alice is an admin at Acme
    And Alice has signed in to Acme

  Rule: a pass anybody could forge or alter is refused by identity, sales and anomaly alike

    @REQ-AUTH-TOKEN-01 @REQ-AUTH-TOKEN-05 @ASVS-9.1.1 @ASVS-9.1.2 @allure.severity:critical
    Scenario Outline: a copy of her pass <forgery> is refused everywhere
      When she presents a copy of her pass <forgery>
      Then identity, sales and anomaly all refuse that pass

      Examples: no signature, however its absence is spelt
        | forgery                          |
        | marked "none" and left unsigned  |
        | marked "None" and left unsigned  |
        | marked "NONE" and left unsigned  |
        | marked "nOnE" and left unsigned  |

      Examples: signed with what anybody can get hold of
        | forgery                                                                                   |
        | signed with identity's published key, as its PEM text, used as a shared secret            |
        | signed with identity's published key, as published in its key list, used as a shared secret |
        | signed by a key identity never published                                                  |
        | whose contents were changed to last a day longer                                          |

    @REQ-AUTH-TOKEN-03 @REQ-AUTH-TOKEN-05 @ASVS-9.1.1 @allure.severity:critical
    Scenario Outline: a copy of her pass <forgery> is refused everywhere, and nobody looks there for the key
      When she presents a copy of her pass <forgery>
      Then identity, sales and anomaly all refuse that pass

      Examples:
        | forgery                                                        |
        | signed by a stranger whose key travels inside the pass         |
        | signed by a stranger who points to a key list of their own     |
        | signed by a stranger who points to a certificate of their own  |

  Rule: a pass made with the platform's own key is still refused when out of date, meant for others or signed otherwise

    @REQ-AUTH-TOKEN-02 @REQ-AUTH-TOKEN-05 @ASVS-9.2.1 @needs.signing_key @allure.severity:critical
    Scenario Outline: a copy of her pass <forgery> is refused everywhere
      When she presents a copy of her pass <forgery>
      Then identity, sales and anomaly all refuse that pass

      Examples: out of date by more than the 10 seconds of clock difference a service may allow
        | forgery                                                               |
        | made with the platform's key that ran out 15 seconds ago              |
        | made with the platform's key that becomes valid only in 15 seconds    |
        | made with the platform's key without any expiry                       |

    @REQ-AUTH-TOKEN-04 @REQ-AUTH-TOKEN-05 @ASVS-9.2.3 @needs.signing_key @allure.severity:critical
    Scenario Outline: a copy of her pass <forgery> is refused everywhere
      When she presents a copy of her pass <forgery>
      Then identity, sales and anomaly all refuse that pass

      Examples: meant for somebody else
        | forgery                                                 |
        | made with the platform's key that names another issuer  |
        | made with the platform's key for another audience       |

    @REQ-AUTH-TOKEN-03 @REQ-AUTH-TOKEN-05 @needs.signing_key @allure.severity:critical
    Scenario: a copy of her pass made with the platform's key but signed RS512 instead of RS256 is refused everywhere
      When she presents a copy of her pass made with the platform's key but signed RS512 instead of RS256
      Then identity, sales and anomaly all refuse that pass

    @REQ-AUTH-TOKEN-02 @REQ-AUTH-TOKEN-03 @REQ-AUTH-TOKEN-04 @needs.signing_key
    Scenario: a pass made with the platform's key and her true details is accepted, so each refusal above is about its one flaw
      When she presents a copy of her pass made with the platform's key as it is
      Then identity, sales and anomaly all accept that pass
