@tenancy @isolation @smoke @OWASP-API1
Feature: Tenants never see each other's deals
  As Acme, one of many companies on the platform
  I want no other company to be able to see or touch our deals
  So that our pipeline stays ours although we share the platform

  Background:
    Given Rita is a sales rep at Acme
    And Bob is an admin at Globex

  Rule: another tenant's deal answers exactly like a deal that never existed

    @REQ-TEN-ISO-01 @REQ-TEN-ISO-02 @allure.severity:critical
    Scenario: Globex's admin can neither read, change nor move Acme's deal
      Given Acme has its own deal
      When Bob of Globex tries everything there is to do with Acme's deal
      Then every one of Bob's attempts is answered as if that record had never existed
      And nothing of Acme's is in any of Bob's lists
      And Acme's deal is just as it was
