@sales @audit
Feature: The sales audit trail
  As Acme's admin
  I want every change in sales, and every refused attempt, written down for good
  So that I can always tell who did what, and who tried what they may not

  Background:
    Given Alice is an admin at Acme
    And Rita is a sales rep at Acme
    And Ravi is a sales rep at Acme

  Rule: every successful change leaves an event naming who changed what

    @REQ-SALES-AUDIT-01 @ASVS-16.2.1
    Scenario: Rita's move of her deal to qualified is written down
      Given Rita has a deal at the lead stage
      When Rita moves it to qualified
      Then Alice finds a successful "deal.transitioned" event by Rita on the deal

  Rule: every refused attempt leaves a denied event

    @REQ-SALES-AUDIT-02 @ASVS-16.3.2 @OWASP-API1
    Scenario: Ravi's refused attempt to open Rita's deal is written down
      Given Rita has a deal at the lead stage
      When Ravi tries to open the deal
      Then Ravi is refused as not allowed
      And Alice finds a denied event by Ravi

  Rule: the audit trail cannot be changed or erased

    @REQ-SALES-AUDIT-03 @ASVS-16.4.2 @allure.severity:critical
    Scenario: Alice can neither change nor erase the audit trail
      Given Rita has a deal at the lead stage
      When Alice tries to change and to erase the audit trail and its events
      Then every attempt is refused
      And the events written before are all still there, unchanged
