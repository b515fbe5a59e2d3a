# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""Async import/export (the source of the generated ``_sync`` twin)."""
