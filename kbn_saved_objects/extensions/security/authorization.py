"""Authorization decisions as pure functions: privilege answers in, type map and
verdicts out (spec 08 §2.3-2.5, §2.7).

Nothing here asks anyone anything: :mod:`.extension` fetches the privilege answer from its
source and hands it to these functions, so every rule -- fail-secure merging, the status,
what a 403 says, how spaces are redacted -- is tested without a user store.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from kbn_saved_objects.extensions.security.actions import LOGIN_ACTION, saved_object_action
from kbn_saved_objects.extensions.security.privileges import PrivilegeCheckResult
from kbn_saved_objects.repository.extensions import (
    AuthorizationStatus,
    AuthorizationTypeEntry,
    TypeMap,
)
from kbn_saved_objects.serialization import ALL_NAMESPACES_STRING

__all__ = [
    "UNKNOWN_SPACE",
    "authorizable_spaces",
    "authorization_status",
    "build_type_map",
    "check_authorization",
    "enforcement_message",
    "is_authorized_in_all_spaces",
    "privilege_actions",
    "redact_spaces",
    "unauthorized_types",
]

UNKNOWN_SPACE = "?"
"""What a space the caller may not see is shown as."""


def authorizable_spaces(
    spaces: Iterable[str], *, allow_global_resource: bool, spaces_enabled: bool = True
) -> list[str] | None:
    """The resources to check: a list of space ids, or ``None`` for a global check.

    ``"*"`` names both every space and the global resource, and a check is global *or*
    per space, never both: so ``"*"`` is dropped unless the entry point allows the
    global resource (sharing to ``*`` needs a global privilege; reading an object that
    happens to be in ``*`` does not). Without spaces every check is global.
    """
    if not spaces_enabled:
        return None
    unique = list(dict.fromkeys(spaces))
    if not allow_global_resource:
        unique = [space for space in unique if space != ALL_NAMESPACES_STRING]
    if ALL_NAMESPACES_STRING in unique:
        return None
    if not unique:
        raise ValueError("Can't check saved object privileges for 0 namespaces")
    return unique


def privilege_actions(
    types: Sequence[str], operations: Sequence[str], access_control_types: Iterable[str] = ()
) -> dict[str, tuple[str, str]]:
    """Action string -> ``(type, operation)`` for every type x operation, plus
    ``manage_access_control`` for the types whose objects need it (``login:`` is added
    by the caller: it belongs to no type)."""
    requested = {
        saved_object_action(type_name, operation): (type_name, operation)
        for type_name in types
        for operation in operations
    }
    for type_name in access_control_types:
        action = saved_object_action(type_name, "manage_access_control")
        requested.setdefault(action, (type_name, "manage_access_control"))
    return requested


def build_type_map(
    types: Sequence[str],
    requested: Mapping[str, tuple[str, str]],
    answer: PrivilegeCheckResult,
) -> dict[str, dict[str, AuthorizationTypeEntry]]:
    """``type -> operation -> entry`` from the authorized answers (Kibana's reduction).

    Fail-secure: a privilege refused at some space counts as refused globally too (but a
    global refusal leaves the per-space grants alone). ``login:`` is filed under every
    type, for redaction.
    """
    missing: dict[str | None, set[str]] = {}
    for entry in answer.privileges:
        if not entry.authorized:
            if entry.resource is not None:
                missing.setdefault(entry.resource, set()).add(entry.privilege)
            missing.setdefault(None, set()).add(entry.privilege)

    spaces: dict[tuple[str, str], list[str]] = {}
    global_: set[tuple[str, str]] = set()
    order: dict[str, list[str]] = {}
    for entry in answer.privileges:
        if not entry.authorized or entry.privilege in missing.get(entry.resource, set()):
            continue
        if entry.privilege == LOGIN_ACTION:
            keys = [(type_name, LOGIN_ACTION) for type_name in types]
        elif entry.privilege in requested:
            keys = [requested[entry.privilege]]
        else:
            continue
        for key in keys:
            operations = order.setdefault(key[0], [])
            if key[1] not in operations:
                operations.append(key[1])
            if entry.resource is None:
                global_.add(key)
            else:
                spaces.setdefault(key, []).append(entry.resource)
    return {
        type_name: {
            operation: AuthorizationTypeEntry(
                authorized_spaces=tuple(spaces.get((type_name, operation), ())),
                is_globally_authorized=(type_name, operation) in global_,
            )
            for operation in operations
        }
        for type_name, operations in order.items()
    }


def authorization_status(
    answer: PrivilegeCheckResult, type_map: TypeMap, operations: Iterable[str]
) -> AuthorizationStatus:
    """Fully authorized only if every requested privilege is held; partially if some
    type holds a *requested* operation somewhere (``login:`` alone does not count)."""
    if answer.has_all_requested:
        return AuthorizationStatus.FULLY_AUTHORIZED
    wanted = set(operations)
    if any(wanted & set(entries) for entries in type_map.values()):
        return AuthorizationStatus.PARTIALLY_AUTHORIZED
    return AuthorizationStatus.UNAUTHORIZED


def check_authorization(
    types: Sequence[str],
    requested: Mapping[str, tuple[str, str]],
    operations: Iterable[str],
    answer: PrivilegeCheckResult,
) -> tuple[AuthorizationStatus, dict[str, dict[str, AuthorizationTypeEntry]]]:
    """The status and type map a privilege answer gives (Kibana's ``checkAuthorization``
    once the source has answered): ``requested`` maps each asked action string to its
    ``(type, operation)``, as :func:`privilege_actions` builds it."""
    type_map = build_type_map(types, requested, answer)
    return authorization_status(answer, type_map, operations), type_map


def is_authorized_in_all_spaces(
    type_name: str, operation: str, spaces: Iterable[str], type_map: TypeMap
) -> bool:
    entry = type_map.get(type_name, {}).get(operation)
    if entry is None:
        return False
    if entry.is_globally_authorized:
        return True
    return set(spaces) <= set(entry.authorized_spaces)


def unauthorized_types(
    enforce_map: Mapping[str, Iterable[str]], operation: str, type_map: TypeMap
) -> list[str]:
    """The types of ``enforce_map`` not allowed ``operation`` in all their spaces, sorted."""
    return sorted(
        type_name
        for type_name, spaces in enforce_map.items()
        if not is_authorized_in_all_spaces(type_name, operation, spaces, type_map)
    )


def enforcement_message(
    operation: str, types: Iterable[str], inaccessible: Iterable[tuple[str, str]] = ()
) -> str:
    """``Unable to <op> <types>``, and which objects access control held back."""
    message = f"Unable to {operation} {','.join(sorted(types))}"
    blocked = sorted(f"{type_name}:{object_id}" for type_name, object_id in inaccessible)
    if blocked:
        message += (
            f". Access control restrictions for objects: {','.join(blocked)}. The "
            '"manage_access_control" privilege is required to affect write restricted '
            "objects owned by another user."
        )
    return message


def _space_sort_key(space: str) -> tuple[bool, str]:
    return (space == UNKNOWN_SPACE, space.upper())


def redact_spaces(
    type_name: str, namespaces: Sequence[str] | None, type_map: TypeMap
) -> list[str] | None:
    """``namespaces`` as the caller may see them (``None``: leave the object as it is).

    Spaces without ``login:`` become ``"?"``; ``"*"`` stays. The result is sorted
    case-insensitively with ``"?"`` last, so the position of a hidden space tells nothing.
    """
    entry = type_map.get(type_name, {}).get(LOGIN_ACTION) or AuthorizationTypeEntry()
    if entry.is_globally_authorized or not namespaces:
        return None
    visible = entry.authorized_spaces
    if len(namespaces) == 1 and (
        namespaces[0] in visible or namespaces[0] == ALL_NAMESPACES_STRING
    ):
        return None  # the common case, nothing to hide or sort: the object is left as it is
    redacted = [
        space if space == ALL_NAMESPACES_STRING or space in visible else UNKNOWN_SPACE
        for space in namespaces
    ]
    return sorted(redacted, key=_space_sort_key)
