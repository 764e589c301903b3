@operations @lists
Feature: Every list comes in pages, oldest first
  As a developer showing the platform's records in my company's software
  I want every list to come in pages of a size I choose within fixed bounds, oldest first, with a total
  So that I can page through any amount of records without missing or repeating one

  Rule: a list shows the oldest records first

    @REQ-OPS-LIST-01
    Scenario: Rita's clients are listed in the order she added them
      Given Rita is a sales rep at Acme
      And Rita has added the clients "Zenith Tools", "Alpha Mills" and "Midway Foods" in that order
      When Rita looks through her clients
      Then she sees "Zenith Tools", "Alpha Mills" and "Midway Foods" in that order

  Rule: a list is cut into pages of the chosen size and tells the total

    @REQ-OPS-LIST-02
    Scenario: three clients read two at a time fill two pages
      Given Rita is a sales rep at Acme
      And Rita has added the clients "Zenith Tools", "Alpha Mills" and "Midway Foods" in that order
      When Rita looks through her clients 2 at a time
      Then the first page holds "Zenith Tools" and "Alpha Mills" and the second holds "Midway Foods"
      And each page tells her there are 3 clients in all

  Rule: without a choice, a list shows the first page of 20

    @REQ-OPS-LIST-03
    Scenario: Rita's 21 clients show as a first page of 20
      Given Rita is a sales rep at Acme
      And Rita has added 21 clients
      When Rita looks through her clients without choosing a page
      Then she sees the first page of 20 clients out of 21

  Rule: a page is 1 or more and a page size is from 1 to 100; anything else is refused

    @REQ-OPS-LIST-04 @OWASP-API4
    Scenario Outline: <who> asks the <service> service for page <page> of <size> records
      Given <who> is <role> at Acme
      When <who> asks the <service> service for page <page> of a list with <size> records a page
      Then that page request is <outcome>

      Examples:
        | service  | who   | role         | page | size | outcome                   |
        | sales    | Rita  | a sales rep  | 1    | 0    | refused for its page size |
        | identity | Alice | an admin     | 1    | 101  | refused for its page size |
        | anomaly  | Ana   | an analyst   | 0    | 20   | refused for its page      |
        | sales    | Rita  | a sales rep  | 1    | 100  | served as asked           |
