@operations @resilience @needs.restart
Feature: What the platform confirmed survives a crash
  As a customer of the platform
  I want every change the platform has confirmed to be kept even if a service crashes at once after
  So that I never lose work the platform told me was saved

  Rule: a confirmed change survives an abrupt crash and restart of the service

    @REQ-OPS-DUR-01 @allure.severity:critical
    Scenario: Rita's new client survives a crash of the sales service
      Given Rita is a sales rep at Acme
      And Rita's new client "Harbour Freight" was confirmed just before the sales service crashed
      When the sales service is started again
      Then Rita still finds "Harbour Freight" among her clients with the details she gave

    @REQ-OPS-DUR-01 @allure.severity:critical
    Scenario: Ana's dataset survives a crash of the anomaly service
      Given Ana is an analyst at Acme
      And Ana's new dataset "Night shift readings" was confirmed just before the anomaly service crashed
      When the anomaly service is started again
      Then Ana still finds the dataset "Night shift readings" with all its rows

    @REQ-OPS-DUR-01 @allure.severity:critical
    Scenario: Ravi, whom Alice has just added, survives a crash of the identity service
      Given Alice is an admin at Acme
      And Alice's new colleague Ravi was confirmed just before the identity service crashed
      When the identity service is started again
      Then Ravi can sign in to Acme

  Rule: people already signed in keep working on sales while identity is down

    @REQ-OPS-DUR-02 @allure.severity:critical
    Scenario: Rita keeps working on her clients while the identity service is down
      Given Rita is a sales rep at Acme
      And Rita has signed in to Acme
      When the identity service goes down
      Then Rita can still add the client "Lighthouse Bakery" and find it among her clients
