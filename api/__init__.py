"""The only way in: the command-line tool now, and the HTTP API and pages later."""
