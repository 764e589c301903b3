@sales @payments
Feature: Payments on won deals
  As a sales manager at Acme
  I want to record the money received on won deals exactly once, and never more than a deal is worth
  So that what we report as paid is what the bank received

  Background:
    Given Rita is a sales rep at Acme
    And Maria is a sales manager at Acme

  Rule: payments are recorded on won deals only

    @REQ-SALES-PAY-02 @allure.severity:critical
    Scenario: no payment on a deal that is still at the proposal stage
      Given Rita has a deal at the proposal stage
      When Maria tries to record a payment of 1,000.00 for it
      Then the payment is refused because the deal is not won
      And the deal shows "0.00" paid

  Rule: the payments on a deal never exceed its net amount

    @REQ-SALES-PAY-03 @allure.severity:critical
    Scenario: 400.01 more on a 1,000.00 deal already paid 600.00 is an overpayment
      Given Rita has won a deal worth 1,000.00
      And Maria has recorded a payment of 600.00 for it
      When Maria tries to record a payment of 400.01 for it
      Then the payment is refused as an overpayment
      And the deal shows "600.00" paid

  Rule: a deal is partially paid until its payments reach the net amount, then paid

    @REQ-SALES-PAY-01 @allure.severity:critical
    Scenario: a 1,000.00 deal paid 600.00 and then 400.00
      Given Rita has won a deal worth 1,000.00
      When Maria records a payment of 600.00 for it
      Then the deal is partially paid, with "600.00" paid
      When Maria records a payment of 400.00 for it
      Then the deal is paid in full

  Rule: a payment sent again under the same reference is recorded once

    @REQ-SALES-PAY-04 @allure.severity:critical
    Scenario: Maria sends the payment of 300.00 under reference "bank-0042" twice
      Given Rita has won a deal worth 1,000.00
      And Maria has recorded a payment of 300.00 for it under the reference "bank-0042"
      When Maria records a payment of 300.00 for it under the reference "bank-0042" again
      Then she is given back the payment recorded first
      And the deal holds that single payment, with "300.00" paid

    @REQ-SALES-PAY-04
    Scenario: a different payment under an already used reference is refused
      Given Rita has won a deal worth 1,000.00
      And Maria has recorded a payment of 300.00 for it under the reference "bank-0042"
      When Maria tries to record a payment of 350.00 for it under the reference "bank-0042"
      Then the payment is refused because its reference was already used
      And the deal holds that single payment, with "300.00" paid

  Rule: sales managers and admins record payments; the owner, managers and auditors see them

    @REQ-SALES-PAY-05 @OWASP-API5 @allure.severity:critical
    Scenario: Alice and Maria may record a payment, Rita and Otto may not
      Given Alice is an admin at Acme
      And Otto is an auditor at Acme
      And Rita has won a deal worth 1,000.00
      When Alice, Maria, Rita and Otto each try to record a payment of 100.00 for it
      Then the payments of Alice and Maria are recorded
      And Rita and Otto are refused as not allowed
      And the deal shows "200.00" paid

    @REQ-SALES-PAY-05 @OWASP-API1
    Scenario: Rita and Otto see the payments on Rita's deal, Ravi does not
      Given Otto is an auditor at Acme
      And Ravi is a sales rep at Acme
      And Rita has won a deal worth 1,000.00
      And Maria has recorded a payment of 400.00 for it
      When Rita, Otto and Ravi each look at the payments on the deal
      Then Rita and Otto see the payment of 400.00
      And Ravi is refused as not allowed
