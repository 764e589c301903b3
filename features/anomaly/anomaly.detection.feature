@anomaly @detection @smoke
Feature: Spotting faulty sensor readings
  As an analyst at Acme
  I want a detector trained on our sensor readings to point out the faulty ones
  So that engineers look at the few readings that matter instead of all of them

  Background:
    Given Ana is an analyst at Acme

  Rule: a robust z-score detector flags the readings far away from the typical ones

    @REQ-ANOM-DATA-01 @REQ-ANOM-TRAIN-01 @REQ-ANOM-DET-01 @REQ-ANOM-DET-08 @allure.severity:critical
    Scenario: the 6 planted faults among 300 readings are flagged, and nothing else
      Given Ana has uploaded the "sensor-readings" dataset of 300 readings
      And she has trained a robust z-score detector on its temperature, pressure and vibration
      When she checks every reading of the dataset with it
      Then exactly the 6 readings labelled as faults are flagged
