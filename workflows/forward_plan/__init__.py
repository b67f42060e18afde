"""The forward plan of assurance activity (seed 004): the plan, and a process per activity."""
