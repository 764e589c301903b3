@sales @ownership
Feature: Who sees and changes which clients and deals
  As a sales manager at Acme
  I want each rep to see and change only their own clients and deals, while managers and admins see them all
  So that reps keep their accounts to themselves and managers keep the overview

  Background:
    Given Rita is a sales rep at Acme
    And Ravi is a sales rep at Acme
    And Rita has the client "Northwind Traders" with an open deal
    And Ravi has the client "Contoso Ltd" with an open deal

  Rule: a sales rep's lists hold only their own clients and deals

    @REQ-SALES-VIS-01 @OWASP-API1 @allure.severity:critical
    Scenario: Rita's lists hold Northwind Traders and its deal, not Ravi's
      When Rita looks at her clients and deals
      Then she finds only "Northwind Traders" and its deal

    @REQ-SALES-VIS-01 @OWASP-API1
    Scenario: Rita asking for Ravi's clients and deals gets an empty list
      When Rita looks at the clients and deals of Ravi
      Then she finds no clients and no deals

  Rule: a sales rep may not read another rep's client or deal

    @REQ-SALES-VIS-02 @OWASP-API1 @allure.severity:critical
    Scenario: Rita cannot open Ravi's client or his deal
      When Rita tries to open Ravi's client and deal
      Then Rita is refused each time as not allowed

  Rule: a sales rep may not change another rep's clients and deals, nor open deals for them

    @REQ-SALES-VIS-05 @OWASP-API1 @allure.severity:critical
    Scenario: Rita can neither edit, delete nor move Ravi's things, nor open a deal for his client
      When Rita tries to do these to Ravi's client and deal:
        | attempt                    |
        | rename his client          |
        | delete his client          |
        | rename his deal            |
        | move his deal to qualified |
        | move his deal to lost      |
        | open a deal for his client |
      Then Rita is refused each time as not allowed
      And Ravi's client and deal are just as they were

  Rule: a sales rep cannot make anybody else the owner of a client

    @REQ-SALES-VIS-06 @OWASP-API1 @allure.severity:critical
    Scenario: Rita can neither add a client for Ravi nor hand hers over to him
      When Rita tries to add the client "Fabrikam Partners" for Ravi
      And Rita tries to hand "Northwind Traders" over to Ravi
      Then Rita is refused each time as not allowed
      And Ravi's only client is still "Contoso Ltd"

    @REQ-SALES-VIS-06
    Scenario: Maria, a sales manager, adds the client "Fabrikam Partners" for Ravi
      When Maria adds the client "Fabrikam Partners" for Ravi
      Then Ravi finds "Fabrikam Partners" among his clients

  Rule: sales managers and admins see every client and deal of Acme

    @REQ-SALES-VIS-03
    Scenario Outline: <viewer> sees both reps' clients and deals
      When <viewer> looks at Acme's clients and deals
      Then <viewer> finds both "Northwind Traders" and "Contoso Ltd" with their deals

      Examples:
        | viewer |
        | Maria  |
        | Alice  |

  Rule: analysts have no access to clients and deals

    @REQ-SALES-VIS-04 @OWASP-API5
    Scenario: Ana cannot look at Acme's clients or deals
      Given Ana is an analyst at Acme
      When Ana tries to look at the clients and deals
      Then Ana is refused each time as not allowed
