@anomaly @training
Feature: Training detectors and checking readings with them
  As an analyst at Acme
  I want training to run in the background and every check to be exact and repeatable
  So that I can retrain detectors without waiting and trust that a verdict does not change by chance

  Background:
    Given Ana is an analyst at Acme
    And Ana has uploaded the "boiler-readings" dataset of 7 readings

  Rule: training runs as a job that can be followed until it succeeds; each success raises the detector's version

    @REQ-ANOM-TRAIN-01 @REQ-ANOM-TRAIN-07 @allure.severity:critical
    Scenario: a new detector is untrained at version 0 and trained at version 1 once its job succeeds
      Given she has created a robust z-score detector on temperature and pressure
      And the detector is untrained at version 0
      When she starts training the detector on the dataset
      Then the training job can be followed until it has succeeded
      And the detector is trained at version 1, on 7 readings

    @REQ-ANOM-TRAIN-01
    Scenario: retraining raises the version from 1 to 2
      Given she has trained a robust z-score detector on its temperature and pressure
      When she trains the detector again on the same dataset
      Then the detector is trained at version 2, on 7 readings
      And its checks are answered by version 2

  Rule: 10,000 readings of 10 features train in under 10 seconds

    @REQ-ANOM-TRAIN-06 @allure.severity:critical
    Scenario Outline: <detector> learns 10,000 readings of 10 sensors in under 10 seconds
      Given Ana has uploaded 10,000 readings of 10 sensors
      When she trains <detector> on all 10 sensors
      Then it has learnt them in under 10 seconds

      Examples:
        | detector                     |
        | an isolation forest detector |
        | a robust z-score detector    |
        | an IQR detector              |

  Rule: a detector that has never been trained cannot check readings

    @REQ-ANOM-TRAIN-02
    Scenario: checking a reading with an untrained detector is refused
      Given she has created a robust z-score detector on temperature and pressure
      When she tries to check a reading of temperature 21 and pressure 104 with the detector
      Then she is told that the detector has not been trained yet

  Rule: every reading checked must have a value for every feature; the refusal names the reading lacking one

    @REQ-ANOM-TRAIN-03
    Scenario: the third of four readings lacks its pressure
      Given she has trained a robust z-score detector on its temperature and pressure
      When she tries to check these readings with the detector:
        | temperature | pressure |
        | 21          | 104      |
        | 22          | 105      |
        | 23          |          |
        | 24          | 107      |
      Then the check is refused naming the third reading

  Rule: the same version of a detector gives the same results for the same readings

    @REQ-ANOM-TRAIN-04 @allure.severity:critical
    Scenario: an isolation forest checks the same 200 readings twice with identical results
      Given Ana has uploaded the "machine-load" dataset of 200 readings
      And she has trained an isolation forest detector on its cpu and memory
      When she checks every reading of the dataset with the detector twice
      Then both checks give identical results, score for score

  Rule: one check covers at most 10,000 readings

    @REQ-ANOM-TRAIN-05 @OWASP-API4
    Scenario: 10,000 readings are checked in one go
      Given she has trained a robust z-score detector on its temperature
      When she checks 10,000 readings at once with the detector
      Then every one of the 10,000 readings gets a result

    @REQ-ANOM-TRAIN-05 @OWASP-API4
    Scenario: 10,001 readings are too many for one check
      Given she has trained a robust z-score detector on its temperature
      When she tries to check 10,001 readings at once with the detector
      Then the check is refused as too large
