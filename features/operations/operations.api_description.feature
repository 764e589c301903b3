@operations @api_description
Feature: Each service describes its own interface
  As a developer building on the platform
  I want every service to publish a description of its own interface in the OpenAPI standard
  So that clients and tools can be written and checked against it without asking anyone

  Rule: every service publishes a valid description of its interface

    @REQ-OPS-API-01 @allure.severity:normal
    Scenario Outline: the <service> service describes its own interface
      When the operator reads how the <service> service describes its interface
      Then it is a valid OpenAPI description

      Examples:
        | service  |
        | identity |
        | sales    |
        | anomaly  |
