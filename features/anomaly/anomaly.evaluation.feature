@anomaly @evaluation
Feature: Evaluating a detector against known faults
  As an analyst at Acme
  I want to compare a detector's verdicts with readings whose faults we already know
  So that I know how much to trust its flags before engineers act on them

  Background:
    Given Ana is an analyst at Acme

  Rule: evaluation counts hits, false alarms and misses against a 0/1 or true/false label column

    @REQ-ANOM-EVAL-01 @allure.severity:critical
    Scenario Outline: faults labelled <fault> and <fine>: 1 hit, 1 false alarm, 2 misses and 4 correct all-clears
      Given Ana has uploaded the CSV dataset "labelled boiler readings":
        | temperature | faulty |
        | -10         | <fine>  |
        | 20          | <fine>  |
        | 21          | <fine>  |
        | 22          | <fault> |
        | 23          | <fine>  |
        | 24          | <fine>  |
        | 25          | <fault> |
        | 60          | <fault> |
      And she has trained a robust z-score detector on its temperature
      When she evaluates the detector on the dataset against its faulty column
      Then the evaluation counts 1 true positive, 1 false positive, 4 true negatives and 2 false negatives
      And it gives precision 0.5, recall 0.33333333 and F1 0.4

      Examples:
        | fault | fine  |
        | 1     | 0     |
        | true  | false |

  Rule: the label column cannot be one of the features the detector learnt from

    @REQ-ANOM-EVAL-02
    Scenario: evaluating against the faulty column, which the detector was trained on, is refused
      Given Ana has uploaded the CSV dataset "labelled boiler readings":
        | temperature | faulty |
        | 20          | 0      |
        | 21          | 0      |
        | 22          | 0      |
        | 60          | 1      |
      And she has trained a robust z-score detector on its temperature and faulty
      When she tries to evaluate the detector on the dataset against its faulty column
      Then the evaluation is refused because its label column is one of the detector's features
