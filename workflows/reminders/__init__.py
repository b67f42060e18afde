"""Reminders by email: what the processes ask of people, before it is due, when it is
overdue, and in a daily digest."""
