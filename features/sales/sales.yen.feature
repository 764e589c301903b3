@sales @money @commission
Feature: Selling in yen
  As Acme, selling in Japanese yen
  I want amounts without decimals and commission tiers that fit the yen
  So that our deals, payments and commissions read the way our customers count

  Background:
    Given Acme sells in JPY
    And Rita is a sales rep at Acme
    And Maria is a sales manager at Acme

  Rule: yen amounts are whole numbers, and a net amount is rounded half up to the yen

    @REQ-SALES-MONEY-01 @REQ-SALES-MONEY-04
    Scenario: a deal of 1,001 yen with a 50 % discount is 501 yen net
      When Rita opens a deal of "1001" with a 50 % discount
      Then the deal shows "1001" as its amount and "501" as its net amount, with "0" paid

    @REQ-SALES-MONEY-02
    Scenario: a deal written as "1500.5" yen is refused
      When Rita tries to open a deal of "1500.5"
      Then the deal is refused as invalid, naming its amount
      And Rita has no deals

  Rule: in yen the commission tiers start at 1,000,000 (7 %) and 5,000,000 (10 %)

    @REQ-SALES-COMM-01 @REQ-SALES-COMM-02 @allure.severity:critical
    Scenario Outline: a payment of <paid> yen on a deal of <net> yen net earns <commission> yen
      Given Rita has won a deal worth <net>
      When Maria records a payment of <paid> for it
      Then Rita earns <commission> commission at <rate> on that payment

      Examples:
        | net       | paid   | rate | commission |
        | 999,999   | 1,010  | 5 %  | 51         |
        | 1,000,000 | 10,000 | 7 %  | 700        |
        | 4,999,999 | 10,000 | 7 %  | 700        |
        | 5,000,000 | 10,000 | 10 % | 1,000      |
