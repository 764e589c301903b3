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

  Rule: the request count grows with the traffic

    @REQ-OPS-METRICS-02
    Scenario Outline: the <service> service counts the lists <who> reads
      Given <who> is <role> at Acme
      And the operator has noted how many successful reads the <service> service has counted
      When <who> reads a list of the <service> service 5 times
      Then the <service> service has counted at least 5 more successful reads

      Examples:
        | service  | who   | role        |
        | identity | Alice | an admin    |
        | sales    | Rita  | a sales rep |
        | anomaly  | Ana   | an analyst  |
