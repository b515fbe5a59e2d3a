"""What the security extension asks privileges for, and how it names what it audits.

Kibana's extension speaks of *security actions* (``BULK_GET``, ``CHANGE_OWNERSHIP``...);
each one is checked as an authorization operation (``saved_object:<type>/<operation>``)
and logged as an audit action (``saved_object_get``...). One table holds both sides
(spec 08 §2.1, §2.2) so a new entry point cannot check one thing and audit another.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum

__all__ = [
    "LOGIN_ACTION",
    "MANAGE_ACCESS_CONTROL",
    "AuditAction",
    "SecurityAction",
    "saved_object_action",
]

LOGIN_ACTION = "login:"
"""Checked with every request: the spaces a user may log into are the spaces whose
names they may see (namespace redaction, spec 08 §2.7)."""

MANAGE_ACCESS_CONTROL = "manage_access_control"
"""The operation that lets a user change objects other users own (spec 08 §4)."""


def saved_object_action(type_name: str, operation: str) -> str:
    """``saved_object:<type>/<operation>``, the privilege a role grants (Kibana's
    ``actions.savedObject.get``); an empty part is a programming error."""
    if not type_name:
        raise ValueError("type is required and must be a string")
    if not operation:
        raise ValueError("operation is required and must be a string")
    return f"saved_object:{type_name}/{operation}"


class AuditAction(StrEnum):
    """``event.action`` of the audit records (spec 08 §3.2)."""

    CREATE = "saved_object_create"
    GET = "saved_object_get"
    RESOLVE = "saved_object_resolve"
    UPDATE = "saved_object_update"
    DELETE = "saved_object_delete"
    FIND = "saved_object_find"
    REMOVE_REFERENCES = "saved_object_remove_references"
    OPEN_POINT_IN_TIME = "saved_object_open_point_in_time"
    CLOSE_POINT_IN_TIME = "saved_object_close_point_in_time"
    COLLECT_MULTINAMESPACE_REFERENCES = "saved_object_collect_multinamespace_references"
    UPDATE_OBJECTS_SPACES = "saved_object_update_objects_spaces"
    UPDATE_OBJECTS_OWNER = "saved_object_update_objects_owner"
    UPDATE_OBJECTS_ACCESS_MODE = "saved_object_update_objects_access_mode"


@dataclass(frozen=True, slots=True)
class _Mapping:
    operation: str | None
    audit: AuditAction | None


class SecurityAction(Enum):
    """An entry point's action: the operation it checks and the action it audits
    (``None`` where Kibana checks or audits nothing)."""

    CHECK_CONFLICTS = _Mapping("bulk_create", None)
    CLOSE_POINT_IN_TIME = _Mapping(None, AuditAction.CLOSE_POINT_IN_TIME)
    COLLECT_MULTINAMESPACE_REFERENCES = _Mapping(
        "bulk_get", AuditAction.COLLECT_MULTINAMESPACE_REFERENCES
    )
    COLLECT_MULTINAMESPACE_REFERENCES_UPDATE_SPACES = _Mapping(
        "share_to_space", AuditAction.COLLECT_MULTINAMESPACE_REFERENCES
    )
    CREATE = _Mapping("create", AuditAction.CREATE)
    BULK_CREATE = _Mapping("bulk_create", AuditAction.CREATE)
    DELETE = _Mapping("delete", AuditAction.DELETE)
    BULK_DELETE = _Mapping("bulk_delete", AuditAction.DELETE)
    FIND = _Mapping("find", AuditAction.FIND)
    GET = _Mapping("get", AuditAction.GET)
    BULK_GET = _Mapping("bulk_get", AuditAction.GET)
    INTERNAL_BULK_RESOLVE = _Mapping("bulk_get", AuditAction.RESOLVE)
    OPEN_POINT_IN_TIME = _Mapping("open_point_in_time", AuditAction.OPEN_POINT_IN_TIME)
    REMOVE_REFERENCES = _Mapping("delete", AuditAction.REMOVE_REFERENCES)
    UPDATE = _Mapping("update", AuditAction.UPDATE)
    BULK_UPDATE = _Mapping("bulk_update", AuditAction.UPDATE)
    UPDATE_OBJECTS_SPACES = _Mapping("share_to_space", AuditAction.UPDATE_OBJECTS_SPACES)
    CHANGE_OWNERSHIP = _Mapping(MANAGE_ACCESS_CONTROL, AuditAction.UPDATE_OBJECTS_OWNER)
    CHANGE_ACCESS_MODE = _Mapping(MANAGE_ACCESS_CONTROL, AuditAction.UPDATE_OBJECTS_ACCESS_MODE)

    @property
    def operation(self) -> str | None:
        """The authorization operation (``saved_object:<type>/<operation>``)."""
        return self.value.operation

    @property
    def audit_action(self) -> AuditAction | None:
        return self.value.audit

    @classmethod
    def single_or_bulk(
        cls, single: SecurityAction, bulk: SecurityAction, *, is_bulk: bool, count: int
    ) -> SecurityAction:
        """The bulk action when called from a bulk entry point *or* with more than one
        object (Kibana checks ``bulk_create`` for a one-object ``bulkCreate``)."""
        return bulk if is_bulk or count > 1 else single
