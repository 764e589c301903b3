@sales @clients
Feature: Clients
  As a sales rep at Acme
  I want to find, correct and remove my clients, but never lose one that still has an open deal
  So that my client list stays tidy without losing business in progress

  Background:
    Given Rita is a sales rep at Acme

  Rule: clients are found by any part of their name or email, whatever the case

    @REQ-SALES-CLIENT-01
    Scenario Outline: Rita's search for "<search>" finds only "<found>"
      Given Rita has the client "Contoso Ltd" with the email "sales@contoso.example.com"
      And Rita has the client "Fabrikam Partners" with the email "orders@fabrikam.example.com"
      When Rita searches her clients for "<search>"
      Then she finds only "<found>"

      Examples:
        | search     | found             |
        | tOSO l     | Contoso Ltd       |
        | ORDERS@FAB | Fabrikam Partners |

  Rule: a client's country is a two-letter ISO country code

    @REQ-SALES-CLIENT-04
    Scenario: a client in "DE" is added with all its details
      When Rita adds the client "Northwind Traders" in "DE"
      Then Rita's client "Northwind Traders" is in "DE", owned by her

    @REQ-SALES-CLIENT-04
    Scenario: clients in "Germany", "DEU" or "ZX", which is no country's code, are refused
      When Rita tries to add clients in "Germany", "DEU" and "ZX"
      Then Rita is refused each time as invalid, naming its country
      And Rita has no clients

  Rule: the owner of a client may change it, and delete it once it has no open deal

    @REQ-SALES-CLIENT-03
    Scenario: Rita renames her client "Northwind Traders" to "Northwind Traders GmbH"
      Given Rita has the client "Northwind Traders"
      When Rita renames the client "Northwind Traders GmbH"
      Then Rita's client "Northwind Traders GmbH" is in its country, owned by her

    @REQ-SALES-CLIENT-03
    Scenario Outline: Rita deletes a client <situation>, and it is gone
      Given Rita has the client "Northwind Traders" <situation>
      When Rita deletes the client
      Then "Northwind Traders" is no longer among Rita's clients

      Examples:
        | situation              |
        | without deals          |
        | whose only deal is lost |

    @REQ-SALES-CLIENT-02
    Scenario: Rita cannot delete Northwind Traders while its deal is open
      Given Rita has the client "Northwind Traders" with an open deal
      When Rita tries to delete the client
      Then the deletion is refused as a conflict
      And "Northwind Traders" is still among Rita's clients
