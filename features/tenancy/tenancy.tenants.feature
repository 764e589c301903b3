@tenancy @tenants
Feature: Setting up tenants and their people
  As the platform operator, and as the admin of a tenant
  I want tenants and their people set up under clear rules
  So that every company gets a well-formed home of the size it pays for

  Rule: a tenant's slug is 3 to 32 lowercase letters, digits or hyphens, and belongs to one tenant only

    @REQ-TEN-TENANT-01
    Scenario Outline: a slug that is <slug> is refused
      When the operator sets up a tenant whose slug is <slug>
      Then the tenant is refused because of its slug

      Examples:
        | slug                  |
        | 2 characters long     |
        | 33 characters long    |

    @REQ-TEN-TENANT-01
    Scenario: a slug of 32 lowercase letters, digits and hyphens is fine
      When the operator sets up a tenant whose slug is 32 characters long
      Then the tenant is set up with that slug

    @REQ-TEN-TENANT-02 @allure.severity:critical
    Scenario: a second tenant cannot take Acme's slug
      Given Alice is an admin at Acme
      When the operator sets up another tenant with Acme's slug
      Then the tenant is refused because the slug is taken

  Rule: a plan limits how many active people a tenant may have

    @REQ-TEN-QUOTA-01 @OWASP-API4
    Scenario: Acme on the starter plan has room for 5 people and no more
      Given Acme is on the starter plan
      And Alice has added 4 colleagues to Acme
      When Alice adds one more colleague
      Then that colleague is refused because the plan's limit is reached
      And Acme shows 5 of its 5 people in use

  Rule: an email belongs to one person within a tenant, and is free in every other tenant

    @REQ-TEN-USER-01
    Scenario: Alice cannot add a second person with Rita's email
      Given Rita is a sales rep at Acme
      When Alice adds a colleague with Rita's email
      Then that colleague is refused because the email is taken

    @REQ-TEN-USER-01
    Scenario: Bob may add a person at Globex with the email Rita uses at Acme
      Given Rita is a sales rep at Acme
      And Bob is an admin at Globex
      When Bob adds a colleague with Rita's email
      Then that colleague is added

  Rule: a tenant always keeps an active admin

    @REQ-TEN-USER-02 @allure.severity:critical
    Scenario Outline: Alice, Acme's only admin, cannot <change>
      Given Alice is an admin at Acme
      When Alice tries to <change>
      Then that change to Alice is refused as a conflict
      And Alice is still an active admin of Acme

      Examples:
        | change                    |
        | give up her admin role    |
        | deactivate her own account |
