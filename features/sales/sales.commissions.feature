@sales @commission
Feature: Commission on money received
  As a sales rep at Acme
  I want each payment on my won deals to earn me commission at the rate of the deal's net amount
  So that I can check every cent of my pay against the money that actually arrived

  Commission in yen, with its own tiers, is told in "Selling in yen".

  Background:
    Given Acme sells in EUR
    And Rita is a sales rep at Acme
    And Maria is a sales manager at Acme

  Rule: a payment earns the deal's owner commission at the rate of the deal's net amount

    @REQ-SALES-DEAL-01 @REQ-SALES-PAY-01 @REQ-SALES-COMM-01 @REQ-SALES-COMM-05 @smoke @allure.severity:critical
    Scenario: a 12,000.00 deal paid in full earns Rita 7 %
      Given Rita has won a deal worth 12,000.00
      When Maria records a payment of 12,000.00 for it
      Then the deal is paid in full, with "12000.00" paid
      And Rita earns 840.00 commission on it this quarter

  Rule: the rate follows the deal's net amount: below 10,000.00 5 %, up to 49,999.99 7 %, from 50,000.00 10 %

    @REQ-SALES-COMM-01 @allure.severity:critical
    Scenario Outline: a payment of 1,000.00 on a deal of <net> net earns <rate>
      Given Rita has won a deal worth <net>
      When Maria records a payment of 1,000.00 for it
      Then Rita earns <commission> commission at <rate> on that payment

      Examples:
        | net       | rate | commission |
        | 9,999.99  | 5 %  | 50.00      |
        | 10,000.00 | 7 %  | 70.00      |
        | 49,999.99 | 7 %  | 70.00      |
        | 50,000.00 | 10 % | 100.00     |

    @REQ-SALES-COMM-01 @allure.severity:critical
    Scenario Outline: a payment of 1,000.00 on a deal of <amount> with <discount> off, <net> net, earns <rate>
      Given Rita has a deal of <amount> with a <discount> discount at the won stage
      When Maria records a payment of 1,000.00 for it
      Then Rita earns <commission> commission at <rate> on that payment

      Examples:
        | amount    | discount | net       | rate | commission |
        | 10,000.00 | 10 %     | 9,000.00  | 5 %  | 50.00      |
        | 55,000.00 | 10 %     | 49,500.00 | 7 %  | 70.00      |

  Rule: commission is worked out on each payment and rounded half up to the cent

    @REQ-SALES-COMM-02 @REQ-SALES-COMM-05 @allure.severity:critical
    Scenario: two payments of 10.10 at 5 % earn 0.51 each, 1.02 in all
      Given Rita has won a deal worth 9,000.00
      When Maria records a payment of 10.10 for it
      And Maria records a payment of 10.10 for it
      Then Rita's statement for this quarter lists 0.51 and 0.51 for the deal, 1.02 in all

  Rule: a quarter's statement holds the payments received in that quarter, in UTC

    @REQ-SALES-COMM-03
    Scenario: payments received either side of midnight on 1 April 2024 fall into different quarters
      Given Rita has won a deal worth 20,000.00
      And Maria has recorded a payment of 1,000.00 for it received 31 March 2024 23:59:59 UTC
      And Maria has recorded a payment of 2,000.00 for it received 1 April 2024 00:00:00 UTC
      Then Rita's statement for 2024-Q1 holds only the payment of 1,000.00, earning 70.00
      And Rita's statement for 2024-Q2 holds only the payment of 2,000.00, earning 140.00

  Rule: a sales rep reads only their own commission statement; managers, admins and auditors read anyone's

    @REQ-SALES-COMM-04 @OWASP-API1 @allure.severity:critical
    Scenario: Ravi cannot read Rita's commission statement
      Given Ravi is a sales rep at Acme
      And Rita has won a deal worth 12,000.00
      And Maria has recorded a payment of 12,000.00 for it
      When Ravi asks for Rita's commission statement
      Then Ravi is refused as not allowed

    @REQ-SALES-COMM-04
    Scenario: Maria, Alice and Otto read Rita's commission statement
      Given Otto is an auditor at Acme
      And Rita has won a deal worth 12,000.00
      And Maria has recorded a payment of 12,000.00 for it
      When Maria, Alice and Otto each read Rita's commission statement for this quarter
      Then each of them sees Rita earn 840.00 on the deal
