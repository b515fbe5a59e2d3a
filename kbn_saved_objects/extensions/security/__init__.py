"""The security extension: who may do what to which saved objects, and the audit trail.

Build one per request::

    extension = RbacSecurityExtension(principal, RolePrivileges(roles), AuditLogger(), registry)
    repository = SavedObjectsRepository(
        engine, registry, extensions=RepositoryExtensions(security=extension)
    )

One concern per module: :mod:`.actions` (what is checked and audited),
:mod:`.privileges` (where privileges come from), :mod:`.authorization` (type map,
enforcement, redaction), :mod:`.access_control` (object ownership), :mod:`.audit`
(records through :mod:`logging`) and :mod:`.extension`, which puts them together.
"""

from kbn_saved_objects.extensions.security.access_control import inaccessible_object_error
from kbn_saved_objects.extensions.security.actions import (
    LOGIN_ACTION,
    MANAGE_ACCESS_CONTROL,
    AuditAction,
    SecurityAction,
    saved_object_action,
)
from kbn_saved_objects.extensions.security.audit import (
    AUDIT_LOGGER_NAME,
    AuditLogger,
    IgnoreFilter,
    saved_object_event,
)
from kbn_saved_objects.extensions.security.authorization import UNKNOWN_SPACE
from kbn_saved_objects.extensions.security.extension import RbacSecurityExtension
from kbn_saved_objects.extensions.security.privileges import (
    PrivilegeCheckResult,
    PrivilegeEntry,
    PrivilegeSource,
    RolePrivileges,
)
from kbn_saved_objects.extensions.security.setup import enable_security, searchable_spaces_filter

__all__ = [
    "AUDIT_LOGGER_NAME",
    "LOGIN_ACTION",
    "MANAGE_ACCESS_CONTROL",
    "UNKNOWN_SPACE",
    "AuditAction",
    "AuditLogger",
    "IgnoreFilter",
    "PrivilegeCheckResult",
    "PrivilegeEntry",
    "PrivilegeSource",
    "RbacSecurityExtension",
    "RolePrivileges",
    "SecurityAction",
    "enable_security",
    "inaccessible_object_error",
    "saved_object_action",
    "saved_object_event",
    "searchable_spaces_filter",
]
