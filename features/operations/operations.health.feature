@operations @health @smoke
Feature: Platform health
  As the platform operator
  I want every service to tell whether it is alive and ready to serve
  So that traffic only goes to services that can answer it

  Rule: a running service reports that it is live, and ready with the checks it made

    @REQ-OPS-HEALTH-01 @REQ-OPS-HEALTH-02 @allure.severity:critical
    Scenario Outline: the <service> service is live and ready
      When the operator checks on the <service> service
      Then it reports that it is live
      And it reports that it is ready, naming the checks it made

      Examples:
        | service  |
        | identity |
        | sales    |
        | anomaly  |
