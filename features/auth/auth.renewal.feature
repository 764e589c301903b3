@auth @sessions @OWASP-API2
Feature: Renewing a sign-in, and what ends it
  As Rita, a sales rep at Acme
  I want my sign-in to be renewable only by me, once per renewal token
  So that a stolen renewal token is noticed and stops working for everybody

  Background:
    Given Rita is a sales rep at Acme
    And Rita has signed in to Acme

  Rule: each renewal token works once and hands out a new pair

    @REQ-AUTH-REFRESH-01 @REQ-AUTH-ISSUE-02 @allure.severity:critical
    Scenario: renewing gives Rita a new pass and renewal token, and the used one is dead
      When Rita renews her sign-in
      Then she is handed a pass and a renewal token, the pass lasting the deployment's pass lifetime (900 seconds by default)
      And her renewed pass works
      And the renewal token she used is refused from now on

  Rule: a renewal token used twice ends the whole chain of renewals, while passes already handed out run their course

    @REQ-AUTH-REFRESH-02 @REQ-AUTH-REFRESH-03 @ASVS-7.4.1 @allure.severity:critical
    Scenario: replaying Rita's first renewal token also kills her newest one
      Given Rita has renewed her sign-in twice
      When someone presents her first renewal token again
      Then that replayed renewal is refused
      And her newest renewal token is refused too
      But identity, sales and anomaly still recognise her newest pass

  Rule: a new password ends the renewals of every sign-in, while passes already handed out run their course

    @REQ-AUTH-PASSWORD-02 @REQ-AUTH-REFRESH-03 @allure.severity:critical
    Scenario: Rita changes her password on her laptop, and the renewals on her laptop and her phone end
      Given Rita has also signed in to Acme on her phone
      When Rita changes her password
      Then the renewal tokens of both her sign-ins are refused
      But identity, sales and anomaly still recognise the passes of both her sign-ins

  Rule: a renewal token lasts the deployment's renewal lifetime, and no longer

    @REQ-AUTH-ISSUE-04 @needs.restart
    Scenario: with renewal tokens lasting 3 seconds, Rita renews at once, but not with a token left unused too long
      Given identity is configured with a renewal lifetime of 3 seconds
      When Rita renews her sign-in
      And Rita leaves her newest renewal token unused past its lifetime and the allowance for clocks
      Then that renewal token is refused
