@tenancy @plans @OWASP-API4
Feature: What each plan allows
  As the platform operator
  I want each tenant's people, detectors and datasets to stay within what its plan pays for
  So that no tenant uses more of the platform than it bought

  Plans: starter 5 people, 3 detectors, 10,000 rows per dataset; growth 50, 20, 100,000;
  enterprise 1,000, 200, 1,000,000. Something over a limit is refused and nothing is created.
  The largest limits are shown with the least data that proves them: enterprise tenants see their
  limits, and take a 51st person and a dataset of 100,001 rows, both more than growth allows,
  without the suite adding 1,000 people or uploading a million rows.

  Rule: a plan limits how many active people a tenant may have

    @REQ-TEN-QUOTA-01 @REQ-TEN-QUOTA-04 @allure.severity:critical
    Scenario Outline: Acme on the <plan> plan has room for <limit> people and no more
      Given Acme is on the <plan> plan
      And Alice has added colleagues until Acme has <limit> people
      When Alice adds one more colleague
      Then that colleague is refused as over the plan's quota
      And Acme shows <limit> of its <limit> people in use

      Examples:
        | plan    | limit |
        | starter | 5     |
        | growth  | 50    |

    @REQ-TEN-QUOTA-01
    Scenario: Acme on the enterprise plan takes more people than growth allows
      Given Acme is on the enterprise plan
      And Alice has added colleagues until Acme has 50 people
      When Alice adds one more colleague
      Then that colleague is added
      And Acme shows 51 of its 1,000 people in use

    @REQ-TEN-QUOTA-05
    Scenario: a deactivated person frees a place on the starter plan
      Given Acme is on the starter plan
      And Alice has added colleagues until Acme has 5 people
      And Alice has deactivated one of them
      When Alice adds one more colleague
      Then that colleague is added
      And Acme shows 5 of its 5 people in use

  Rule: a plan limits how many detectors a tenant may have

    @REQ-TEN-QUOTA-02 @REQ-TEN-QUOTA-04 @REQ-ANOM-QUOTA-02 @allure.severity:critical
    Scenario Outline: Acme on the <plan> plan has room for <limit> detectors and no more
      Given Acme is on the <plan> plan
      And Ana has set up <limit> detectors
      When Ana tries to create one more detector
      Then that detector is refused as over the plan's quota
      And Acme has <limit> detectors

      Examples:
        | plan       | limit |
        | starter    | 3     |
        | growth     | 20    |
        | enterprise | 200   |

  Rule: a plan limits the rows of each dataset, not the rows of all datasets together

    @REQ-TEN-QUOTA-03 @REQ-ANOM-QUOTA-01
    Scenario Outline: on the <plan> plan a dataset of <limit> rows is accepted
      Given Acme is on the <plan> plan
      When Ana uploads <limit> readings as a dataset
      Then that upload is accepted with <limit> rows

      Examples:
        | plan       | limit   |
        | starter    | 10,000  |
        | growth     | 100,000 |
        | enterprise | 100,001 |

    @REQ-TEN-QUOTA-03 @REQ-TEN-QUOTA-04 @REQ-ANOM-QUOTA-01 @allure.severity:critical
    Scenario Outline: on the <plan> plan a dataset of <rows> rows is refused
      Given Acme is on the <plan> plan
      When Ana uploads <rows> readings as a dataset
      Then that upload is refused as over the plan's quota
      And Acme has no datasets

      Examples:
        | plan    | rows    |
        | starter | 10,001  |
        | growth  | 100,001 |

    @REQ-TEN-QUOTA-03
    Scenario: rows of several datasets are not added up
      Given Acme is on the starter plan
      And Ana has uploaded 10,000 readings as a dataset
      When Ana uploads 10,000 readings as a dataset
      Then that upload is accepted with 10,000 rows
