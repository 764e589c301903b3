@anomaly @detectors
Feature: How detectors score readings
  As an analyst at Acme
  I want to know exactly why a detector calls a reading anomalous
  So that I can choose the detector and the threshold that fit our machines

  Background:
    Given Ana is an analyst at Acme

  Rule: a robust z-score is 0.6745 × distance from the median ÷ MAD, the highest over the features; above 3.5 is anomalous

    Background:
      Given Ana has uploaded the CSV dataset "boiler readings":
        | temperature | pressure |
        | 20          | 100      |
        | 21          | 102      |
        | 22          | 104      |
        | 23          | 106      |
        | 24          | 108      |
        | 25          | 110      |
        | 60          | 112      |
      And she has trained a robust z-score detector on its temperature and pressure

    @REQ-ANOM-DET-01 @REQ-ANOM-DET-08 @allure.severity:critical
    Scenario Outline: <temperature> °C at <pressure> hPa (temperature median 23, MAD 2; pressure median 106, MAD 4)
      When she checks a reading of temperature <temperature> and pressure <pressure> with the detector
      Then the reading scores <score> and is <verdict> against the threshold 3.5

      Examples:
        | temperature | pressure | score     | verdict   |
        | 23          | 126      | 3.3725    | normal    |
        | 33.37       | 106      | 3.4972825 | normal    |
        | 33.38       | 106      | 3.500655  | anomalous |
        | 27          | 130      | 4.047     | anomalous |
        | 60          | 106      | 12.47825  | anomalous |

  Rule: a custom threshold moves the line, and a score equal to the threshold is still normal

    @REQ-ANOM-DET-02
    Scenario Outline: with threshold 0.6745 a reading of <temperature> °C is <verdict>
      Given Ana has uploaded the CSV dataset "boiler temperatures":
        | temperature |
        | 20          |
        | 21          |
        | 22          |
        | 23          |
        | 24          |
        | 25          |
        | 60          |
      And she has trained a robust z-score detector with threshold 0.6745 on its temperature
      When she checks a reading of temperature <temperature> with the detector
      Then the reading scores <score> and is <verdict> against the threshold 0.6745

      Examples:
        | temperature | score   | verdict   |
        | 25          | 0.6745  | normal    |
        | 20          | 1.01175 | anomalous |

  Rule: a feature whose readings barely vary (MAD 0) flags every value off its median

    @REQ-ANOM-DET-03
    Scenario Outline: mains voltage of <voltage> V is <verdict> when nearly every reading was 230 V
      Given Ana has uploaded the CSV dataset "mains voltage":
        | voltage |
        | 230     |
        | 230     |
        | 230     |
        | 230     |
        | 230     |
        | 231     |
        | 233     |
      And she has trained a robust z-score detector on its voltage
      When she checks a reading of voltage <voltage> with the detector
      Then the reading is <verdict>

      Examples:
        | voltage | verdict   |
        | 230     | normal    |
        | 230.5   | anomalous |

  Rule: an IQR score is the distance outside [Q1, Q3] in IQRs, the highest over the features; above k (1.5) is anomalous

    Background:
      Given Ana has uploaded the CSV dataset "conveyor load":
        | load | speed |
        | 0    | 1     |
        | 10   | 2     |
        | 10   | 2     |
        | 10   | 2     |
        | 15   | 3     |
        | 20   | 4     |
        | 20   | 4     |
        | 20   | 4     |
        | 30   | 6     |

    @REQ-ANOM-DET-04 @allure.severity:critical
    Scenario Outline: a load of <load> (Q1 10, Q3 20, IQR 10) scores <score> and is <verdict>
      Given she has trained an IQR detector on its load
      When she checks a reading of load <load> with the detector
      Then the reading scores <score> and is <verdict> against the threshold 1.5

      Examples:
        | load | score | verdict   |
        | 35   | 1.5   | normal    |
        | 35.1 | 1.51  | anomalous |
        | 36   | 1.6   | anomalous |
        | -6   | 1.6   | anomalous |

    @REQ-ANOM-DET-04 @allure.severity:critical
    Scenario Outline: load <load> and speed <speed> (speed Q1 2, Q3 4, IQR 2) score the higher of their two scores
      Given she has trained an IQR detector on its load and speed
      When she checks a reading of load <load> and speed <speed> with the detector
      Then the reading scores <score> and is <verdict> against the threshold 1.5

      Examples: each feature alone, and both at once
        | load | speed | score | verdict   |
        | 30   | 6     | 1     | normal    |
        | 36   | 4     | 1.6   | anomalous |
        | 10   | 7.2   | 1.6   | anomalous |

    @REQ-ANOM-DET-04
    Scenario Outline: with k 3 a load of <load> scores <score> and is <verdict>
      Given she has trained an IQR detector with threshold 3 on its load
      When she checks a reading of load <load> with the detector
      Then the reading scores <score> and is <verdict> against the threshold 3

      Examples:
        | load | score | verdict   |
        | 36   | 1.6   | normal    |
        | 51   | 3.1   | anomalous |

  Rule: an isolation forest flags the share of its training readings given by its contamination (default 0.05)

    @REQ-ANOM-DET-05 @allure.severity:critical
    Scenario Outline: contamination <contamination> flags about <flagged> of 200 machine readings, the 4 extremes among them
      Given Ana has uploaded the "machine-load" dataset of 200 readings
      And she has trained an isolation forest detector <contamination> on its cpu and memory
      When she checks every reading of the dataset with it
      Then <flagged> of the readings are flagged, give or take one
      And the 4 readings labelled as extremes are among them

      Examples:
        | contamination                  | flagged |
        | with the default contamination | 10      |
        | with contamination 0.25        | 50      |
        | with contamination 0.5         | 100     |

  Rule: an isolation forest's contamination is above 0 and at most 0.5

    @REQ-ANOM-DET-07
    Scenario Outline: an isolation forest with contamination <contamination> is <outcome>
      When Ana tries to create an isolation forest detector with contamination <contamination> on cpu and memory
      Then the detector is <outcome>

      Examples:
        | contamination | outcome                       |
        | 0             | refused for its contamination |
        | 0.001         | accepted                      |
        | 0.5           | accepted                      |
        | 0.501         | refused for its contamination |

  Rule: a detector's features must be numeric columns of the dataset it is trained on

    @REQ-ANOM-DET-06
    Scenario Outline: training on <feature> (<why>) is refused as an unknown feature
      Given Ana has uploaded the CSV dataset "boiler sites":
        | temperature | site  |
        | 20          | north |
        | 21          | south |
        | 22          | north |
      And she has created a robust z-score detector on temperature and <feature>
      When she tries to train the detector on the dataset
      Then the training is refused because of an unknown feature

      Examples:
        | feature  | why                       |
        | humidity | not a column              |
        | site     | a column of site names    |
