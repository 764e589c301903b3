@sales @stages
Feature: The stages of a deal
  As a sales rep at Acme
  I want every deal to move through the pipeline one stage at a time
  So that the pipeline tells the truth about where each deal stands

  Background:
    Given Rita is a sales rep at Acme

  Rule: a deal moves from lead to qualified to proposal to won, one stage at a time

    @REQ-SALES-DEAL-01 @allure.severity:critical
    Scenario: Rita takes a new deal from lead to won
      Given Rita has opened the deal "Rooftop solar for Hamburg" worth 12,000.00
      And the deal is at the lead stage
      When Rita moves it to qualified, then to proposal, then to won
      Then the deal is at the won stage

  Rule: skipping a stage, or leaving a won or lost deal, is refused

    @REQ-SALES-DEAL-02 @allure.severity:critical
    Scenario Outline: a <from> deal cannot move to <to>
      Given Rita has a deal at the <from> stage
      When Rita tries to move it to <to>
      Then the move is refused as an invalid transition
      And the deal is at the <from> stage

      Examples:
        | from      | to        |
        | qualified | won       |
        | won       | lost      |
        | lost      | qualified |

  Rule: a deal can be lost from any open stage

    @REQ-SALES-DEAL-03
    Scenario Outline: a deal at the <from> stage can be lost
      Given Rita has a deal at the <from> stage
      When Rita moves it to lost
      Then the deal is at the lost stage

      Examples:
        | from      |
        | qualified |

  Rule: only open deals can be edited

    @REQ-SALES-DEAL-04
    Scenario Outline: a <stage> deal can no longer be renamed
      Given Rita has a deal at the <stage> stage
      When Rita tries to rename it "Second thoughts"
      Then the change is refused because the deal is no longer open
      And the deal keeps its title

      Examples:
        | stage |
        | won   |
