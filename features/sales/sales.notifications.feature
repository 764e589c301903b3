@sales @notifications
Feature: Notifications about deals
  As a member of Acme's sales team
  I want to hear within seconds about the deal events that concern me, and only about those
  So that approvals, wins and payments are acted on at once

  Background:
    Given Rita is a sales rep at Acme
    And Ravi is a sales rep at Acme
    And Maria is a sales manager at Acme
    And Marco is a sales manager at Acme

  Rule: each event is told, within 2 seconds, to the people it concerns and to nobody else

    @REQ-SALES-NOTE-01
    Scenario: a 25 % discount asks every sales manager for approval
      When Rita opens a deal of "10000.00" with a 25 % discount
      Then within 2 seconds Maria and Marco are each told "approval requested" about the deal
      And Rita, Ravi and Alice are not told "approval requested" about it

    @REQ-SALES-NOTE-01
    Scenario Outline: Maria's decision to <decision> a discount is told to the deal's owner
      Given Rita has a deal of 10,000.00 with a 25 % discount at the proposal stage
      When Maria <decides> its discount
      Then within 2 seconds Rita is told "approval decided" about the deal
      And Maria, Marco and Ravi are not told "approval decided" about it

      Examples:
        | decision | decides  |
        | approve  | approves |
        | reject   | rejects  |

    @REQ-SALES-NOTE-01
    Scenario: a won deal is told to its owner and to every sales manager
      Given Rita has a deal at the proposal stage
      When Rita moves it to won
      Then within 2 seconds Rita, Maria and Marco are each told "deal won" about the deal
      And Ravi is not told "deal won" about it

    @REQ-SALES-NOTE-01
    Scenario: a payment received is told to the deal's owner
      Given Rita has won a deal worth 1,000.00
      When Maria records a payment of 400.00 for it
      Then within 2 seconds Rita is told "payment received" about the deal
      And Maria, Marco and Ravi are not told "payment received" about it

  Rule: a notification is marked as read by the person it was for, and by nobody else

    @REQ-SALES-NOTE-02
    Scenario: Rita marks her "payment received" notification as read
      Given Rita has won a deal worth 1,000.00
      And Maria has recorded a payment of 400.00 for it
      And within 2 seconds Rita is told "payment received" about the deal
      When Rita marks that notification as read
      Then it is shown to her as read
      And it is no longer among her unread notifications

    @REQ-SALES-NOTE-03 @OWASP-API1
    Scenario: Ravi cannot mark Rita's "payment received" notification as read
      Given Rita has won a deal worth 1,000.00
      And Maria has recorded a payment of 400.00 for it
      And within 2 seconds Rita is told "payment received" about the deal
      When Ravi tries to mark that notification as read
      Then Ravi is refused because it is not his
      And it is still among Rita's unread notifications
