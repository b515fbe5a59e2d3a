"""The steps every operation takes with its extensions (spec 08 §1.3), written once.

Kibana's operations call their security, encryption and spaces extensions at fixed
points: the active namespace comes from the spaces extension, authorization runs after
the preflight reads and *before* any 404/409 decision (an unauthorized caller learns
nothing about what exists), attributes are encrypted just before a write is serialised,
and every object returned is decrypted (or stripped) and then has the spaces the caller
may not see redacted. Each of those steps is a function here, so an operation reads as
Kibana's does and no operation carries its own copy.

Without extensions every function is one ``if`` and hands its input back unchanged, so a
repository built without them behaves, and costs, exactly as before.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel

from kbn_saved_objects.errors import BadRequestError, ForbiddenError
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.extensions import (
    AuthorizationResult,
    AuthorizationStatus,
    EncryptionDescriptor,
    TypeMap,
)
from kbn_saved_objects.repository.helpers.namespaces import current_namespace
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.serialization import (
    AccessControl,
    SavedObject,
    SavedObjectDoc,
    namespace_id_to_string,
    saved_object_from_doc,
)

__all__ = [
    "PREDEFINED_ID_REASON",
    "access_control_for_create",
    "active_namespace",
    "decrypt_and_redact",
    "decrypt_and_redact_document",
    "encrypt_for_write",
    "find_type_to_namespaces",
    "inaccessible_payload",
    "name_attributes",
    "object_name",
    "searchable_namespaces",
    "valid_object_id",
]

PREDEFINED_ID_REASON = (
    "Predefined IDs are not allowed for saved objects with encrypted attributes unless the ID "
    "is a UUID."
)

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)

BulkAction = Literal["bulk_create", "bulk_update", "bulk_delete"]
_VERBS: dict[str, str] = {
    "bulk_create": "Overwriting",
    "bulk_update": "Updating",
    "bulk_delete": "Deleting",
}


# --- spaces --------------------------------------------------------------------------


def active_namespace(ctx: RepositoryContext, requested: str | None) -> str | None:
    """The namespace id an operation acts in (Kibana's ``getCurrentNamespace``).

    With a spaces extension the request decides it (and a caller that names one is
    refused by the extension); without, the caller's ``namespace`` or the repository's
    scope. Either way a scoped repository never acts outside its scope.
    """
    spaces = ctx.extensions.spaces
    if spaces is None:
        return current_namespace(ctx.namespace_option(requested))
    namespace = spaces.get_current_namespace(requested)
    refusal = ctx.scope_error([namespace_id_to_string(namespace)], "the active space")
    if refusal is not None:
        raise refusal
    return namespace


def searchable_namespaces(
    ctx: RepositoryContext, requested: Sequence[str] | None
) -> Operation[list[str] | None]:
    """The spaces a find (or a point-in-time) may search, from the spaces extension.

    ``None`` when the caller may search no space at all: the extension refused (403)
    or none of the requested spaces is available (Kibana answers find with an empty
    page and a point-in-time with a 400 then). Only called with a spaces extension.
    """
    spaces = ctx.extensions.spaces
    assert spaces is not None
    try:
        namespaces = yield from spaces.get_searchable_namespaces(requested)
    except ForbiddenError:
        return None
    return list(namespaces) or None


# --- security ------------------------------------------------------------------------


def object_name(ctx: RepositoryContext, type_name: str, attributes: Any) -> str | None:
    """The object's title for audit records (Kibana's ``SavedObjectsUtils.getName``): its
    type's name attribute, else ``name``, else ``title``."""
    if not isinstance(attributes, Mapping):
        return None
    for key in name_attributes(ctx, type_name):
        name = attributes.get(key)
        if isinstance(name, str):
            return name
    return None


def name_attributes(ctx: RepositoryContext, type_name: str) -> list[str]:
    """The attributes that may hold an object's title, in the order they are tried."""
    declared = ctx.registry.get_name_attribute(type_name)
    return ["name", "title"] if declared == "unknown" else [declared, "name", "title"]


def access_control_for_create(
    ctx: RepositoryContext, type_name: str, requested: AccessControl | None, *, bulk: bool
) -> AccessControl | BadRequestError | None:
    """The ``accessControl`` a new object is stored with (spec 08 §4.2), or its 400.

    The owner is the security extension's current user. ``create`` refuses a restricted
    mode without a known user (nobody could ever change the object) and an
    ``accessMode`` on a type without access control; ``bulk_create`` refuses any mode
    without a known user on a type that supports it, and ignores it elsewhere.
    """
    security = ctx.extensions.security
    principal = security.get_current_user() if security is not None else None
    owner = principal.profile_uid if principal is not None else None
    mode = (requested or {}).get("accessMode")
    definition = ctx.registry.get_type(type_name)
    supported = definition is not None and definition.supports_access_control
    if bulk:
        if not owner and supported and mode:
            return BadRequestError(
                reason=f'Cannot create a saved object of type "{type_name}" with an access mode '
                "because Kibana could not determine the user profile ID for the caller. This "
                "access mode requires an identifiable user profile."
            )
    else:
        if not owner and mode in ("write_restricted", "read_only"):
            return BadRequestError(
                reason=f'Cannot create a saved object of type "{type_name}" with "{mode}" '
                "access mode because Kibana could not determine the user profile ID for the "
                "caller. This access mode requires an identifiable user profile."
            )
        if not supported and mode:
            return BadRequestError(
                reason=f'The "accessMode" field is not supported for saved objects of type '
                f'"{type_name}".'
            )
    if not supported or not owner:
        return None
    return {"owner": owner, "accessMode": mode or "default"}


def inaccessible_payload(action: BulkAction) -> dict[str, Any]:
    """The per-object 403 of a bulk write on a ``write_restricted`` object the caller does
    not own and may not manage (spec 08 §4.3)."""
    return ForbiddenError(
        f'{_VERBS[action]} objects in "write_restricted" mode that are owned by another user '
        'requires the "manage_access_control" privilege.'
    ).payload()


def is_inaccessible(result: AuthorizationResult | None, type_name: str, object_id: str) -> bool:
    return result is not None and (type_name, object_id) in result.inaccessible_objects


def find_type_to_namespaces(
    result: AuthorizationResult,
    namespaces: Sequence[str],
    types: Sequence[str],
    requested: Mapping[str, Sequence[str] | None] | None,
) -> dict[str, Sequence[str] | None] | None:
    """The type -> spaces map a partially authorized find searches (spec 08 §2.8 step 3).

    A type the caller may find everywhere keeps every searched space, another only its
    authorized ones; a type without a ``find`` entry is left out. When the caller gave
    a map of its own, each type keeps only the spaces both allow. ``None`` for any other
    status: the query is built from ``types``/``namespaces`` as usual.
    """
    if result.status != AuthorizationStatus.PARTIALLY_AUTHORIZED:
        return None
    allowed: dict[str, Sequence[str] | None] = {}
    for type_name in types:
        entry = result.type_map.get(type_name, {}).get("find")
        if entry is None:
            continue
        spaces = list(namespaces) if entry.is_globally_authorized else list(entry.authorized_spaces)
        if requested is not None and type_name in requested:
            wanted = requested[type_name]
            wanted_spaces = ["default"] if wanted is None else list(wanted)
            spaces = [space for space in spaces if space in wanted_spaces]
        allowed[type_name] = spaces
    return allowed


# --- encryption ----------------------------------------------------------------------


def valid_object_id(
    ctx: RepositoryContext,
    type_name: str,
    requested: str | None,
    version: str | None,
    overwrite: bool,
) -> str:
    """The id a new object gets (Kibana's ``getValidId``): the caller's, or a random UUID.

    An encryptable type binds its id into every encrypted value, so a guessable id is
    refused unless the type allows it, the caller overwrites a known version, or the id
    is a UUID (spec 08 §5.6).
    """
    if not requested:
        return str(uuid.uuid4())
    encryption = ctx.extensions.encryption
    if (
        encryption is not None
        and encryption.is_encryptable_type(type_name)
        and encryption.should_enforce_random_id(type_name)
        and not (overwrite and version)
        and not _UUID.match(requested)
    ):
        raise BadRequestError(reason=PREDEFINED_ID_REASON)
    return requested


def encrypt_for_write(
    ctx: RepositoryContext,
    type_name: str,
    object_id: str,
    namespace: str | None,
    attributes: Any,
) -> Any:
    """``attributes`` with the registered ones encrypted, bound to ``type_name``/``object_id``
    and ``namespace`` (a namespace id; the extension keeps it for single-namespace types
    only), or unchanged for a type with nothing to encrypt."""
    encryption = ctx.extensions.encryption
    if encryption is None or not encryption.is_encryptable_type(type_name):
        return attributes
    if isinstance(attributes, BaseModel):
        attributes = attributes.model_dump(mode="json", by_alias=True)
    return encryption.encrypt_attributes(
        EncryptionDescriptor(type_name, object_id, namespace), attributes or {}
    )


# --- reads ---------------------------------------------------------------------------


def decrypt_and_redact(
    ctx: RepositoryContext,
    obj: SavedObject[Any],
    type_map: TypeMap | None,
    original_attributes: Any = None,
) -> SavedObject[Any]:
    """An object as the caller may see it: encrypted attributes decrypted (or stripped),
    then the spaces it may not see replaced by ``"?"`` when a type map is given
    (Kibana's ``optionallyDecryptAndRedactSingleResult``). Error entries pass through."""
    if obj.error is not None:
        return obj
    encryption = ctx.extensions.encryption
    if encryption is not None and encryption.is_encryptable_type(obj.type):
        original = original_attributes
        if isinstance(original, BaseModel):
            original = original.model_dump(mode="json", by_alias=True)
        obj = encryption.decrypt_or_strip_response_attributes(obj, original)
    if type_map is not None:
        security = ctx.extensions.security
        assert security is not None
        obj = security.redact_namespaces(obj, type_map)
    return obj


def decrypt_and_redact_document(
    ctx: RepositoryContext, doc: SavedObjectDoc, type_map: TypeMap | None
) -> SavedObjectDoc:
    """:func:`decrypt_and_redact` for a result document (find's hits stay documents).

    Most hits need neither: their type has nothing encrypted and the find checked every
    space they are in (no type map). They are handed back as they are, without the
    round trip through a saved object that the other hits take."""
    encryption = ctx.extensions.encryption
    if type_map is None and (encryption is None or not encryption.is_encryptable_type(doc["type"])):
        return doc
    return decrypt_and_redact(ctx, saved_object_from_doc(doc), type_map).to_doc()


def reads_through_extensions(ctx: RepositoryContext) -> bool:
    """Whether returned objects need :func:`decrypt_and_redact` at all."""
    extensions = ctx.extensions
    return extensions.encryption is not None or extensions.security is not None
