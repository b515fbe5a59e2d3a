"""The contracts between the repository and its extensions (spec 08 §1, §9).

They live in the repository layer, as Kibana keeps them in core: the repository calls
them, implementations (``kbn_saved_objects.extensions``, or a service's own) sit above.

Kibana's repository never decides who may do what, which attributes are secret or which
space a request is in: it asks its three extensions at fixed points of every operation
(spec 08 §1.3 lists them). These protocols are those questions, in snake_case, so that the
repository's operation generators can call them between the engine requests they yield
and any implementation -- the ones shipped in this package or a service's own -- sees
exactly what Kibana's extensions see.

Conventions that every implementation relies on:

* Namespaces are *strings* here (``"default"`` for the default space, ``"*"`` for every
  space), as Kibana's extensions receive them; the repository converts.
* Security and encryption hooks are plain synchronous calls: they decide from what they
  are given (and their own in-memory state). The one question that may need the engine,
  which spaces exist, is a sub-operation: a generator the operation delegates to with
  ``yield from``, so it stays free of I/O like every operation.
* A refusal is raised as the typed error Kibana raises (``ForbiddenError`` with
  ``Unable to <op> <types>``, ``BadRequestError``...), from :mod:`kbn_saved_objects.errors`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal, Protocol, runtime_checkable

from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.serialization import AccessControl, SavedObject

__all__ = [
    "ENCRYPTION_EXTENSION_ID",
    "SECURITY_EXTENSION_ID",
    "SPACES_EXTENSION_ID",
    "AuthorizationResult",
    "AuthorizationStatus",
    "AuthorizationTypeEntry",
    "AuthorizeCreateObject",
    "AuthorizeObject",
    "AuthorizeObjectWithExistingSpaces",
    "AuthorizeUpdateObject",
    "AuthorizeBulkGetObject",
    "EncryptionDescriptor",
    "EncryptionExtension",
    "ExtensionId",
    "LegacyUrlAliasTarget",
    "Principal",
    "RepositoryExtensions",
    "SecurityExtension",
    "SpacesExtension",
    "TypeMap",
]

SECURITY_EXTENSION_ID = "security"
ENCRYPTION_EXTENSION_ID = "encryptedSavedObjects"
SPACES_EXTENSION_ID = "spaces"
ExtensionId = Literal["security", "encryptedSavedObjects", "spaces"]
"""The fixed ids a client uses to exclude an extension (Kibana's ``excludedExtensions``)."""


# --- what the security extension is told ---------------------------------------------


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a request acts for: enough to authorize, audit and own objects.

    ``profile_uid`` is the owner id stored in ``accessControl.owner`` (Kibana's user
    profile id, ``u_<principal>_<version>``); ``roles`` feed the privilege source.
    """

    username: str
    roles: tuple[str, ...] = ()
    profile_uid: str | None = None


@dataclass(frozen=True, slots=True)
class AuthorizeObject:
    """One object an operation is about to touch (Kibana's ``AuthorizeObject``)."""

    type: str
    id: str
    name: str | None = None
    """The object's title, for audit records that include names."""
    access_control: AccessControl | None = None
    """The stored (or, on create, the requested) access control of the object."""


@dataclass(frozen=True, slots=True)
class AuthorizeObjectWithExistingSpaces(AuthorizeObject):
    existing_namespaces: tuple[str, ...] = ()
    """The spaces the stored object is in (from the preflight read); empty when the
    object does not exist yet or its type is not multi-namespace."""


@dataclass(frozen=True, slots=True)
class AuthorizeCreateObject(AuthorizeObjectWithExistingSpaces):
    initial_namespaces: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AuthorizeUpdateObject(AuthorizeObjectWithExistingSpaces):
    object_namespace: str | None = None
    """The per-object namespace of a bulk update, when the caller gave one."""


@dataclass(frozen=True, slots=True)
class AuthorizeBulkGetObject(AuthorizeObjectWithExistingSpaces):
    object_namespaces: tuple[str, ...] = ()
    error: bool = False
    """The object already failed (not found, bad type...): checked, never audited as read."""


@dataclass(frozen=True, slots=True)
class LegacyUrlAliasTarget:
    target_space: str
    target_type: str
    source_id: str


class AuthorizationStatus(StrEnum):
    FULLY_AUTHORIZED = "fully_authorized"
    PARTIALLY_AUTHORIZED = "partially_authorized"
    UNAUTHORIZED = "unauthorized"


@dataclass(frozen=True, slots=True)
class AuthorizationTypeEntry:
    """Where one (type, operation) is allowed: everywhere, or in these spaces."""

    authorized_spaces: tuple[str, ...] = ()
    is_globally_authorized: bool = False


TypeMap = Mapping[str, Mapping[str, AuthorizationTypeEntry]]
"""type -> operation (``"find"``, ``"bulk_get"``..., and ``"login:"``) -> entry."""


@dataclass(frozen=True, slots=True)
class AuthorizationResult:
    status: AuthorizationStatus
    type_map: TypeMap
    inaccessible_objects: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    """``(type, id)`` of objects a bulk call must fail one by one with a 403 (object
    access control, spec 08 §4.3) instead of refusing the whole call."""


@runtime_checkable
class SecurityExtension(Protocol):
    """Authorization and audit (Kibana's ``ISavedObjectsSecurityExtension``).

    Every ``authorize_*`` call both decides and audits, in Kibana's order: it raises the
    403 Kibana raises (after logging the failure events) or returns the result and logs
    the ``unknown``/``success`` events Kibana logs before the write. ``namespace`` is the
    active space of the call as a string.
    """

    def get_current_user(self) -> Principal | None: ...

    def authorize_create(
        self, namespace: str, objects: Sequence[AuthorizeCreateObject], *, bulk: bool
    ) -> AuthorizationResult: ...

    def authorize_update(
        self, namespace: str, objects: Sequence[AuthorizeUpdateObject], *, bulk: bool
    ) -> AuthorizationResult: ...

    def authorize_delete(
        self,
        namespace: str,
        objects: Sequence[AuthorizeObjectWithExistingSpaces],
        *,
        bulk: bool,
    ) -> AuthorizationResult: ...

    def authorize_get(
        self,
        namespace: str,
        obj: AuthorizeObjectWithExistingSpaces,
        *,
        object_not_found: bool,
    ) -> AuthorizationResult: ...

    def authorize_bulk_get(
        self, namespace: str, objects: Sequence[AuthorizeBulkGetObject]
    ) -> AuthorizationResult: ...

    def authorize_check_conflicts(
        self, namespace: str, objects: Sequence[AuthorizeObject]
    ) -> AuthorizationResult: ...

    def authorize_remove_references(
        self, namespace: str, obj: AuthorizeObject
    ) -> AuthorizationResult: ...

    def authorize_open_point_in_time(
        self, namespaces: Sequence[str], types: Sequence[str]
    ) -> AuthorizationResult: ...

    def audit_close_point_in_time(self) -> None: ...

    def authorize_find(
        self, namespaces: Sequence[str], types: Sequence[str]
    ) -> AuthorizationResult:
        """Never raises for lack of privileges: ``unauthorized`` means an empty page."""
        ...

    def get_find_redact_type_map(
        self,
        previously_checked_namespaces: Sequence[str],
        objects: Sequence[AuthorizeObjectWithExistingSpaces],
    ) -> TypeMap | None:
        """Audits one ``saved_object_find`` per hit; re-checks when hits live in spaces
        the first check did not cover (spec 08 §2.8 step 4)."""
        ...

    def redact_namespaces(self, obj: SavedObject[Any], type_map: TypeMap) -> SavedObject[Any]:
        """Spaces the caller may not see become ``"?"`` (spec 08 §2.7)."""
        ...

    def authorize_update_spaces(
        self,
        namespace: str,
        spaces_to_add: Sequence[str],
        spaces_to_remove: Sequence[str],
        objects: Sequence[AuthorizeObjectWithExistingSpaces],
    ) -> AuthorizationResult: ...

    def authorize_and_redact_multi_namespace_references(
        self,
        namespace: str,
        objects: Sequence[Mapping[str, Any]],
        *,
        purpose: Literal["collectMultiNamespaceReferences", "updateObjectsSpaces"],
        requested: Sequence[Mapping[str, Any]] | None = None,
    ) -> list[Mapping[str, Any]]:
        """Filters and redacts the reference graph (spec 08 §2.9); objects are the
        operation's result entries in Kibana's shape. ``requested`` are the ``{type, id}``
        the caller asked for: only their types are enforced, and other objects are kept
        only when reached from a visible one (``None``: every entry counts as requested,
        as Kibana's current extension treats them)."""
        ...

    def authorize_and_redact_internal_bulk_resolve(
        self, namespace: str, results: Sequence[Any]
    ) -> list[Any]:
        """``results`` are ``ResolveResponse`` entries in Kibana's public ``bulkResolve``
        shape, in input order: a failed object is an entry whose ``saved_object`` carries
        only ``type``, ``id`` and the ``error`` payload (outcome ``exactMatch``). Returns
        them with every resolved object's ``namespaces`` redacted, or raises the 403."""
        ...

    def authorize_disable_legacy_url_aliases(
        self, aliases: Sequence[LegacyUrlAliasTarget]
    ) -> None: ...

    def authorize_change_access_control(
        self,
        namespace: str,
        objects: Sequence[AuthorizeObject],
        *,
        operation: Literal["changeOwnership", "changeAccessMode"],
    ) -> AuthorizationResult: ...

    def audit_objects_for_space_deletion(
        self, space_id: str, objects: Sequence[SavedObject[Any]]
    ) -> None: ...


# --- encryption ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EncryptionDescriptor:
    """What an encrypted value is bound to (the AAD): type, id and -- for single-namespace
    types outside the default space -- the namespace (spec 08 §5.2)."""

    type: str
    id: str
    namespace: str | None = None


@runtime_checkable
class EncryptionExtension(Protocol):
    """Encrypted attributes (Kibana's ``ISavedObjectsEncryptionExtension``)."""

    def is_encryptable_type(self, type_name: str) -> bool: ...

    def should_enforce_random_id(self, type_name: str) -> bool:
        """A predefined non-UUID id is refused for this type (spec 08 §5.6)."""
        ...

    def encrypt_attributes(
        self, descriptor: EncryptionDescriptor, attributes: Mapping[str, Any]
    ) -> dict[str, Any]: ...

    def decrypt_or_strip_response_attributes(
        self,
        obj: SavedObject[Any],
        original_attributes: Mapping[str, Any] | None = None,
    ) -> SavedObject[Any]:
        """Never raises for a value it cannot decrypt: the object comes back without its
        encrypted attributes and with ``error`` set (spec 08 §5.5)."""
        ...


# --- spaces --------------------------------------------------------------------------


@runtime_checkable
class SpacesExtension(Protocol):
    """The request's space and the spaces it may search (``ISavedObjectsSpacesExtension``)."""

    def get_current_namespace(self, namespace: str | None) -> str | None:
        """The active space as a namespace id (``None`` for the default space); a caller
        that names a namespace is refused, since the request decides it."""
        ...

    def get_searchable_namespaces(self, namespaces: Sequence[str] | None) -> Operation[list[str]]:
        """A sub-operation (``yield from``): may read the spaces that exist."""
        ...

    def as_scoped_to_namespace(self, namespace: str) -> SpacesExtension: ...


@dataclass(frozen=True, slots=True)
class RepositoryExtensions:
    """The extensions one repository runs with; any may be absent (spec 08 §1.1)."""

    security: SecurityExtension | None = None
    encryption: EncryptionExtension | None = None
    spaces: SpacesExtension | None = None

    def without(self, excluded: Sequence[str]) -> RepositoryExtensions:
        return RepositoryExtensions(
            security=None if SECURITY_EXTENSION_ID in excluded else self.security,
            encryption=None if ENCRYPTION_EXTENSION_ID in excluded else self.encryption,
            spaces=None if SPACES_EXTENSION_ID in excluded else self.spaces,
        )
