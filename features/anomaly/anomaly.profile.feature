@anomaly @profile
Feature: Profiling a dataset
  As an analyst at Acme
  I want a profile of each dataset: its rows, repeats, gaps and the spread of every numeric column
  So that I can judge the data before a detector learns from it

  Background:
    Given Ana is an analyst at Acme

  Rule: the profile counts the rows, the repeated rows and each column's values, gaps and distinct values

    @REQ-ANOM-PROF-01
    Scenario: counts of five readings with repeats and a gap
      Given Ana has uploaded the CSV dataset "site readings":
        | site  | reading |
        | north | 1       |
        | north | 1       |
        | south |         |
        | north | 1       |
        | east  | 2       |
      When she looks at the dataset's profile
      Then the profile counts 5 rows, 2 of them repeats of an earlier row
      And the profile counts these values per column:
        | column  | type        | count | missing | distinct |
        | site    | categorical | 5     | 0       | 3        |
        | reading | numeric     | 4     | 1       | 2        |

  Rule: a numeric column adds its mean, sample standard deviation, extremes and quartiles by linear interpolation

    @REQ-ANOM-PROF-02
    Scenario Outline: statistics of the readings <values>
      Given Ana has uploaded a CSV dataset whose reading column holds <values>
      When she looks at the dataset's profile
      Then the profile gives the reading column these statistics:
        | mean   | std   | min   | max   | p25   | p50   | p75   |
        | <mean> | <std> | <min> | <max> | <p25> | <p50> | <p75> |

      Examples: quartiles that fall on readings, and between them
        | values                     | mean | std        | min | max | p25  | p50 | p75  |
        | "1", "2", "3", "4", "10"   | 4    | 3.5355339  | 1   | 10  | 2    | 3   | 4    |
        | "40", "10", "30", "20"     | 25   | 12.9099445 | 10  | 40  | 17.5 | 25  | 32.5 |
        | "3", "", "1", "2"          | 2    | 1          | 1   | 3   | 1.5  | 2   | 2.5  |
