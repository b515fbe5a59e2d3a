"""Where privileges come from: a pluggable source, and a role table built in.

Kibana asks Elasticsearch (``_has_privileges`` on the Kibana application) which of a list
of action strings a user holds, per space or globally (spec 08 §2.3). The extension only
needs that answer, so the source is a protocol: a service backed by Elasticsearch,
OpenSearch security or its own policy store implements :class:`PrivilegeSource`;
:class:`RolePrivileges` is an in-memory table of roles for services that keep their
policy in code or configuration (and for tests).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from kbn_saved_objects.extensions.security.actions import LOGIN_ACTION
from kbn_saved_objects.repository.extensions import Principal

__all__ = [
    "ALL_SPACES_RESOURCE",
    "PrivilegeCheckResult",
    "PrivilegeEntry",
    "PrivilegeSource",
    "RolePrivileges",
    "READ_OPERATIONS",
    "WRITE_OPERATIONS",
]

ALL_SPACES_RESOURCE = "*"
"""In a role table: a grant that holds in every space (Kibana's global resource)."""

READ_OPERATIONS = frozenset(
    {"get", "bulk_get", "find", "open_point_in_time", "close_point_in_time"}
)
"""What the ``read`` feature-style grant allows on a type."""

WRITE_OPERATIONS = frozenset(
    {"create", "bulk_create", "update", "bulk_update", "delete", "bulk_delete", "share_to_space"}
)
"""What ``all`` adds to ``read`` (``manage_access_control`` stays a separate grant, as in
Kibana, where only administrators hold it)."""


@dataclass(frozen=True, slots=True)
class PrivilegeEntry:
    """One answer: ``privilege`` held (or not) at ``resource`` (a space id; ``None`` for
    the global resource, i.e. every space)."""

    resource: str | None
    privilege: str
    authorized: bool


@dataclass(frozen=True, slots=True)
class PrivilegeCheckResult:
    has_all_requested: bool
    privileges: tuple[PrivilegeEntry, ...]


@runtime_checkable
class PrivilegeSource(Protocol):
    """Answers which ``actions`` ``principal`` holds.

    ``spaces`` is either ``None`` -- a *global* check: does the user hold each action in
    every space? (entries with ``resource=None``) -- or a list of space ids, checked one
    by one (one entry per space and action). A source that cannot answer raises; the
    extension turns that into a 500, as Kibana does.
    """

    def check(
        self, principal: Principal | None, actions: Sequence[str], spaces: Sequence[str] | None
    ) -> PrivilegeCheckResult: ...


class RolePrivileges:
    """Privileges from a role table: ``role -> {space id or "*" -> grants}``.

    A grant is an action string (``"saved_object:dashboard/get"``, ``"login:"``) or a
    feature-style shortcut: ``"read:<type>"`` / ``"all:<type>"`` (the operations of
    :data:`READ_OPERATIONS`, plus :data:`WRITE_OPERATIONS` for ``all``) and the bare
    ``"read"`` / ``"all"``, which mean those operations on every type. Every shortcut
    grants ``login:`` in its spaces too, as a Kibana feature privilege does.
    Grants under ``"*"`` hold in every space. A user's privileges are the union of
    their roles'.
    """

    def __init__(self, roles: Mapping[str, Mapping[str, Iterable[str]]]) -> None:
        self._roles = {
            role: {space: set(grants) for space, grants in spaces.items()}
            for role, spaces in roles.items()
        }

    @staticmethod
    def _holds(grants: set[str], action: str) -> bool:
        if action in grants:
            return True
        if action == LOGIN_ACTION:
            return any(g in ("read", "all") or g.startswith(("read:", "all:")) for g in grants)
        prefix = "saved_object:"
        if not action.startswith(prefix) or "/" not in action:
            return False
        type_name, operation = action[len(prefix) :].rsplit("/", 1)
        if operation in READ_OPERATIONS:
            wanted = {"read", "all", f"read:{type_name}", f"all:{type_name}"}
        elif operation in WRITE_OPERATIONS:
            wanted = {"all", f"all:{type_name}"}
        else:
            return False
        return bool(grants & wanted)

    def _grants(self, principal: Principal | None, space: str | None) -> list[set[str]]:
        if principal is None:
            return []
        found: list[set[str]] = []
        for role in principal.roles:
            spaces = self._roles.get(role, {})
            if ALL_SPACES_RESOURCE in spaces:
                found.append(spaces[ALL_SPACES_RESOURCE])
            if space is not None and space in spaces:
                found.append(spaces[space])
        return found

    def holds(self, principal: Principal | None, action: str, space: str | None) -> bool:
        """Whether ``principal`` holds ``action`` in ``space`` (``None``: in every space,
        which only a ``"*"`` grant gives)."""
        return any(self._holds(grants, action) for grants in self._grants(principal, space))

    def check(
        self, principal: Principal | None, actions: Sequence[str], spaces: Sequence[str] | None
    ) -> PrivilegeCheckResult:
        resources: Sequence[str | None] = [None] if spaces is None else spaces
        entries = tuple(
            PrivilegeEntry(resource, action, self.holds(principal, action, resource))
            for resource in resources
            for action in actions
        )
        return PrivilegeCheckResult(all(e.authorized for e in entries), entries)
