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
    Scenario Outline: no payment on a deal at the <stage> stage
      Given Rita has a deal at the <stage> stage
      When Maria tries to record a payment of 1,000.00 for it
      Then the payment is refused because the deal is not won
      And the deal shows "0.00" paid

      Examples:
        | stage    |
        | proposal |
        | lost     |

  Rule: the payments on a deal never exceed its net amount, the amount less the discount

    @REQ-SALES-PAY-03 @allure.severity:critical
    Scenario: 300.01 more on a deal of 1,000.00 with 10 % off, already paid 600.00, is an overpayment
      Given Rita has a deal of 1,000.00 with a 10 % discount at the won stage
      And Maria has recorded a payment of 600.00 for it
      When Maria tries to record a payment of 300.01 for it
      Then the payment is refused as an overpayment
      And the deal shows "600.00" paid

  Rule: a won deal is unpaid, then partially paid, then paid once its payments reach its net amount

    @REQ-SALES-PAY-01 @allure.severity:critical
    Scenario: a deal of 1,000.00 with 10 % off is paid 600.00 and then 300.00
      Given Rita has a deal of 1,000.00 with a 10 % discount at the won stage
      And the deal is unpaid, with "0.00" paid
      When Maria records a payment of 600.00 for it
      Then the deal is partially paid, with "600.00" paid
      When Maria records a payment of 300.00 for it
      Then the deal is paid in full, with "900.00" paid

  Rule: a payment tells its deal, its amount in the deal's currency, when it was received and when it was recorded

    @REQ-SALES-PAY-06
    Scenario: Maria records a payment of 250.00 received on 2 May 2024 at 09:30 UTC
      Given Rita has won a deal worth 1,000.00
      When Maria records a payment of 250.00 for it received 2 May 2024 09:30:00 UTC
      Then the payment is 250.00 EUR for the deal, received 2 May 2024 09:30:00 UTC and recorded just now
      And the payments on the deal are that payment alone

  Rule: a payment sent again under the same reference is recorded once

    @REQ-SALES-PAY-04 @allure.severity:critical
    Scenario: Maria sends the payment of 300.00 under reference "bank-0042" twice
      Given Rita has won a deal worth 1,000.00
      And Maria has recorded a payment of 300.00 for it under the reference "bank-0042"
      When Maria records a payment of 300.00 for it under the reference "bank-0042" again
      Then she is given back the payment recorded first
      And the deal holds that single payment, with "300.00" paid

    @REQ-SALES-PAY-08
    Scenario: Maria sends the payment of 300.00 under reference "bank-0042" again half a minute later
      Given Rita has won a deal worth 1,000.00
      And Maria has recorded a payment of 300.00 for it under the reference "bank-0042"
      When half a minute has passed since that payment was recorded
      And Maria records a payment of 300.00 for it under the reference "bank-0042" again
      Then she is given back the payment recorded first
      And the deal holds that single payment, with "300.00" paid

    @REQ-SALES-PAY-04
    Scenario: a different payment under an already used reference is refused
      Given Rita has won a deal worth 1,000.00
      And Maria has recorded a payment of 300.00 for it under the reference "bank-0042"
      When Maria tries to record a payment of 350.00 for it under the reference "bank-0042"
      Then the payment is refused because its reference was already used
      And the deal holds that single payment, with "300.00" paid

  Rule: a payment reference belongs to one company: another company may use the same reference

    @REQ-SALES-PAY-07 @OWASP-API1 @allure.severity:critical
    Scenario: Globex records its own payment under the reference "bank-0042" that Acme used first
      Given Rita has won a deal worth 1,000.00
      And Maria has recorded a payment of 300.00 for it under the reference "bank-0042"
      And Gina has won a deal worth 1,000.00
      When Bob records a payment of 300.00 for it under the reference "bank-0042"
      Then Bob's payment is a new one, on Gina's deal
      And the deal holds that single payment, with "300.00" paid

  Rule: sales managers and admins record payments; the owner, managers, admins and auditors see them

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
    Scenario: Rita, Maria, Alice and Otto see the payments on Rita's deal, Ravi does not
      Given Otto is an auditor at Acme
      And Ravi is a sales rep at Acme
      And Rita has won a deal worth 1,000.00
      And Maria has recorded a payment of 400.00 for it
      When Rita, Maria, Alice, Otto and Ravi each look at the payments on the deal
      Then Rita, Maria, Alice and Otto see the payment of 400.00
      And Ravi is refused as not allowed
