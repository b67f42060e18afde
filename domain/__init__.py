"""The truth: aggregates, their rules, the policy periods and the application that saves them.

No I/O here besides the event store the application is given, and no clock reads.
"""
