@sales @concurrency
Feature: Changing a deal at the same time
  As a sales manager at Acme
  I want simultaneous or out-of-date changes to a deal never to overwrite each other silently
  So that what one person did is never undone by another who did not see it

  Background:
    Given Rita is a sales rep at Acme
    And Maria is a sales manager at Acme

  Rule: of two moves of one deal made at the same moment, exactly one succeeds

    @REQ-SALES-CONC-01 @allure.severity:critical
    Scenario Outline: Maria and Rita move a <from> deal to <to> at the same moment
      Given Rita has a deal at the <from> stage
      When Maria and Rita move the deal to <to> at the same moment
      Then exactly one of the two moves succeeds and the other is refused as an invalid transition
      And the deal is at the <to> stage, one version later

      Examples:
        | from      | to        |
        | qualified | proposal  |

  Rule: a change or a move based on an out-of-date reading of the deal is refused

    @REQ-SALES-CONC-02 @allure.severity:critical
    Scenario: Rita's rename based on an old reading is refused after Maria renamed the deal
      Given Rita has opened the deal "Harbour cranes" worth 40,000.00
      And Maria has renamed the deal "Harbour cranes, phase 1"
      When Rita renames it "Harbour cranes, all phases" based on her earlier reading
      Then the change is refused as out of date
      And the deal is called "Harbour cranes, phase 1"

    @REQ-SALES-CONC-02 @allure.severity:critical
    Scenario: Rita's move based on an old reading is refused after Maria renamed the deal
      Given Rita has opened the deal "Harbour cranes" worth 40,000.00
      And Maria has renamed the deal "Harbour cranes, phase 1"
      When Rita tries to move it to qualified based on her earlier reading
      Then the move is refused as out of date
      And the deal is at the lead stage

    @REQ-SALES-CONC-02
    Scenario: a rename and a move based on the latest reading go through
      Given Rita has opened the deal "Harbour cranes" worth 40,000.00
      And Maria has renamed the deal "Harbour cranes, phase 1"
      When Rita renames it "Harbour cranes, all phases" based on her latest reading
      And Rita moves it to qualified based on her latest reading
      Then the deal is called "Harbour cranes, all phases"
      And the deal is at the qualified stage

  Rule: every change of a deal raises its version by one, and every answer about the deal tells its version

    @REQ-SALES-CONC-03
    Scenario: each edit, move, approval and payment raises the deal's version by one
      Given Rita has a deal of 10,000.00 with a 25 % discount at the lead stage
      When these changes are made to the deal, one after another:
        | who   | change                         |
        | Rita  | renames it "Wind farm, north"  |
        | Maria | approves its discount          |
        | Rita  | moves it to qualified          |
        | Rita  | moves it to proposal           |
        | Rita  | moves it to won                |
        | Maria | records a payment of 1,000.00  |
      Then each change raised the deal's version by exactly one
      And every answer about the deal told its version at that moment
