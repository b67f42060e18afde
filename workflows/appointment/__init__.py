"""A Safeguarder's appointment, from application to the end of the appointment (seed 000)."""
