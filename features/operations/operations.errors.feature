@operations @errors
Feature: Mistakes are answered in one clear and safe form
  As a developer connecting my company's software to the platform
  I want every service to answer a mistaken request in the same documented form, with its reason
  So that my software can react to mistakes without guessing and nobody learns how the platform is built

  Rule: a request written in another format than the platform's data format is refused as an unsupported format

    @REQ-OPS-ERR-01 @REQ-OPS-ERR-02
    Scenario Outline: the <service> service refuses a new <record> written in plain text
      Given <who> is <role> at Acme
      When <who> sends the <service> service a new <record> written in plain text
      Then the mistake is reported as an unsupported format

      Examples:
        | service  | who   | role         | record   |
        | identity | Alice | an admin     | user     |
        | sales    | Rita  | a sales rep  | client   |
        | anomaly  | Ana   | an analyst   | detector |

  Rule: a request whose data breaks off in the middle is refused as unreadable

    @REQ-OPS-ERR-01 @REQ-OPS-ERR-03
    Scenario Outline: the <service> service refuses a new <record> that breaks off in the middle
      Given <who> is <role> at Acme
      When <who> sends the <service> service a new <record> that breaks off in the middle
      Then the mistake is reported as unreadable data

      Examples:
        | service  | who   | role         | record   |
        | identity | Alice | an admin     | user     |
        | sales    | Rita  | a sales rep  | client   |
        | anomaly  | Ana   | an analyst   | detector |

  Rule: an ordinary request is read up to 1 MiB and no further

    @REQ-OPS-ERR-01 @REQ-OPS-LIMIT-01 @OWASP-API4 @allure.severity:critical
    Scenario Outline: the <service> service refuses a new <record> of just over 1 MiB
      Given <who> is <role> at Acme
      When <who> sends the <service> service a new <record> of just over 1 MiB
      Then the mistake is reported as too large
      But the same request at just under 1 MiB is not refused for its size

      Examples:
        | service  | who   | role         | record   |
        | identity | Alice | an admin     | user     |
        | sales    | Rita  | a sales rep  | client   |
        | anomaly  | Ana   | an analyst   | detector |

  Rule: a data file uploaded as a dataset is read up to 10 MiB and no further

    @REQ-OPS-LIMIT-02 @OWASP-API4
    Scenario: Ana's data file of 2 MiB becomes a dataset with every row
      Given Ana is an analyst at Acme
      When Ana uploads a data file of 2 MiB as a dataset
      Then her dataset holds every row of the file

    @REQ-OPS-ERR-01 @REQ-OPS-LIMIT-02 @OWASP-API4
    Scenario: Ana's data file of just over 10 MiB is refused as too large
      Given Ana is an analyst at Acme
      When Ana uploads a data file of just over 10 MiB as a dataset
      Then the mistake is reported as too large

  Rule: asking for a place a service does not have is answered as not found

    @REQ-OPS-ERR-01 @REQ-OPS-ERR-04
    Scenario Outline: the <service> service has no such place
      Given <who> is <role> at Acme
      When <who> asks the <service> service for a place it does not have
      Then the mistake is reported as a place that does not exist

      Examples:
        | service  | who   | role         |
        | identity | Alice | an admin     |
        | sales    | Rita  | a sales rep  |
        | anomaly  | Ana   | an analyst   |

  Rule: an action a place does not offer is refused as not allowed there

    @REQ-OPS-ERR-01 @REQ-OPS-ERR-05
    Scenario Outline: the <service> service does not let <who> delete <place>
      Given <who> is <role> at Acme
      When <who> tries to delete <place> on the <service> service
      Then the mistake is reported as an action that place does not allow

      Examples:
        | service  | who   | role         | place                 |
        | identity | Alice | an admin     | her own profile       |
        | sales    | Rita  | a sales rep  | her notifications     |
        | anomaly  | Ana   | an analyst   | the list of detectors |

  Rule: no refusal ever reveals how the platform is built or a stored password

    @REQ-OPS-ERR-06 @OWASP-API8 @allure.severity:critical
    Scenario: awkward requests to every service are refused without a glimpse inside
      Given Alice is an admin at Acme
      And Rita is a sales rep at Acme
      And Ana is an analyst at Acme
      When they send their services a series of awkward and hostile requests
      Then every refusal is in the platform's documented form
      And no refusal shows program traces, database statements, file locations or password hashes
