@sales @commission @smoke
Feature: Commission on money received
  As a sales rep at Acme
  I want every payment received on my won deals to earn me commission
  So that my pay follows the revenue that actually arrived

  Background:
    Given Acme sells in EUR
    And Rita is a sales rep at Acme
    And Maria is a sales manager at Acme

  Rule: a payment earns the deal's owner commission at the rate of the deal's size

    @REQ-SALES-DEAL-01 @REQ-SALES-PAY-01 @REQ-SALES-COMM-01 @allure.severity:critical
    Scenario: a 12,000.00 deal paid in full earns Rita 7 %
      Given Rita has won a deal worth 12,000.00
      When Maria records a payment of 12,000.00 for it
      Then the deal is paid in full
      And Rita earns 840.00 commission on it this quarter
