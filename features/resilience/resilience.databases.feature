@operations @resilience @needs.database_faults
Feature: A service whose database goes away
  As the operator of the platform
  I want a service that has lost its database to say so, to refuse what it cannot keep, and to come back by itself
  So that nobody is told a change was saved when it was not, and nobody has to restart anything

  Rule: while its database is away, a service reports that it is not ready and names its database

    @REQ-RES-DB-01 @allure.severity:critical
    Scenario: the operator sees that sales has lost its database
      Given the database of the sales service has gone away
      When the operator checks on the sales service
      Then it reports that it is not ready, naming its database

  Rule: while its database is away, a service refuses work plainly and half-saves nothing

    @REQ-RES-DB-02 @allure.severity:critical
    Scenario: Rita's new client and her search are refused while the sales database is away
      Given Rita is a sales rep at Acme
      And Rita has added the client "Harbour Freight"
      And the database of the sales service has gone away
      When Rita tries to add the client "Lighthouse Bakery" and to find "Harbour Freight"
      Then both are refused as the service being unavailable for now, showing nothing of its insides

    @REQ-RES-DB-02 @allure.severity:critical
    Scenario: Ravi's sign-in is refused plainly while the identity database is away
      Given Ravi is a sales rep at Acme
      And the database of the identity service has gone away
      When Ravi tries to sign in
      Then he is refused as the service being unavailable for now

  Rule: when its database returns, a service serves again without a restart and has lost nothing it confirmed

    @REQ-RES-DB-03 @allure.severity:critical
    Scenario: Rita finds her confirmed client, and only it, once the sales database is back
      Given Rita is a sales rep at Acme
      And Rita has added the client "Harbour Freight"
      And Rita tried to add the client "Lighthouse Bakery" while the sales database was away
      When the database of the sales service returns
      Then sales serves Rita again without having been restarted
      And Rita finds "Harbour Freight" among her clients but not "Lighthouse Bakery"
