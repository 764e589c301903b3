@operations @audit
Feature: Every service keeps an audit trail of the changes and refusals it saw
  As Acme's admin
  I want every change in every service, and every refused attempt, written down for good
  So that I can always tell who did what, and who tried what they may not

  Background:
    Given Alice is an admin at Acme

  Rule: every successful change leaves exactly one event telling when, who, what and on which record

    @REQ-OPS-AUDIT-01 @ASVS-16.2.1 @allure.severity:critical
    Scenario: Rita's new client, her deal's moves and Maria's payment are each written down once in sales
      Given Rita is a sales rep at Acme
      And Maria is a sales manager at Acme
      When Rita adds a client, opens a deal for it and moves the deal on to won
      And Maria records a payment of 100.00 for the deal
      Then the sales trail holds exactly these successful events:
        | action            | by    | on           | times |
        | client.created    | Rita  | her client   | 1     |
        | any change        | Rita  | her deal     | 4     |
        | deal.transitioned | Rita  | her deal     | 3     |
        | payment.recorded  | Maria | the payment  | 1     |

    @REQ-OPS-AUDIT-01 @ASVS-16.2.1
    Scenario: Alice's new colleague and the change of her name are each written down once in identity
      When Alice adds the colleague "Nina Novak" and renames her "Nina Novak-Berg"
      Then the identity trail holds exactly these successful events:
        | action       | by    | on            | times |
        | user.created | Alice | the colleague | 1     |
        | any change   | Alice | the colleague | 2     |

    @REQ-OPS-AUDIT-01 @ASVS-16.2.1
    Scenario: Ana's dataset, its deletion and her detector are each written down once in anomaly detection
      Given Ana is an analyst at Acme
      When Ana creates a dataset and a detector and then deletes the dataset
      Then the anomaly trail holds exactly these successful events:
        | action     | by  | on           | times |
        | any change | Ana | her dataset  | 2     |
        | any change | Ana | her detector | 1     |

  Rule: every refused attempt, to read or to write, leaves exactly one denied event

    @REQ-OPS-AUDIT-02 @ASVS-16.3.2 @OWASP-API1
    Scenario Outline: <who>'s refused attempts to <attempts> are each written down once in <service>
      Given <who> is <role> at Acme
      When <who> tries to <attempts>
      Then <who> is refused each time as not allowed
      And the <service> trail holds exactly one denied event by <who> for each of those attempts

      Examples:
        | who  | role        | attempts                               | service  |
        | Ravi | a sales rep | open Rita's deal and move it on         | sales    |
        | Ana  | an analyst  | look through the clients and add one    | sales    |
        | Rita | a sales rep | look through Acme's people and add one  | identity |
        | Rita | a sales rep | look through the datasets and add one   | anomaly  |

  Rule: every failed sign-in to a company is written down in identity's trail

    @REQ-OPS-AUDIT-03 @ASVS-16.3.1
    Scenario: two wrong passwords for Rita and an unknown email are each written down once
      Given Rita is a sales rep at Acme
      When someone signs in to Acme as Rita with a wrong password twice and once with an email nobody has
      Then the identity trail holds exactly one denied "auth.login_failed" event for each of those sign-ins

  Rule: the sales trail can be searched by action, person, record and outcome

    @REQ-OPS-AUDIT-04
    Scenario: each search of the sales trail finds what it names and leaves out the rest
      Given Rita is a sales rep at Acme
      And Ravi is a sales rep at Acme
      And Rita has moved her deal to qualified, Ravi has added a client and Ravi was refused Rita's deal
      When Alice searches the sales trail:
        | by      | for                 | finds                 | leaves out            |
        | action  | deal.transitioned   | Rita's move           | Ravi's client         |
        | person  | Ravi                | Ravi's client         | Rita's move           |
        | record  | Rita's deal         | Rita's move           | Ravi's client         |
        | outcome | denied              | Ravi's refused look   | Rita's move           |
        | outcome | success             | Rita's move           | Ravi's refused look   |
      Then each search finds what it names, leaves out what it does not, and holds nothing else

  Rule: only admins and auditors read a service's trail

    @REQ-OPS-AUDIT-05 @OWASP-API5
    Scenario: only Alice and Otto may read the trails of identity, sales and anomaly detection
      When Alice, Otto, Maria, Rita and Ana each ask every service for its audit trail
      Then Alice and Otto are shown every trail
      And Maria, Rita and Ana are refused each trail as not allowed

  Rule: no trail can be changed or erased

    @REQ-OPS-AUDIT-06 @ASVS-16.4.2 @allure.severity:critical
    Scenario: Alice can neither change nor erase the trail of any service
      Given every service's trail holds events of Acme's
      When Alice tries to change and to erase each service's trail and its events
      Then every attempt on a trail is refused as not allowed there
      And every event written before is still there, unchanged
