@anomaly @streaming
Feature: Streaming readings to a detector
  As an analyst at Acme
  I want to send readings line by line and get a verdict for each line as it comes
  So that a live feed of readings can be checked without batching it up

  Background:
    Given Ana is an analyst at Acme
    And Ana has uploaded the "boiler-readings" dataset of 7 readings
    And she has trained a robust z-score detector on its temperature

  Rule: a stream answers one result per line, in the order of the lines

    @REQ-ANOM-STREAM-01 @REQ-ANOM-STREAM-03 @allure.severity:critical
    Scenario: six readings streamed get six verdicts in their order
      When she streams these lines to the detector:
        | line            |
        | temperature 22  |
        | temperature 95  |
        | temperature 23  |
        | temperature 24  |
        | temperature -10 |
        | temperature 21  |
      Then she gets one result per line, in order:
        | result    |
        | normal    |
        | anomalous |
        | normal    |
        | normal    |
        | anomalous |
        | normal    |

  Rule: a bad line gets an error for that line and the stream goes on

    @REQ-ANOM-STREAM-02
    Scenario: a line that is not a reading and a reading without its temperature get errors, the rest verdicts
      When she streams these lines to the detector:
        | line                            |
        | temperature 95                  |
        | something that is not a reading |
        | pressure 104                    |
        | temperature 22                  |
        | temperature 96                  |
      Then she gets one result per line, in order:
        | result    |
        | anomalous |
        | an error  |
        | an error  |
        | normal    |
        | anomalous |
