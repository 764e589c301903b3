@operations @fields
Feature: The platform takes only the fields it knows and lets callers write
  As a developer connecting my company's software to the platform
  I want a field the platform does not know, or may not let me set, to be refused by name
  So that a typo or a forged value never passes silently or changes what only the platform decides

  Rule: a field the platform does not know is refused, naming the field

    @REQ-OPS-FIELD-01 @OWASP-API3
    Scenario Outline: the <service> service refuses a new <record> with a "nickname"
      Given <who> is <role> at Acme
      When <who> sends the <service> service a new <record> that also has a "nickname"
      Then the only broken rule reported is that "nickname" is not a known field

      Examples:
        | service  | who   | role         | record   |
        | identity | Alice | an admin     | user     |
        | sales    | Rita  | a sales rep  | client   |
        | anomaly  | Ana   | an analyst   | detector |

  Rule: a field only the platform sets is refused, naming the field

    @REQ-OPS-FIELD-02 @OWASP-API3 @allure.severity:critical
    Scenario Outline: the <service> service refuses a new <record> that names its own "<field>"
      Given <who> is <role> at Acme
      When <who> sends the <service> service a new <record> that also has an "<field>"
      Then the only broken rule reported is that "<field>" is read-only

      Examples:
        | service  | who   | role         | record   | field     |
        | identity | Alice | an admin     | user     | id        |
        | sales    | Rita  | a sales rep  | client   | tenant_id |
        | anomaly  | Ana   | an analyst   | detector | id        |

  Rule: every broken rule of a request is reported, each once

    @REQ-OPS-FIELD-03
    Scenario: Rita's new client with two wrong fields is refused for both
      Given Rita is a sales rep at Acme
      When Rita sends the sales service a new client that also has a "nickname" and an "id"
      Then exactly two broken rules are reported: "nickname" is not a known field and "id" is read-only
