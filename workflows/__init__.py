"""Durable processes on Temporal (appointment, rapid review, escalation, audit cycle, cadence).

Workflows never write the event store themselves; their activities call `domain.application`.
"""
