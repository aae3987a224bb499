"""Use cases. Each takes a SQLAlchemy session and plain values, flushes, and returns plain values;
the caller (a route or a CLI command) commits once."""
