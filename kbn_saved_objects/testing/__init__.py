"""Test support: a pytest plugin that provides a real search engine.

Installed as a ``pytest11`` entry point, so any project that depends on
kbn_saved_objects can request the ``kbn_engine`` fixtures in its own tests.
"""
