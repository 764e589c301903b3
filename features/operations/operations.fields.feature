@operations @fields
Feature: The platform takes only the fields it knows and lets callers write
  As a developer connecting my company's software to the platform
  I want a field the platform does not know, or may not let me set, to be refused by name
  So that a typo or a forged value never passes silently or changes what only the platform decides

  Background:
    Given Alice is an admin at Acme
    And Rita is a sales rep at Acme
    And Ana is an analyst at Acme

  Rule: a field the platform does not know is refused, naming the field, in new records and in changes alike

    @REQ-OPS-FIELD-01 @OWASP-API3
    Scenario: requests to every service that also carry a "nickname" are refused for it
      When these requests are sent with a "nickname" added:
        | who   | request                  |
        | Alice | a new user               |
        | Alice | a change of a user       |
        | Alice | a change of the settings |
        | Rita  | a new client             |
        | Rita  | a change of her client   |
        | Rita  | a new deal               |
        | Rita  | a change of her deal     |
        | Rita  | a move of her deal       |
        | Ana   | a new dataset            |
        | Ana   | a new detector           |
        | Ana   | a training request       |
      Then the only broken rule reported for each is that "nickname" is not a known field

  Rule: a field only the platform sets is refused, naming the field, in new records and in changes alike

    @REQ-OPS-FIELD-02 @OWASP-API3 @allure.severity:critical
    Scenario: requests to every service that set a field only the platform sets are refused for it
      When these requests are sent with a field only the platform sets:
        | who   | request                  | field       |
        | Alice | a new user               | id          |
        | Alice | a change of a user       | tenant_id   |
        | Alice | a change of a user       | created_at  |
        | Alice | a change of the settings | tenant_id   |
        | Rita  | a new client             | tenant_id   |
        | Rita  | a change of her client   | id          |
        | Rita  | a new deal               | owner_id    |
        | Rita  | a new deal               | stage       |
        | Rita  | a change of her deal     | stage       |
        | Rita  | a change of her deal     | version     |
        | Rita  | a change of her deal     | paid_amount |
        | Rita  | a change of her deal     | owner_id    |
        | Ana   | a new dataset            | tenant_id   |
        | Ana   | a new detector           | id          |
        | Ana   | a new detector           | status      |
        | Ana   | a new detector           | version     |
      Then the only broken rule reported for each is that its field is read-only
      And Rita's deal is still at the lead stage, unpaid and unchanged

  Rule: every broken rule of a request is reported, each once

    @REQ-OPS-FIELD-03
    Scenario: Rita's new client with two wrong fields is refused for both
      When Rita sends the sales service a new client that also has a "nickname" and an "id"
      Then exactly two broken rules are reported: "nickname" is not a known field and "id" is read-only
