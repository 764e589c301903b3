@operations @lists
Feature: Every list comes in pages, oldest first
  As a developer showing the platform's records in my company's software
  I want every list to come in pages of a size I choose within fixed bounds, oldest first, with a total
  So that I can page through any amount of records without missing or repeating one

  Rule: every list shows the oldest records first and comes in pages of the size asked for, with the total

    @REQ-OPS-LIST-01 @REQ-OPS-LIST-02
    Scenario Outline: every list of the <service> service, read 2 at a time, shows the oldest records first
      Given <who> is <role> at Acme
      And <who> has made 3 records of every kind the <service> service lists, one after the other
      When <who> reads every list of the <service> service 2 records at a time
      Then each list shows its records oldest first, each once, in pages of 2 that tell the total

      Examples:
        | service  | who   | role        |
        | identity | Alice | an admin    |
        | sales    | Rita  | a sales rep |
        | anomaly  | Ana   | an analyst  |

    @REQ-OPS-LIST-01 @REQ-OPS-LIST-02
    Scenario: three clients read two at a time fill two pages
      Given Rita is a sales rep at Acme
      And Rita has added the clients "Zenith Tools", "Alpha Mills" and "Midway Foods" in that order
      When Rita looks through her clients 2 at a time
      Then the first page holds "Zenith Tools" and "Alpha Mills" and the second holds "Midway Foods"
      And each page tells her there are 3 clients in all

  Rule: a page is 1 or more and a page size from 1 to 100, page 1 of 20 unless chosen; anything else is refused

    @REQ-OPS-LIST-03
    Scenario: Rita's 21 clients show as a first page of 20
      Given Rita is a sales rep at Acme
      And Rita has added 21 clients
      When Rita looks through her clients without choosing a page
      Then she sees the first page of 20 clients out of 21

    @REQ-OPS-LIST-03 @REQ-OPS-LIST-04 @OWASP-API4
    Scenario Outline: every list of the <service> service keeps to pages of 1 to 100 records
      Given <who> is <role> at Acme
      When <who> asks every list of the <service> service for these pages:
        | page       | size       | outcome                   |
        | 0          | 20         | refused for its page      |
        | 1          | 0          | refused for its page size |
        | 1          | 101        | refused for its page size |
        | 1          | 1          | served as asked           |
        | 1          | 100        | served as asked           |
        | 2          | 100        | served as asked           |
        | not chosen | not chosen | served as page 1 of 20    |
      Then every list answers each page request as the table says

      Examples:
        | service  | who   | role        |
        | identity | Alice | an admin    |
        | sales    | Rita  | a sales rep |
        | anomaly  | Ana   | an analyst  |
