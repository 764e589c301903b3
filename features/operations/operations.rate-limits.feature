@operations @rate-limits @OWASP-API4
Feature: One company's flood of requests never slows another company down
  As the platform operator
  I want each company's requests limited to its fair share, each company on its own
  So that a runaway script at one customer cannot take the platform away from the others

  Rule: a company far over its request rate is told to slow down and when to retry, while others are served

    @REQ-OPS-RATE-01 @allure.severity:critical
    Scenario: Acme's burst is slowed down while Globex is served as usual
      Given Rita is a sales rep at Acme
      And Bob is an admin at Globex
      When Rita's script floods the sales service with hundreds of requests at once while Bob works as usual
      Then some of Rita's requests are refused with a request to slow down and a time to retry
      And every other request of hers is served
      And every request of Bob's during the flood is served
