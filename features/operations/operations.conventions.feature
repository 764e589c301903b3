@operations @conventions
Feature: Every answer can be traced, is not kept by browsers, and names things safely
  As the platform operator
  I want every answer to carry a reference, to stay out of shared caches, and to use opaque ids and UTC times
  So that support can find any request, no business data lingers in a cache and no one can guess records

  Rule: every answer carries a reference to find the request again: the caller's own, or a fresh one

    @REQ-OPS-CONV-01
    Scenario: each service hands back the reference the caller chose
      Given Alice is an admin at Acme
      When Alice sends each service a request marked with a reference of her own
      Then each answer carries exactly her reference

    @REQ-OPS-CONV-01
    Scenario: each service gives every unmarked request a fresh reference
      Given Alice is an admin at Acme
      When Alice sends each service two requests without any reference
      Then each answer carries a reference of its own, different from every other

  Rule: browsers must not guess what an answer holds, and business answers are never kept in a cache

    @REQ-OPS-CONV-02 @OWASP-API8
    Scenario: answers and refusals of every service are marked not to be guessed nor kept
      Given Alice is an admin at Acme
      When Alice reads a list, makes a mistake and checks on the health of each service
      Then every answer says its content type must not be guessed
      And every business answer, refusals included, says it must not be stored

  Rule: ids are opaque and cannot be guessed from one another

    @REQ-OPS-CONV-03 @OWASP-API1
    Scenario: two clients added in a row get unrelated ids
      Given Rita is a sales rep at Acme
      When Rita adds two clients one right after the other
      Then their ids are opaque texts that do not count up

  Rule: every moment the platform records is told in UTC

    @REQ-OPS-CONV-04
    Scenario: the creation times of a user, a client and a dataset are UTC times
      Given Alice is an admin at Acme
      And Rita is a sales rep at Acme
      And Ana is an analyst at Acme
      When Rita adds a client and Ana creates a small dataset
      Then Rita's record, her client and Ana's dataset tell their times in UTC
