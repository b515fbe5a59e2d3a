"""Async import/export (the source of the generated ``_sync`` twin)."""
