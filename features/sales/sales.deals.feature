@sales @deals
Feature: Opening deals
  As a sales manager at Acme
  I want every deal to belong to its client's owner and to be worth a sensible amount
  So that commission goes to the right rep and no deal is worth nothing or an absurd sum

  Background:
    Given Rita is a sales rep at Acme
    And Maria is a sales manager at Acme

  Rule: a deal belongs to the owner of its client, whoever opens it

    @REQ-SALES-DEAL-05 @allure.severity:critical
    Scenario: Maria opens a deal for Rita's client, and the deal is Rita's
      Given Rita has the client "Northwind Traders"
      When Maria opens a deal of "12000.00" for Rita's client
      Then the deal belongs to Rita
      And Rita finds the deal among her deals

  Rule: nobody chooses the owner of a deal, not when opening it and not later

    @REQ-SALES-DEAL-06 @OWASP-API3 @allure.severity:critical
    Scenario: Maria can neither open a deal of Rita's client in her own name nor take Rita's deal over
      Given Rita has the client "Northwind Traders" with an open deal
      When Maria tries to open a deal for Rita's client in her own name
      And Maria tries to take the deal over
      Then Maria is refused each time because the owner of a deal cannot be chosen
      And the deal still belongs to Rita
      And Rita still has only that deal

  Rule: a deal is worth more than nothing and at most 1,000,000,000.00

    @REQ-SALES-DEAL-07
    Scenario: deals of 0.01 and of 1,000,000,000.00 are opened
      When Rita opens deals of "0.01" and "1000000000.00"
      Then her deals are worth "0.01" and "1000000000.00"

    @REQ-SALES-DEAL-07
    Scenario: deals of 0.00, -1.00 and 1,000,000,000.01 are refused
      When Rita tries to open deals of "0.00", "-1.00" and "1000000000.01"
      Then Rita is refused each time as invalid, naming its amount
      And Rita has no deals
