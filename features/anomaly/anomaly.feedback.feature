@anomaly @feedback
Feature: Teaching a detector with feedback
  As an analyst at Acme
  I want to tell a detector which of its verdicts were wrong
  So that its next version gets those readings right

  Background:
    Given Ana is an analyst at Acme
    And Ana has uploaded the "boiler-readings" dataset of 7 readings

  Rule: after retraining with feedback, every reading labelled normal is normal and every one labelled anomaly is anomalous

    @REQ-ANOM-FEED-01 @allure.severity:critical
    Scenario Outline: <detector> is told that a hot reading is fine and a quiet one is a fault
      Given she has trained <detector> on its temperature and pressure
      And the detector flags a reading of temperature 60 and pressure 112 but not one of temperature 22 and pressure 104
      When she gives the detector this feedback:
        | temperature | pressure | label   |
        | 60          | 112      | normal  |
        | 22          | 104      | anomaly |
      And she retrains the detector on the same dataset using her feedback
      Then the detector's new version judges each of those readings as she labelled it

      Examples: every kind of detector
        | detector                                            |
        | a robust z-score detector                           |
        | an IQR detector                                     |
        | an isolation forest detector with contamination 0.2 |
