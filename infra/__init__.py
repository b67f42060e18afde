"""Wiring every entry point shares: settings, the store, Temporal with its codec, and the
embedded servers. It imports the domain, the workflows and the projections, never the routes."""
