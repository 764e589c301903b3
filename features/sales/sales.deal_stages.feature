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

  Rule: every other move is refused, and the deal stays where it was

    @REQ-SALES-DEAL-02 @allure.severity:critical
    Scenario: moves that skip a stage, go back, stay put or leave a won or lost deal are refused
      When Rita tries each of these moves on a deal of her own:
        | from      | to        |
        | lead      | proposal  |
        | lead      | won       |
        | lead      | lead      |
        | qualified | won       |
        | qualified | lead      |
        | proposal  | qualified |
        | won       | won       |
        | won       | lost      |
        | won       | proposal  |
        | lost      | lost      |
        | lost      | qualified |
      Then each move is refused as an invalid transition, and each deal stays where it was

  Rule: a deal can be lost from any open stage

    @REQ-SALES-DEAL-03
    Scenario: Rita loses a lead, a qualified and a proposal deal
      Given Rita has deals at the lead, qualified and proposal stages
      When Rita moves each of them to lost
      Then each of them is at the lost stage

  Rule: only open deals can be edited

    @REQ-SALES-DEAL-04
    Scenario: a won and a lost deal can no longer be renamed
      Given Rita has deals at the won and lost stages
      When Rita tries to rename each of them "Second thoughts"
      Then Rita is refused each time because the deal is no longer open
      And each of them keeps its title
