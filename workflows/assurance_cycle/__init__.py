"""A quarter's assurance cycle (seed 004, the five-step diagram)."""
