"""Read tables built from the notification log, in the same PostgreSQL as the events."""
