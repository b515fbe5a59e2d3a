"""Namespace id <-> namespace string (spec 01 §5)."""

from __future__ import annotations

import pytest

from kbn_saved_objects.errors import InvalidNamespaceError
from kbn_saved_objects.serialization import (
    ALL_NAMESPACES_STRING,
    DEFAULT_NAMESPACE_STRING,
    namespace_id_to_string,
    namespace_string_to_id,
)


def test_constants() -> None:
    assert DEFAULT_NAMESPACE_STRING == "default"
    assert ALL_NAMESPACES_STRING == "*"


def test_namespace_id_to_string() -> None:
    assert namespace_id_to_string(None) == "default"
    assert namespace_id_to_string("foo") == "foo"
    with pytest.raises(InvalidNamespaceError, match=r"^namespace cannot be an empty string$"):
        namespace_id_to_string("")


def test_namespace_string_to_id() -> None:
    assert namespace_string_to_id("default") is None
    assert namespace_string_to_id("foo") == "foo"
    for empty in ("", None):
        with pytest.raises(InvalidNamespaceError, match=r"^namespace must be a non-empty string$"):
            namespace_string_to_id(empty)
