@operations @conventions
Feature: Every answer can be traced, is not kept by browsers, and names things safely
  As the platform operator
  I want every answer to carry a reference, to stay out of shared caches, and to use opaque ids, UTC times and UTF-8
  So that support can find any request, no business data lingers in a cache and no one can guess records

  Background:
    Given Alice is an admin at Acme
    And Rita is a sales rep at Acme
    And Ana is an analyst at Acme

  Rule: every answer carries a reference to find the request again: the caller's own, or a fresh one

    @REQ-OPS-CONV-01
    Scenario: every service hands back the reference the caller chose, whatever it answers
      When they send each service every kind of request, each marked with a reference of its own
      Then every answer carries exactly the reference its request was marked with

    @REQ-OPS-CONV-01
    Scenario: every service gives each unmarked request a fresh reference, whatever it answers
      When they send each service every kind of request without any reference
      Then every answer carries a reference of its own, different from every other

  Rule: browsers must not guess what an answer holds, and business answers are never kept in a cache

    @REQ-OPS-CONV-02 @OWASP-API8
    Scenario: every answer, refusals included, is marked not to be guessed, and no business answer to be stored
      When they send each service every kind of request
      Then every answer says its content type must not be guessed
      And every business answer says it must not be stored

  Rule: ids are opaque and cannot be guessed from one another

    @REQ-OPS-CONV-03 @OWASP-API1
    Scenario: records made one right after the other in every service get unrelated ids
      When Alice adds two colleagues, Rita two clients with a deal each and Ana two datasets and two detectors
      Then the ids of each kind are opaque texts that do not count up

  Rule: every moment the platform records is told in UTC

    @REQ-OPS-CONV-04
    Scenario: the moments every service records are UTC times
      When Alice adds a colleague, Rita a client with a deal and Ana a dataset and a detector
      Then Acme, the colleague, the client, the deal, the dataset and the detector tell their times in UTC

  Rule: names in any language come back exactly as they were given

    @REQ-OPS-CONV-05
    Scenario: a colleague, a client and a dataset named in several scripts keep their names
      When Alice adds the colleague "Zoë Łukasiewicz-Øster", Rita the client "Müller & Søn — 東京支店" and Ana the dataset "Température ☀ Ωmega"
      Then each of them reads back the name exactly as given, in UTF-8
