"""Shared pieces for the security extension's tests: a registry with an access-controlled
type, a privilege source that answers what a test tells it (and records what it was
asked), and an extension built from them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pytest

from kbn_saved_objects.extensions.security import (
    AuditLogger,
    PrivilegeCheckResult,
    PrivilegeEntry,
    RbacSecurityExtension,
)
from kbn_saved_objects.repository.extensions import Principal
from kbn_saved_objects.types import SavedObjectsType, SavedObjectTypeRegistry

MAPPINGS = {"properties": {"title": {"type": "text"}}}

OWNED = "dashboard"
"""A multi-namespace type that supports access control."""


def build_registry() -> SavedObjectTypeRegistry:
    registry = SavedObjectTypeRegistry()
    for name in ("a", "b", "c", "config", "index-pattern"):
        registry.register(SavedObjectsType(name=name, namespace_type="multiple", mappings=MAPPINGS))
    registry.register(
        SavedObjectsType(
            name=OWNED, namespace_type="multiple", mappings=MAPPINGS, supports_access_control=True
        )
    )
    registry.register(
        SavedObjectsType(
            name="lens",
            namespace_type="multiple-isolated",
            mappings=MAPPINGS,
            supports_access_control=True,
        )
    )
    return registry.freeze()


def answer(*entries: tuple[str | None, str, bool]) -> PrivilegeCheckResult:
    """A privilege answer from ``(resource, privilege, authorized)`` triples."""
    privileges = tuple(PrivilegeEntry(*entry) for entry in entries)
    return PrivilegeCheckResult(all(p.authorized for p in privileges), privileges)


@dataclass
class Grants:
    """Holds the actions in ``grants`` (``space -> actions``; ``None`` = globally) and
    answers with one entry per asked action and resource, recording every question."""

    grants: dict[str | None, set[str]] = field(default_factory=dict)
    calls: list[tuple[list[str], list[str] | None]] = field(default_factory=list)

    def check(
        self, principal: Principal | None, actions: Sequence[str], spaces: Sequence[str] | None
    ) -> PrivilegeCheckResult:
        self.calls.append((list(actions), None if spaces is None else list(spaces)))
        resources: Sequence[str | None] = [None] if spaces is None else spaces
        everywhere = self.grants.get(None, set())
        entries = [
            (resource, action, action in everywhere or action in self.grants.get(resource, set()))
            for resource in resources
            for action in actions
        ]
        return answer(*entries)


ALICE = Principal("alice", ("editor",), "u_alice_0")
BOB = Principal("bob", ("editor",), "u_bob_0")


@pytest.fixture
def registry() -> SavedObjectTypeRegistry:
    return build_registry()


@pytest.fixture
def grants() -> Grants:
    return Grants()


@pytest.fixture
def extension(registry: SavedObjectTypeRegistry, grants: Grants) -> RbacSecurityExtension:
    return RbacSecurityExtension(ALICE, grants, AuditLogger(), registry)
