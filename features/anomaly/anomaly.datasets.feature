@anomaly @datasets
Feature: Uploading datasets
  As an analyst at Acme
  I want to upload our measurements as datasets, as a CSV file or as structured rows
  So that detectors learn from exactly the data we have, each column typed the way it reads

  Background:
    Given Ana is an analyst at Acme

  Rule: an uploaded file keeps every row, repeated and incomplete ones too

    @REQ-ANOM-DATA-01 @REQ-ANOM-DATA-07 @allure.severity:critical
    Scenario: 6 meter readings with a repeat and a gap make a dataset of 6 rows
      When Ana uploads the CSV dataset "boiler room":
        | meter | temperature | site  |
        | m1    | 20.5        | north |
        | m2    | 21          | north |
        | m2    | 21          | north |
        | m3    |             | south |
        | m4    | 22.25       |       |
        | m5    | 19          | south |
      Then the dataset holds 6 rows

  Rule: a column is numeric when every value that is not empty is a finite number, otherwise categorical

    @REQ-ANOM-DATA-02
    Scenario Outline: a reading column holding <values> is <type>
      When Ana uploads a CSV dataset whose reading column holds <values>
      Then the dataset holds 3 rows
      And its reading column is <type>

      Examples:
        | values                 | type        |
        | "1e3", "-4.5", "0"     | numeric     |
        | "12", "", "7"          | numeric     |
        | "12", "", "n/a"        | categorical |
        | "12", "Infinity", "7"  | categorical |

  Rule: the same data sent as structured rows gives the same dataset as the CSV file

    @REQ-ANOM-DATA-03 @REQ-ANOM-DATA-07
    Scenario: a CSV file and the same rows sent as structured rows describe the same dataset
      When Ana uploads these meter readings once as a CSV file and once as structured rows:
        | meter | reading | site  |
        | m1    | 12.5    | north |
        | m2    |         | south |
        | m3    | 1e3     | north |
        | m4    | -4      |       |
      Then both datasets hold 4 rows with the same columns of the same types
      And both datasets have the same profile

  Rule: an upload without data rows is refused as empty

    @REQ-ANOM-DATA-04
    Scenario Outline: <upload> is refused as an empty dataset
      When Ana tries to upload <upload> as a dataset
      Then the upload is refused as an empty dataset

      Examples:
        | upload                                   |
        | an empty file                            |
        | a file with only its header line         |
        | structured readings without a single row |

  Rule: a row with the wrong number of values is refused, and the refusal names that row

    @REQ-ANOM-DATA-05
    Scenario: the fifth of seven readings carries a value too many
      When Ana tries to upload this file as a dataset:
        """
        meter,temperature
        m1,20
        m2,21
        m3,22
        m4,23
        m5,24,99
        m6,25
        m7,26
        """
      Then the upload is refused naming the fifth data row

    @REQ-ANOM-DATA-05
    Scenario: the fifth of seven readings sent as structured rows carries a value too many
      When Ana tries to upload seven readings as structured rows, the fifth with a value too many
      Then the upload is refused naming the fifth data row

  Rule: a deleted dataset is gone

    @REQ-ANOM-DATA-06
    Scenario: Ana deletes a dataset she no longer needs
      Given Ana has uploaded the "boiler-readings" dataset of 7 readings
      When she deletes that dataset
      Then the dataset can no longer be read
      And it is not among Acme's datasets any more
