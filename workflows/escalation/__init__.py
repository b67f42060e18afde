"""The escalation ladder of a concern or a professional disagreement (seed 003)."""
