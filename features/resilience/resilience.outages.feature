@operations @resilience
Feature: One service down or slow does not take the others with it
  As a customer of the platform
  I want to keep working on sales and anomaly when identity, or another service, is down or slow
  So that one failing piece never stops the whole business, nor lets in someone who was shut out

  Rule: people already signed in keep working on sales and anomaly while identity is down

    @REQ-RES-ID-01 @allure.severity:critical @needs.restart
    Scenario: Rita and Ana keep working while the identity service is down
      Given Rita is a sales rep at Acme
      And Ana is an analyst at Acme
      And Rita has been at work on sales and Ana on anomaly
      When the identity service goes down
      Then Rita can still work on sales and Ana on anomaly

  Rule: a pass withdrawn before identity went down stays withdrawn while it is down

    @REQ-RES-ID-02 @allure.severity:critical @needs.restart
    Scenario: Rita's signed-out pass stays refused while the identity service is down
      Given Rita is a sales rep at Acme
      And Rita has signed out, and sales and anomaly have refused her old pass
      When the identity service goes down
      Then her old pass is still refused by sales and anomaly

  Rule: a slow identity never makes sales or anomaly hang

    @REQ-RES-SLOW-01 @allure.severity:critical @needs.network_faults
    Scenario: Rita and Ana are answered in time while identity answers slowly
      Given Rita is a sales rep at Acme
      And Ana is an analyst at Acme
      And Rita has been at work on sales and Ana on anomaly
      When identity answers sales and anomaly more slowly than they wait for it
      Then Rita on sales and Ana on anomaly, signed in afresh, are each answered within the deployment's wait for a dependency

  Rule: a crash of sales leaves identity and anomaly serving as usual

    @REQ-RES-CASCADE-01 @allure.severity:critical @needs.restart
    Scenario: Alice and Ana keep working while the sales service is down
      Given Alice is an admin at Acme
      And Ana is an analyst at Acme
      When the sales service goes down
      Then Alice can still work on identity and Ana on anomaly
      And identity and anomaly both report that they are ready
