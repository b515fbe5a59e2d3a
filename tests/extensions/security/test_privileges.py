"""The built-in role table: literal actions, feature-style shortcuts, space scoping."""

from __future__ import annotations

from kbn_saved_objects.extensions.security import PrivilegeEntry, RolePrivileges
from kbn_saved_objects.repository.extensions import Principal

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
