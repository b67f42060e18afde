"""The supervision cadence of one open case (seed 003, aims 3 and 4)."""
