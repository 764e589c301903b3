@sales @approvals
Feature: Approval of large discounts
  As a sales manager at Acme
  I want deals with a discount above our threshold to wait for a manager's approval before they are won
  So that no rep gives away margin on their own say-so

  Background:
    Given Rita is a sales rep at Acme
    And Maria is a sales manager at Acme

  Rule: a discount above Acme's threshold, 20 % unless Acme's admin sets another, needs a manager's approval

    @REQ-SALES-APPR-01 @allure.severity:critical
    Scenario Outline: a <discount> discount leaves the approval <approval>
      When Rita opens a deal of "10000.00" with a <discount> discount
      Then the deal's approval is <approval>

      Examples:
        | discount | approval     |
        | 20 %     | not required |
        | 20.01 %  | pending      |

    @REQ-SALES-APPR-05 @allure.severity:critical
    Scenario Outline: with Acme's threshold set to <threshold>, a <discount> discount leaves the approval <approval>
      Given Alice has set Acme's discount approval threshold to <threshold>
      When Rita opens a deal of "10000.00" with a <discount> discount
      Then the deal's approval is <approval>

      Examples:
        | threshold | discount | approval     |
        | 10 %      | 10 %     | not required |
        | 10 %      | 10.01 %  | pending      |
        | 30 %      | 25 %     | not required |

  Rule: a deal cannot be won while its approval is pending or rejected

    @REQ-SALES-APPR-02 @allure.severity:critical
    Scenario: Rita cannot win a deal whose 25 % discount awaits approval
      Given Rita has a deal of 10,000.00 with a 25 % discount at the proposal stage
      When Rita tries to move it to won
      Then the move is refused because approval is required
      And the deal is at the proposal stage

    @REQ-SALES-APPR-02 @allure.severity:critical
    Scenario: a discount Maria rejected keeps the deal from being won
      Given Rita has a deal of 10,000.00 with a 25 % discount at the proposal stage
      And Maria has rejected its discount
      When Rita tries to move it to won
      Then the move is refused because approval is required
      And the deal's approval is rejected

  Rule: a sales manager or an admin who does not own the deal decides on its discount, and then it can be won

    @REQ-SALES-APPR-03 @allure.severity:critical
    Scenario: Maria approves Rita's 25 % discount and Rita wins the deal
      Given Rita has a deal of 10,000.00 with a 25 % discount at the proposal stage
      When Maria approves its discount
      And Rita moves it to won
      Then the deal is at the won stage
      And the deal's approval is approved

    @REQ-SALES-APPR-03
    Scenario: Alice, Acme's admin, rejects Rita's 25 % discount
      Given Rita has a deal of 10,000.00 with a 25 % discount at the proposal stage
      When Alice rejects its discount
      Then the deal's approval is rejected

    @REQ-SALES-APPR-03 @OWASP-API5 @allure.severity:critical
    Scenario: neither Rita, another rep nor an auditor may decide on Rita's discount
      Given Ravi is a sales rep at Acme
      And Otto is an auditor at Acme
      And Rita has a deal of 10,000.00 with a 25 % discount at the proposal stage
      When Rita, Ravi and Otto each try to approve its discount
      Then Rita, Ravi and Otto are refused as not allowed
      And the deal's approval is pending

    @REQ-SALES-APPR-03 @OWASP-API5 @allure.severity:critical
    Scenario: Maria cannot approve the discount on her own deal
      Given Maria has a deal of 10,000.00 with a 25 % discount at the proposal stage
      When Maria tries to approve its discount
      Then Maria is refused as not allowed
      And the deal's approval is pending

  Rule: only a pending approval can be decided

    @REQ-SALES-APPR-06
    Scenario: Maria cannot reject a discount she has already approved
      Given Rita has a deal of 10,000.00 with a 25 % discount at the proposal stage
      And Maria has approved its discount
      When Maria tries to reject its discount
      Then the decision is refused because the approval is not pending
      And the deal's approval is approved

    @REQ-SALES-APPR-06
    Scenario: Maria cannot approve a 10 % discount, which needs no approval
      Given Rita has a deal of 10,000.00 with a 10 % discount at the proposal stage
      When Maria tries to approve its discount
      Then the decision is refused because the approval is not pending
      And the deal's approval is not required

  Rule: raising the discount of a deal above the threshold asks for approval again

    @REQ-SALES-APPR-04 @allure.severity:critical
    Scenario: Rita raises an approved discount from 25 % to 30 %
      Given Rita has a deal of 10,000.00 with a 25 % discount at the proposal stage
      And Maria has approved its discount
      When Rita raises its discount to 30 %
      Then the deal's approval is pending

    @REQ-SALES-APPR-04 @REQ-SALES-APPR-05
    Scenario: with Acme's threshold set to 10 %, raising a discount from 5 % to 12 % asks for approval
      Given Alice has set Acme's discount approval threshold to 10 %
      And Rita has a deal of 10,000.00 with a 5 % discount at the lead stage
      When Rita raises its discount to 12 %
      Then the deal's approval is pending
