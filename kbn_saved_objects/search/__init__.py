"""Searching saved objects: ``find`` options to an engine query.

:mod:`kbn_saved_objects.search.kql` parses KQL filters and converts them to query DSL.
"""

from kbn_saved_objects.search.kql import KQLSyntaxError, parse_kql, to_dsl

__all__ = ["KQLSyntaxError", "parse_kql", "to_dsl"]
