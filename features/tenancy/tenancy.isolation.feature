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
      Given Rita has opened the deal "Rooftop solar for Hamburg" worth 12,000.00
      When Bob of Globex tries to read it, rename it and move it to the next stage
      Then each attempt is answered as if the deal had never existed
      And the deal appears in none of Bob's lists
      And Rita's deal is unchanged
