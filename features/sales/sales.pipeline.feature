@sales @pipeline
Feature: The pipeline report
  As a sales manager at Acme
  I want the number and net value of our deals at every stage
  So that I can see at a glance what is coming in

  Background:
    Given Rita is a sales rep at Acme
    And Maria is a sales manager at Acme

  Rule: the report shows every one of the five stages with its deal count and net value, to managers, admins and auditors

    @REQ-SALES-PIPE-01 @allure.severity:critical
    Scenario: Maria, Alice and Otto see Rita's deals counted stage by stage
      Given Otto is an auditor at Acme
      And Rita has these deals:
        | stage     | amount   | discount |
        | lead      | 1,000.00 | 0 %      |
        | lead      | 2,000.50 | 0 %      |
        | qualified | 2,000.00 | 10 %     |
        | won       | 3,000.00 | 0 %      |
        | lost      | 500.00   | 0 %      |
      When Maria, Alice and Otto each read the pipeline report
      Then each of them is shown these stages:
        | stage     | deals | net      |
        | lead      | 2     | 3,000.50 |
        | qualified | 1     | 1,800.00 |
        | proposal  | 0     | 0.00     |
        | won       | 1     | 3,000.00 |
        | lost      | 1     | 500.00   |

  Rule: a sales rep may not read the pipeline report

    @REQ-SALES-PIPE-02 @OWASP-API5
    Scenario: Rita is refused the pipeline report
      When Rita tries to read the pipeline report
      Then Rita is refused as not allowed
