"""Object-level access control decisions (spec 08 §4.3, §4.4), pure.

An object of a type that opts in (``supports_access_control``) carries
``accessControl: {owner, accessMode}``. Its owner may always change it; anybody else
needs ``manage_access_control`` on the type when the object is ``write_restricted``
(``read_only`` in older documents) -- and for any mode when the call is about access
control itself (changing owner or mode).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from kbn_saved_objects.errors import ForbiddenError
from kbn_saved_objects.extensions.security.actions import MANAGE_ACCESS_CONTROL, SecurityAction
from kbn_saved_objects.extensions.security.authorization import is_authorized_in_all_spaces
from kbn_saved_objects.repository.extensions import AuthorizeObject, Principal, TypeMap
from kbn_saved_objects.types import SavedObjectTypeRegistry

__all__ = [
    "OWNER_PROFILE_UID_PATTERN",
    "ChangeAccessControlCheck",
    "change_access_control_check",
    "change_access_control_denial",
    "inaccessible_object_error",
    "inaccessible_objects",
    "requires_manage_access_control",
    "supports_access_control",
]

OWNER_PROFILE_UID_PATTERN = r"^u_.+_.+$"
"""A user profile id as Elasticsearch generates them: ``u_<principal>_<version>``."""

_DEFAULT_MODE_ACTIONS = frozenset(
    {
        SecurityAction.CREATE,
        SecurityAction.BULK_CREATE,
        SecurityAction.UPDATE,
        SecurityAction.BULK_UPDATE,
        SecurityAction.DELETE,
        SecurityAction.BULK_DELETE,
    }
)
"""Writes a ``default``-mode object allows anyone with the regular privilege."""


def supports_access_control(registry: SavedObjectTypeRegistry, type_name: str) -> bool:
    definition = registry.get_type(type_name)
    return definition is not None and definition.supports_access_control


def requires_manage_access_control(
    obj: AuthorizeObject,
    registry: SavedObjectTypeRegistry,
    user: Principal | None,
    actions: Collection[SecurityAction],
) -> bool:
    """Whether touching ``obj`` with ``actions`` needs ``manage_access_control``.

    Only for types that support access control and objects that carry it; a plain write
    to a ``default``-mode object never does; otherwise the owner is free and everyone
    else -- an unknown user included -- needs it.
    """
    if not supports_access_control(registry, obj.type) or not obj.access_control:
        return False
    if obj.access_control.get("accessMode") == "default" and all(
        action in _DEFAULT_MODE_ACTIONS for action in actions
    ):
        return False
    return user is None or obj.access_control.get("owner") != user.profile_uid


def inaccessible_objects(
    requiring: Iterable[AuthorizeObject],
    enforce_spaces: dict[str, set[str]],
    type_map: TypeMap,
) -> frozenset[tuple[str, str]]:
    """``(type, id)`` of the objects needing ``manage_access_control`` whose type lacks it
    in one of the spaces the call affects."""
    return frozenset(
        (obj.type, obj.id)
        for obj in requiring
        if not is_authorized_in_all_spaces(
            obj.type, MANAGE_ACCESS_CONTROL, enforce_spaces.get(obj.type, set()), type_map
        )
    )


def inaccessible_object_error(action: SecurityAction | str) -> ForbiddenError:
    """The per-object 403 a bulk operation returns for an object access control holds
    back (the call itself goes on for the others). ``action`` is the security action or
    its operation name (``"bulk_create"``...)."""
    name = action.operation if isinstance(action, SecurityAction) else action
    verb = {"bulk_create": "Overwriting", "bulk_update": "Updating", "bulk_delete": "Deleting"}
    return ForbiddenError(
        f'{verb.get(name or "", "Affecting")} objects in "write_restricted" mode that are '
        'owned by another user requires the "manage_access_control" privilege.'
    )


@dataclass(frozen=True, slots=True)
class ChangeAccessControlCheck:
    """Which privilege each object of a change of owner or mode needs: ``update`` on
    one's own objects, ``manage_access_control`` on everyone else's."""

    owned_types: frozenset[str]
    foreign: tuple[AuthorizeObject, ...]

    @property
    def foreign_types(self) -> frozenset[str]:
        return frozenset(obj.type for obj in self.foreign)


def change_access_control_check(
    objects: Sequence[AuthorizeObject],
    registry: SavedObjectTypeRegistry,
    user: Principal | None,
    action: SecurityAction,
) -> ChangeAccessControlCheck:
    owned: set[str] = set()
    foreign: list[AuthorizeObject] = []
    for obj in objects:
        if requires_manage_access_control(obj, registry, user, (action,)):
            foreign.append(obj)
        else:
            owned.add(obj.type)
    return ChangeAccessControlCheck(frozenset(owned), tuple(foreign))


def change_access_control_denial(
    check: ChangeAccessControlCheck, type_map: TypeMap | None, space: str
) -> tuple[ForbiddenError, list[str]] | None:
    """The 403 refusing a change of owner or mode, and every type it refuses; ``None``
    when the user holds what each object needs in ``space``. ``type_map=None`` means
    the user holds nothing requested (everything is refused)."""

    def lacks(type_name: str, operation: str) -> bool:
        return type_map is None or not is_authorized_in_all_spaces(
            type_name, operation, (space,), type_map
        )

    owned = sorted(t for t in check.owned_types if lacks(t, "update"))
    foreign_types = {t for t in check.foreign_types if lacks(t, MANAGE_ACCESS_CONTROL)}
    foreign = [obj for obj in check.foreign if obj.type in foreign_types]
    if not owned and not foreign:
        return None
    parts = ["Access denied:"]
    if owned:
        parts.append(
            f"Unable to perform manage access control for types {', '.join(owned)}. The "
            '"update" privilege is required to change access control of objects owned by '
            "the current user."
        )
    if foreign:
        listed = ", ".join(f"{obj.type}:{obj.id}" for obj in foreign)
        parts.append(
            f"Unable to manage access control for objects {listed}: the "
            '"manage_access_control" privilege is required to change access control of '
            "objects owned by another user."
        )
    return ForbiddenError(" ".join(parts)), sorted(set(owned) | foreign_types)
