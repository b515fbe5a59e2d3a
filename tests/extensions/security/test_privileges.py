"""The built-in role table: literal actions, feature-style shortcuts, space scoping."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kbn_saved_objects.extensions.security import (
    AuditLogger,
    PrivilegeEntry,
    RbacSecurityExtension,
    RolePrivileges,
)
from kbn_saved_objects.repository.extensions import Principal
from tests.extensions.security.conftest import build_registry

ROLES = RolePrivileges(
    {
        "viewer": {"*": ["read"]},
        "dash-editor": {"marketing": ["all:dashboard"], "sales": ["read:dashboard"]},
        "exact": {"ops": ["saved_object:a/get", "login:"]},
        "admin": {"*": ["all", "saved_object:dashboard/manage_access_control"]},
    }
)


def test_a_literal_grant_holds_only_where_it_is_given() -> None:
    user = Principal("u", ("exact",))
    assert ROLES.holds(user, "saved_object:a/get", "ops")
    assert ROLES.holds(user, "login:", "ops")
    assert not ROLES.holds(user, "saved_object:a/get", "other")
    assert not ROLES.holds(user, "saved_object:a/get", None)
    assert not ROLES.holds(user, "saved_object:a/find", "ops")


def test_read_and_all_shortcuts() -> None:
    editor = Principal("e", ("dash-editor",))
    assert ROLES.holds(editor, "saved_object:dashboard/update", "marketing")
    assert ROLES.holds(editor, "saved_object:dashboard/get", "sales")
    assert not ROLES.holds(editor, "saved_object:dashboard/update", "sales")
    assert not ROLES.holds(editor, "saved_object:lens/get", "marketing")
    assert ROLES.holds(editor, "login:", "sales")
    assert not ROLES.holds(editor, "login:", "ops")


def test_star_grants_hold_everywhere_and_globally() -> None:
    viewer = Principal("v", ("viewer",))
    assert ROLES.holds(viewer, "saved_object:anything/find", "any-space")
    assert ROLES.holds(viewer, "saved_object:anything/find", None)
    assert not ROLES.holds(viewer, "saved_object:anything/create", None)


def test_manage_access_control_is_never_implied() -> None:
    admin = Principal("root", ("admin",))
    assert ROLES.holds(admin, "saved_object:dashboard/manage_access_control", "x")
    assert not ROLES.holds(admin, "saved_object:lens/manage_access_control", "x")


def test_roles_add_up_and_nobody_holds_nothing() -> None:
    both = Principal("b", ("exact", "dash-editor"))
    assert ROLES.holds(both, "saved_object:a/get", "ops")
    assert ROLES.holds(both, "saved_object:dashboard/create", "marketing")
    assert not ROLES.holds(None, "login:", "ops")
    assert not ROLES.holds(Principal("x", ("unknown-role",)), "login:", "ops")


def test_check_answers_per_space_or_globally() -> None:
    user = Principal("u", ("exact",))
    result = ROLES.check(user, ["saved_object:a/get", "login:"], ["ops", "x"])
    assert result.privileges == (
        PrivilegeEntry("ops", "saved_object:a/get", True),
        PrivilegeEntry("ops", "login:", True),
        PrivilegeEntry("x", "saved_object:a/get", False),
        PrivilegeEntry("x", "login:", False),
    )
    assert not result.has_all_requested
    viewer = ROLES.check(Principal("v", ("viewer",)), ["saved_object:a/get"], None)
    assert viewer.has_all_requested
    assert viewer.privileges == (PrivilegeEntry(None, "saved_object:a/get", True),)


SPACES = ["default", "marketing", "sales"]
GRANTS = st.sampled_from(
    ["read", "all", "read:a", "all:b", "saved_object:a/find", "saved_object:b/find", "login:"]
)
ROLE_TABLES = st.dictionaries(
    st.sampled_from(["r1", "r2"]),
    st.dictionaries(st.sampled_from([*SPACES, "*"]), st.lists(GRANTS, max_size=3), max_size=3),
    max_size=2,
)


@settings(max_examples=150, deadline=None)
@given(table=ROLE_TABLES, asked=st.lists(st.sampled_from(SPACES), min_size=1, max_size=3))
def test_find_never_authorizes_a_space_the_roles_do_not_grant(
    table: dict[str, dict[str, list[str]]], asked: list[str]
) -> None:
    """Whatever the roles, ``authorize_find`` lists for each type only spaces where the
    principal's roles grant ``find`` on it, and is global only when granted under "*"."""
    roles = RolePrivileges(table)
    user = Principal("u", ("r1", "r2"))
    extension = RbacSecurityExtension(user, roles, AuditLogger(enabled=False), build_registry())
    result = extension.authorize_find(asked, ["a", "b"])
    for type_name, operations in result.type_map.items():
        for operation, entry in operations.items():
            action = "login:" if operation == "login:" else f"saved_object:{type_name}/{operation}"
            assert all(roles.holds(user, action, space) for space in entry.authorized_spaces)
            assert set(entry.authorized_spaces) <= set(asked)
            assert not entry.is_globally_authorized
