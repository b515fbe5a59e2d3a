"""The plain-data shapes the serializer converts between, with Kibana's key names.

* :class:`RawDoc` -- what the engine stores and returns: ``_id``, ``_source`` and, when
  asked for, ``_seq_no``/``_primary_term``. Search hits carry more keys (``_index``...);
  they are ignored.
* :class:`SavedObjectDoc` -- Kibana's ``SavedObjectSanitizedDoc``: the document the
  repository and the migrators work on. Keys are Kibana's camelCase ones, so data and
  migration code port over unchanged. A key is *absent* when Kibana would leave it
  ``undefined``; ``None`` means an explicit ``null``.
"""

from __future__ import annotations

from typing import Any, Required

from typing_extensions import TypedDict

__all__ = ["AccessControl", "RawDoc", "SavedObjectDoc", "SavedObjectReference"]


class SavedObjectReference(TypedDict):
    """A link from one saved object to another: ``{name, type, id}``."""

    name: str
    type: str
    id: str


class RawDoc(TypedDict, total=False):
    _id: Required[str]
    _source: Required[dict[str, Any]]
    _seq_no: int
    _primary_term: int


class AccessControl(TypedDict, total=False):
    """Object access control (Kibana 9.x ``accessControl`` root field): who owns the
    object and whether others may change it (``write_restricted``). ``read_only`` is the
    older spelling of ``write_restricted``, accepted on read."""

    owner: str
    accessMode: str


class SavedObjectDoc(TypedDict, total=False):
    id: Required[str]
    type: Required[str]
    attributes: Any
    references: list[SavedObjectReference]
    namespace: str
    namespaces: list[str]
    originId: str
    managed: bool
    migrationVersion: dict[str, str]
    coreMigrationVersion: str
    typeMigrationVersion: str
    updated_at: str
    updated_by: str
    created_at: str
    created_by: str
    accessControl: AccessControl
    version: str
