@sales @visibility
Feature: Who sees which clients and deals
  As a sales manager at Acme
  I want each rep to see and touch only their own clients and deals, while managers see them all
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
      Then Rita is refused as not allowed each time

  Rule: sales managers see every client and deal of Acme

    @REQ-SALES-VIS-03
    Scenario: Maria sees both reps' clients and deals
      Given Maria is a sales manager at Acme
      When Maria looks at her clients and deals
      Then she finds both "Northwind Traders" and "Contoso Ltd" with their deals

  Rule: analysts have no access to clients and deals

    @REQ-SALES-VIS-04 @OWASP-API5
    Scenario: Ana cannot look at Acme's clients or deals
      Given Ana is an analyst at Acme
      When Ana tries to look at the clients and deals
      Then Ana is refused as not allowed each time

  Rule: clients are found by any part of their name or email, whatever the case

    @REQ-SALES-CLIENT-01
    Scenario Outline: Ravi's search for "<search>" finds only "<found>"
      Given Ravi has the client "<other>" with the email "<other email>"
      When Ravi searches his clients for "<search>"
      Then he finds only "<found>"

      Examples:
        | other             | other email                   | search     | found             |
        | Fabrikam Partners | orders@fabrikam.example.com   | tOSO l     | Contoso Ltd       |
        | Fabrikam Partners | orders@fabrikam.example.com   | ORDERS@FAB | Fabrikam Partners |

  Rule: a client with an open deal cannot be deleted

    @REQ-SALES-CLIENT-02
    Scenario: Rita cannot delete Northwind Traders while its deal is open
      When Rita tries to delete the client "Northwind Traders"
      Then the deletion is refused as a conflict
      And "Northwind Traders" is still among Rita's clients
