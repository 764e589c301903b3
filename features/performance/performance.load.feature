@operations @performance @load
Feature: The platform stays quick while many people work at once
  As the platform operator
  I want every company's everyday work answered within the environment's time budgets, however busy the platform is
  So that a busy day, or another company's runaway script, never makes the platform feel slow

  The time budgets are the environment's (reads and writes, at the 95th percentile); the load is played by
  Acme's sales reps, who open clients, create deals, read them back and look through their list, thinking
  for about a second between actions. The short profiles run in CI; the long ones before a release.

  Rule: many sales reps working at once are answered within the budgets, without errors

    @short @REQ-OPS-PERF-01
    Scenario: 50 sales reps work at once
      When 50 sales reps of Acme work at once for 12 seconds
      Then Acme's work is answered within the environment's time budgets
      And none of Acme's work fails
      And the platform serves Acme at least 25 requests a second

    @long @spike @REQ-OPS-PERF-01
    Scenario: a spike from 5 to 100 people
      When Acme's sales reps jump from 5 to 100 people for 30 seconds
      Then Acme's work is answered within the environment's time budgets
      And none of Acme's work fails

    @long @soak @REQ-OPS-PERF-01 @time_limit:3900
    Scenario: an hour of steady work keeps memory flat
      When 30 sales reps of Acme work steadily for 60 minutes
      Then no service's memory keeps growing after warm-up
      And Acme's work is answered within the environment's time budgets
      And none of Acme's work fails

  Rule: the platform's capacity on this environment is known, and at least the environment's floor

    @long @capacity @REQ-OPS-PERF-01 @time_limit:900
    Scenario: the capacity knee of the sales reps' work
      When ever more sales reps of Acme work at once, 20 more every 10 seconds up to 200
      Then the platform carries at least the environment's capacity floor at its knee

  Rule: one company's flood never slows another company down

    @short @REQ-OPS-PERF-02
    Scenario: Acme stays within its budget while Globex floods the platform
      When Globex floods the platform while 20 sales reps of Acme work for 12 seconds
      Then Acme's work is answered within the environment's time budgets
      And none of Acme's work fails
      And Globex is told to slow down
