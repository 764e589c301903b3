@sales @money
Feature: Money in deals
  As a sales manager at Acme
  I want every amount shown to the cent in our currency and every amount taken exactly as written
  So that no deal or payment is ever worth a little more or less than we agreed

  Rule: amounts are shown with exactly two decimals in euro, dollar and pound, and may be written with fewer

    @REQ-SALES-MONEY-01 @REQ-SALES-DEAL-08
    Scenario Outline: a deal in <currency> written as "<written>" is shown as "<shown>"
      Given Acme sells in <currency>
      When Rita opens a deal of "<written>"
      Then the deal shows "<shown>" as its amount and "<shown>" as its net amount, with "0.00" paid

      Examples:
        | currency | written | shown    |
        | EUR      | 12000.5 | 12000.50 |
        | USD      | 12000   | 12000.00 |
        | GBP      | 99.9    | 99.90    |

  Rule: an amount with more decimals than the currency has is refused

    @REQ-SALES-MONEY-02
    Scenario: a deal written as "12000.001" is refused
      When Rita tries to open a deal of "12000.001"
      Then the deal is refused as invalid, naming its amount
      And Rita has no deals

  Rule: amounts and discounts are written as decimal text, never as plain numbers

    @REQ-SALES-MONEY-03
    Scenario: a deal worth 12000 written as a plain number is refused
      When Rita tries to open a deal worth 12000 written as a plain number
      Then the deal is refused as invalid, naming its amount
      And Rita has no deals

    @REQ-SALES-MONEY-05
    Scenario: a deal with a discount of 10 written as a plain number is refused
      When Rita tries to open a deal of "12000.00" with a discount of 10 written as a plain number
      Then the deal is refused as invalid, naming its discount
      And Rita has no deals

    @REQ-SALES-MONEY-03
    Scenario: a payment of 100 written as a plain number is refused
      Given Rita has won a deal worth 1,000.00
      When Maria tries to record a payment of 100 written as a plain number
      Then the payment is refused as invalid, naming its amount
      And the deal shows "0.00" paid

  Rule: the net amount is the amount less the discount, rounded half up to the cent

    @REQ-SALES-MONEY-04 @allure.severity:critical
    Scenario Outline: <amount> less <discount> is <net> net
      When Rita opens a deal of "<amount>" with a <discount> discount
      Then the deal shows "<amount>" as its amount and "<net>" as its net amount, with "0.00" paid

      Examples:
        | amount  | discount | net    |
        | 10.04   | 12.5 %   | 8.79   |
