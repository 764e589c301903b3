@tenancy @tenants
Feature: Setting up tenants
  As the platform operator
  I want every company set up under clear rules, with its first admin and the plan it pays for
  So that every company gets a well-formed home of the size it pays for

  Rule: a tenant's slug is 3 to 32 lowercase letters, digits or hyphens

    @REQ-TEN-TENANT-01
    Scenario Outline: a slug that <shape> is refused
      When the operator sets up a tenant whose slug <shape>
      Then the tenant is refused because of its slug

      Examples:
        | shape                    |
        | is 2 characters long     |
        | is 33 characters long    |
        | has an uppercase letter  |
        | has an underscore        |
        | has a dot                |
        | has a space              |

    @REQ-TEN-TENANT-01
    Scenario Outline: a slug that <shape> is fine
      When the operator sets up a tenant whose slug <shape>
      Then the tenant is set up with that slug

      Examples:
        | shape                  |
        | is 3 characters long   |
        | is 32 characters long  |

  Rule: a slug belongs to one tenant only, the operator's own included

    @REQ-TEN-TENANT-02 @allure.severity:critical
    Scenario Outline: a new tenant cannot take <whose> slug
      When the operator sets up a tenant with <whose> slug
      Then the tenant is refused because the slug is taken

      Examples:
        | whose           |
        | Acme's          |
        | the operator's  |

  Rule: a tenant is on the starter, growth or enterprise plan and sells in EUR, USD, GBP or JPY

    @REQ-TEN-TENANT-03
    Scenario Outline: a tenant on the "<plan>" plan selling in "<currency>" is refused because of its <field>
      When the operator sets up a tenant on the "<plan>" plan selling in "<currency>"
      Then the tenant is refused because of its <field>

      Examples:
        | plan     | currency | field    |
        | platinum | EUR      | plan     |
        | starter  | CHF      | currency |

    @REQ-TEN-TENANT-03 @REQ-TEN-TENANT-05
    Scenario Outline: a tenant on the <plan> plan selling in <currency> is set up as asked
      When the operator sets up a tenant on the "<plan>" plan selling in "<currency>"
      Then the tenant is set up on the <plan> plan selling in <currency>

      Examples:
        | plan       | currency |
        | starter    | USD      |
        | growth     | GBP      |
        | enterprise | JPY      |

  Rule: a tenant comes with its first admin

    @REQ-TEN-TENANT-04 @allure.severity:critical
    Scenario: Acme's first admin comes with it
      When the operator sets up Acme with Alice as its first admin
      Then Alice signs in to Acme as its admin
      And Alice is the only person at Acme

  Rule: everybody at a tenant sees it, with its usage and the limits of its plan

    @REQ-TEN-TENANT-05 @REQ-TEN-TENANT-06 @REQ-TEN-QUOTA-01
    Scenario Outline: Acme on the <plan> plan has room for <people> people, <detectors> detectors and <rows> rows per dataset
      Given Acme is on the <plan> plan
      And Rita is a sales rep at Acme
      When Rita looks at Acme's usage and limits
      Then she sees room for <people> people, <detectors> detectors and <rows> rows per dataset
      And she sees 2 people, no detectors and no rows in use

      Examples:
        | plan       | people | detectors | rows      |
        | starter    | 5      | 3         | 10,000    |
        | growth     | 50     | 20        | 100,000   |
        | enterprise | 1,000  | 200       | 1,000,000 |

  Rule: everybody at a tenant reads the discount approval threshold its admin sets, as a decimal

    @REQ-TEN-SETTINGS-01
    Scenario: Alice lowers the discount threshold to 12.5 % and Rita reads it
      Given Alice is an admin at Acme
      And Rita is a sales rep at Acme
      When Alice sets Acme's discount approval threshold to 12.5 %
      Then Rita reads a discount approval threshold of 12.5 %
