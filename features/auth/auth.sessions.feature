@auth @sessions @OWASP-API2
Feature: Signing in and signing out
  As a sales rep at Acme
  I want a pass that says exactly who I am and for how long, and that stops working everywhere when I sign out
  So that nobody can stretch my pass or act in my name after I left

  Background:
    Given Rita is a sales rep at Acme

  Rule: a sign-in hands out a pass that names its holder, her tenant and roles, for the platform's API

    @smoke @REQ-AUTH-SIGNIN-01 @REQ-AUTH-ISSUE-01 @REQ-AUTH-ME-01 @allure.severity:critical
    Scenario: Rita's pass names her, Acme and her role, and is signed by a key identity publishes
      When Rita signs in to Acme
      Then her pass names her, Acme and her role, for the platform's API, signed by a key identity publishes
      And identity knows her by the same id, tenant and roles, with her email and name
      And another sign-in hands out a pass with an id of its own

  Rule: a pass lasts the deployment's pass lifetime and names the deployment's issuer

    @smoke @REQ-AUTH-SIGNIN-01 @REQ-AUTH-ISSUE-02 @allure.severity:critical
    Scenario: by default a pass lasts 15 minutes and comes from "platform-identity"
      When Rita signs in to Acme
      Then she is handed a pass and a renewal token, the pass lasting the deployment's pass lifetime (900 seconds by default)
      And her pass comes from the deployment's issuer ("platform-identity" by default)

    @REQ-AUTH-ISSUE-03 @needs.restart
    Scenario: a deployment that names its own issuer and a 10-minute lifetime hands out such passes
      Given identity is configured with the issuer "acme-test-identity" and a pass lifetime of 600 seconds
      When Rita signs in to Acme
      Then she is handed a pass and a renewal token, the pass lasting the deployment's pass lifetime (900 seconds by default)
      And her pass comes from the deployment's issuer ("platform-identity" by default)

  Rule: a signed-out pass is refused by identity at once and by sales and anomaly within 2 seconds

    @smoke @REQ-AUTH-LOGOUT-01 @allure.severity:critical
    Scenario: Rita works, signs out, and her old pass is refused
      Given Rita has signed in to Acme
      And identity, sales and anomaly all recognise the pass she holds
      When she signs out
      Then her old pass is refused by identity at once and by sales and anomaly within 2 seconds

  Rule: signing out also ends the renewals of that sign-in

    @smoke @REQ-AUTH-LOGOUT-02 @ASVS-7.4.1 @allure.severity:critical
    Scenario: after signing out, Rita's renewal token no longer renews her sign-in
      Given Rita has signed in to Acme
      When she signs out
      Then the renewal token of that sign-in is refused
