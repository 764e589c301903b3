@anomaly @quotas @OWASP-API4
Feature: Plan limits on datasets and detectors
  As the platform operator
  I want each tenant's datasets and detectors to stay within what its plan pays for
  So that no tenant uses more of the platform than it bought

  Background:
    Given Acme is a customer on the starter plan
    And Ana is an analyst at Acme

  Rule: a dataset may hold at most the plan's rows (starter: 10,000)

    @REQ-ANOM-QUOTA-01
    Scenario: a dataset of 10,000 readings is the most the starter plan allows
      When Ana uploads a file of 10,000 readings
      Then the dataset holds 10,000 rows

    @REQ-ANOM-QUOTA-01 @allure.severity:critical
    Scenario: a dataset of 10,001 readings is over the starter plan
      When Ana tries to upload a file of 10,001 readings
      Then the upload is refused as over the plan's quota

  Rule: a tenant may have at most the plan's detectors (starter: 3)

    @REQ-ANOM-QUOTA-02 @allure.severity:critical
    Scenario: a fourth detector is over the starter plan
      Given Ana has created 3 detectors
      When she tries to create a fourth detector
      Then the new detector is refused as over the plan's quota
