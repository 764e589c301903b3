@sales @money
Feature: Money in deals
  As a sales manager at Acme
  I want every amount shown to the cent and every amount taken exactly as written
  So that no deal is ever worth a little more or less than we agreed

  Background:
    Given Acme sells in EUR
    And Rita is a sales rep at Acme

  Rule: euro amounts are shown with exactly two decimals, and may be written with fewer

    @REQ-SALES-MONEY-01
    Scenario Outline: a deal written as "<written>" is shown as "<shown>"
      When Rita opens a deal of "<written>"
      Then the deal shows "<shown>" as its amount and "<shown>" as its net amount, with "0.00" paid

      Examples:
        | written | shown    |
        | 12000.5 | 12000.50 |

  Rule: an amount with more decimals than the currency has is refused

    @REQ-SALES-MONEY-02
    Scenario: a deal written as "12000.001" is refused
      When Rita tries to open a deal of "12000.001"
      Then the deal is refused as invalid, naming its amount
      And Rita has no deals

  Rule: an amount must be written as a decimal text, never as a plain number

    @REQ-SALES-MONEY-03
    Scenario: a deal worth 12000 written as a plain number is refused
      When Rita tries to open a deal worth 12000 written as a plain number
      Then the deal is refused as invalid, naming its amount
      And Rita has no deals

  Rule: the net amount is the amount less the discount, rounded half up to the cent

    @REQ-SALES-MONEY-04 @allure.severity:critical
    Scenario Outline: <amount> less <discount> is <net> net
      When Rita opens a deal of "<amount>" with a <discount> discount
      Then the deal shows "<amount>" as its amount and "<net>" as its net amount, with "0.00" paid

      Examples:
        | amount  | discount | net    |
        | 10.04   | 12.5 %   | 8.79   |
