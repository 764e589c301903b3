@auth @sessions @OWASP-API2
Feature: Renewing a sign-in, and what ends it
  As Rita, a sales rep at Acme
  I want my sign-in to be renewable only by me, once per renewal token
  So that a stolen renewal token is noticed and stops working for everybody

  Background:
    Given Rita is a sales rep at Acme
    And Rita has signed in to Acme

  Rule: each renewal token works once and hands out a new pair

    @REQ-AUTH-REFRESH-01 @allure.severity:critical
    Scenario: renewing gives Rita a new pass and renewal token, and the used one is dead
      When Rita renews her sign-in
      Then her renewed pass works
      And the renewal token she used is refused from now on

  Rule: a renewal token used twice ends the whole chain of renewals

    @REQ-AUTH-REFRESH-02 @ASVS-7.4.1 @allure.severity:critical
    Scenario: replaying Rita's first renewal token also kills her newest one
      Given Rita has renewed her sign-in twice
      When someone presents her first renewal token again
      Then that replayed renewal is refused
      And her newest renewal token is refused too

  Rule: a new password ends every renewal, while passes already handed out run their course

    @REQ-AUTH-PASSWORD-02
    Scenario: after Rita changes her password, her old renewal token is dead but her pass still works
      When Rita changes her password
      Then the renewal token she held before the change is refused
      And the pass she already holds still works with identity and sales
      And only her new password signs her in
