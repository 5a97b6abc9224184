"""Fact finders: each reads the shared Snapshot and returns Facts with evidence."""
