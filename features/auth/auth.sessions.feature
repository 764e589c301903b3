@auth @sessions @smoke @OWASP-API2
Feature: Signing in and signing out
  As a sales rep at Acme
  I want my pass to stop working everywhere the moment I sign out
  So that nobody who picks it up afterwards can act in my name

  Background:
    Given Rita is a sales rep at Acme

  Rule: a signed-out pass is refused by every service

    @REQ-AUTH-SIGNIN-01 @REQ-AUTH-LOGOUT-01 @allure.severity:critical
    Scenario: Rita works, signs out, and her old pass is refused
      Given Rita has signed in to Acme
      And she has added the client "Northwind Traders"
      And she finds "Northwind Traders" among her clients
      When she signs out
      Then her old pass is refused everywhere
