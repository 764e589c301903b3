@operations @rate-limits @OWASP-API4
Feature: One company's flood of requests never slows another company down
  As the platform operator
  I want each company's requests limited to its fair share, each company on its own, on every service
  So that a runaway script at one customer cannot take the platform away from the others

  Rule: a company far over its request rate is told to slow down and when to retry, while other companies are served

    @REQ-OPS-RATE-01 @allure.severity:critical
    Scenario Outline: Acme's flood of the <service> service is slowed down while Globex is served as usual
      When <people> of Acme flood the <service> service together while Bob of Globex works as usual
      Then Acme is served its allowance and then told to slow down and when to retry
      And every other request of Acme's is served
      And every request of Bob's during the flood is served

      Examples:
        | service  | people               |
        | identity | Rita, Ravi and Maria |
        | sales    | Rita, Ravi and Maria |
        | anomaly  | Ana, Alice and Otto  |
