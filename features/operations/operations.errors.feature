@operations @errors
Feature: Mistakes are answered in one clear and safe form
  As a developer connecting my company's software to the platform
  I want every service to answer a mistaken request in the same documented form, with its reason
  So that my software can react to mistakes without guessing and nobody learns how the platform is built

  Background:
    Given Alice is an admin at Acme
    And Rita is a sales rep at Acme
    And Ana is an analyst at Acme

  Rule: a request written in another format than the platform's data format is refused as an unsupported format

    @REQ-OPS-ERR-01 @REQ-OPS-ERR-02
    Scenario: new records, changes and moves written in plain text are refused by every service
      When these requests are sent written in plain text:
        | who   | request                  |
        | Alice | a new user               |
        | Alice | a change of a user       |
        | Alice | a change of the settings |
        | Rita  | a new client             |
        | Rita  | a change of her client   |
        | Rita  | a new deal               |
        | Rita  | a change of her deal     |
        | Rita  | a move of her deal       |
        | Ana   | a new dataset            |
        | Ana   | a new detector           |
        | Ana   | a training request       |
      Then each is reported as an unsupported format

  Rule: a request whose data breaks off in the middle is refused as unreadable

    @REQ-OPS-ERR-01 @REQ-OPS-ERR-03
    Scenario: new records and changes that break off in the middle are refused by every service
      When these requests are sent breaking off in the middle:
        | who   | request                |
        | Alice | a new user             |
        | Alice | a change of a user     |
        | Rita  | a new client           |
        | Rita  | a change of her deal   |
        | Ana   | a new detector         |
        | Ana   | a new dataset          |
      Then each is reported as unreadable data

  Rule: an ordinary request is read up to 1 MiB, counted on the whole request as sent, and no further

    @REQ-OPS-ERR-01 @REQ-OPS-LIMIT-01 @OWASP-API4 @allure.severity:critical
    Scenario: ordinary requests just over 1 MiB are refused as too large, just under they are read
      When these requests are sent at just over 1 MiB and at just under:
        | who   | request                |
        | Alice | a new user             |
        | Alice | a change of a user     |
        | Rita  | a new client           |
        | Rita  | a change of her deal   |
        | Ana   | a new detector         |
        | Ana   | a training request     |
      Then each one just over is reported as too large
      And each one just under is read like any other

  Rule: data files, datasets, detections and streams are read up to 10 MiB, counted on the whole request as sent

    @REQ-OPS-ERR-01 @REQ-OPS-LIMIT-02 @OWASP-API4
    Scenario: Ana's uploads, detections and streams just over 10 MiB are refused, just under they are read
      Given Ana has trained a detector of shift temperatures
      When these requests are sent at just over 10 MiB and at just under:
        | who | request                  |
        | Ana | a data file for a dataset |
        | Ana | a new dataset            |
        | Ana | a detection request      |
        | Ana | a stream of readings     |
      Then each one just over is reported as too large
      And each one just under is read like any other

  Rule: asking for a place a service does not have is answered as not found

    @REQ-OPS-ERR-01 @REQ-OPS-ERR-04
    Scenario: no service has a place for treasure maps
      When Alice, Rita and Ana each ask their service for a place it does not have
      Then each is reported as a place that does not exist

  Rule: an action a place does not offer is refused as not allowed there

    @REQ-OPS-ERR-01 @REQ-OPS-ERR-05
    Scenario: every service refuses actions its places do not offer
      When these actions are tried:
        | who   | action                            |
        | Alice | deleting her own profile          |
        | Alice | replacing the tenant              |
        | Alice | deleting the list of people       |
        | Alice | deleting the published keys       |
        | Rita  | deleting her notifications        |
        | Rita  | replacing the pipeline report     |
        | Rita  | deleting her commission statement |
        | Ana   | deleting the list of detectors    |
        | Ana   | replacing a dataset               |
        | Ana   | changing a training job           |
      Then each is reported as an action that place does not allow

  Rule: no refusal ever reveals how the platform is built, a stored password or another company's data

    @REQ-OPS-ERR-01 @REQ-OPS-ERR-06 @OWASP-API8 @allure.severity:critical
    Scenario: awkward requests to every service are refused without a glimpse inside or into Globex
      Given Bob of Globex keeps a client, a colleague and a dataset of Globex's own
      When Alice, Rita and Ana send their services a series of awkward and hostile requests
      Then every refusal is in the platform's documented form
      And no refusal shows program traces, database statements, file locations, password hashes or Globex's data
