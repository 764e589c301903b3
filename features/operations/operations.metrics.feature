@operations @metrics
Feature: Every service counts and times the requests it answers
  As the platform operator
  I want every service to publish how many requests it answered, by kind and outcome, and how long they took
  So that dashboards and alerts show trouble before customers report it

  Rule: every service publishes its request count by method, route and status, and a histogram of durations

    @REQ-OPS-METRICS-01
    Scenario: the metrics of every service hold the request count and the duration histogram
      When the operator reads the metrics of every service
      Then each holds a request count by method, route and status and a histogram of durations

  Rule: the request count and the durations grow with the traffic, each request under its own method, route and status

    @REQ-OPS-METRICS-02
    Scenario Outline: the <service> service counts and times the lists <who> reads and the pages it refuses
      Given <who> is <role> at Acme
      And the operator has noted the request count and durations of the <service> service
      When <who> reads a list of the <service> service 5 times and asks it 3 times for page 0
      Then the <service> service has counted 5 more successful reads and 3 more refused ones of that list
      And it has timed at least 8 more requests

      Examples:
        | service  | who   | role        |
        | identity | Alice | an admin    |
        | sales    | Rita  | a sales rep |
        | anomaly  | Ana   | an analyst  |
