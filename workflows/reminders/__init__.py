"""Reminders by email: what the processes ask of people, before it is due, when overdue, and a daily digest."""
