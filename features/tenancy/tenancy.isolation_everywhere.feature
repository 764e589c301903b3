@tenancy @isolation @OWASP-API1
Feature: Nothing of one tenant exists for another
  As Acme, one of many companies on the platform
  I want every record of ours to be unknown to other companies, whatever they try
  So that sharing the platform never means sharing our customers, data or people

  Background:
    Given Bob is an admin at Globex

  Rule: whatever another tenant does with one of Acme's records, it is answered as for a record that never existed

    @REQ-TEN-ISO-01 @ASVS-8.2.2 @allure.severity:critical
    Scenario Outline: Globex's admin tries everything on Acme's <record>
      Given Acme has its own <record>
      When Bob of Globex tries everything there is to do with Acme's <record>
      Then every one of Bob's attempts is answered as if that record had never existed
      And Acme's <record> is just as it was

      Examples:
        | record                     |
        | client              |
        | deal                |
        | deal's payment list |
        | dataset             |
        | detector            |
        | training job        |
        | member of staff     |

  Rule: lists and searches hold only the tenant's own records

    @REQ-TEN-ISO-02 @allure.severity:critical
    Scenario: Bob's search for "Northwind" finds only Globex's client
      Given Rita has added the client "Northwind Traders"
      And Gina has added the client "Northwind Logistics"
      When Bob searches Globex's clients for "Northwind"
      Then he finds "Northwind Logistics" and nothing of Acme's

    @REQ-TEN-ISO-02 @allure.severity:critical
    Scenario: Globex's lists of deals, datasets, detectors and people hold nothing of Acme's
      Given Acme has its own deal
      And Acme has its own dataset
      And Acme has its own detector
      And Acme has its own member of staff
      When Bob looks through all of Globex's deals, datasets, detectors and people
      Then none of Acme's records are among them

  Rule: naming another tenant's record in a request is naming a record that does not exist

    @REQ-TEN-ISO-03 @allure.severity:critical
    Scenario: Bob cannot open a Globex deal for Acme's client
      Given Acme has its own client
      When Bob opens a Globex deal for Acme's client
      Then the request is refused for naming a client it does not know

    @REQ-TEN-ISO-03 @allure.severity:critical
    Scenario: Bob cannot train a Globex detector on Acme's dataset
      Given Acme has its own dataset
      When Bob trains a Globex detector on Acme's dataset
      Then the request is refused for naming a dataset it does not know
