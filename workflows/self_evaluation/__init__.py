"""A leader's yearly self-evaluation (seed 001)."""
