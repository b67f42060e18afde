"""A supervision arrangement's process (seeds 002 and 003): sessions to the agreed frequency,
the contract's review, confidentiality actions, the session's case-file audit."""
