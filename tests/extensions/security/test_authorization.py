"""Type map, status, enforcement messages and namespace redaction, without a user store.

Ports the ``#checkAuthorization``, ``#enforceAuthorization`` and ``#redactNamespaces``
cases of Kibana's
``x-pack/platform/plugins/shared/security/server/saved_objects/saved_objects_security_extension.test.ts``
(elastic/kibana commit ef38cab555efb1fcd4bd8d8ea0afe11c34bf85c7, late 2025) and the
examples of spec 08 §2.4 and §2.7.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kbn_saved_objects.extensions.security.authorization import (
    authorizable_spaces,
    authorization_status,
    build_type_map,
    check_authorization,
    enforcement_message,
    is_authorized_in_all_spaces,
    privilege_actions,
    redact_spaces,
    unauthorized_types,
)
from kbn_saved_objects.repository.extensions import AuthorizationStatus, AuthorizationTypeEntry
from tests.extensions.security.conftest import answer

TYPES = ["a", "b", "c"]
OPERATIONS = ["create", "bulk_update"]


def spaces(*names: str) -> AuthorizationTypeEntry:
    return AuthorizationTypeEntry(authorized_spaces=names)


GLOBAL = AuthorizationTypeEntry(is_globally_authorized=True)


def test_the_partially_authorized_example() -> None:
    requested = privilege_actions(TYPES, OPERATIONS)
    result = answer(
        (None, "saved_object:a/create", True),
        (None, "saved_object:a/bulk_update", False),
        (None, "saved_object:a/bulk_update", True),  # a false answer wins
        ("x", "saved_object:b/create", True),
        ("y", "saved_object:b/create", True),
        ("x", "saved_object:c/create", True),
        ("x", "saved_object:c/bulk_update", True),
        ("y", "saved_object:c/create", False),
        ("y", "saved_object:c/bulk_update", False),
        ("x", "login:", True),
        ("y", "login:", True),
    )
    type_map = build_type_map(TYPES, requested, result)
    assert type_map == {
        "a": {"create": GLOBAL, "login:": spaces("x", "y")},
        "b": {"create": spaces("x", "y"), "login:": spaces("x", "y")},
        "c": {"create": spaces("x"), "bulk_update": spaces("x"), "login:": spaces("x", "y")},
    }
    assert authorization_status(result, type_map, OPERATIONS) is (
        AuthorizationStatus.PARTIALLY_AUTHORIZED
    )
    assert check_authorization(TYPES, requested, OPERATIONS, result) == (
        AuthorizationStatus.PARTIALLY_AUTHORIZED,
        type_map,
    )


def test_a_refusal_in_one_space_is_a_global_refusal_but_not_the_reverse() -> None:
    requested = privilege_actions(["a"], ["get"])
    type_map = build_type_map(
        ["a"],
        requested,
        answer(
            (None, "saved_object:a/get", True),
            ("x", "saved_object:a/get", False),
            (None, "login:", False),
            ("y", "login:", True),
        ),
    )
    assert type_map == {"a": {"login:": spaces("y")}}


def test_fully_authorized_when_everything_asked_is_held() -> None:
    result = answer((None, "saved_object:a/get", True), (None, "login:", True))
    type_map = build_type_map(["a"], privilege_actions(["a"], ["get"]), result)
    assert authorization_status(result, type_map, ["get"]) is AuthorizationStatus.FULLY_AUTHORIZED


def test_login_alone_is_unauthorized() -> None:
    result = answer(("x", "saved_object:a/get", False), ("x", "login:", True))
    type_map = build_type_map(["a"], privilege_actions(["a"], ["get"]), result)
    assert type_map == {"a": {"login:": spaces("x")}}
    assert authorization_status(result, type_map, ["get"]) is AuthorizationStatus.UNAUTHORIZED


def test_manage_access_control_is_asked_only_for_the_types_that_need_it() -> None:
    assert privilege_actions(["a", "b"], ["update"], ["b"]) == {
        "saved_object:a/update": ("a", "update"),
        "saved_object:b/update": ("b", "update"),
        "saved_object:b/manage_access_control": ("b", "manage_access_control"),
    }


def test_action_strings_refuse_empty_parts() -> None:
    with pytest.raises(ValueError, match="type is required and must be a string"):
        privilege_actions([""], ["get"])
    with pytest.raises(ValueError, match="operation is required and must be a string"):
        privilege_actions(["a"], [""])


@pytest.mark.parametrize(
    ("given_spaces", "allow_global", "expected"),
    [
        (["x", "y", "x"], False, ["x", "y"]),
        (["x", "*"], False, ["x"]),
        (["x", "*"], True, None),
        (["*"], True, None),
    ],
)
def test_authorizable_spaces(
    given_spaces: list[str], allow_global: bool, expected: list[str] | None
) -> None:
    assert authorizable_spaces(given_spaces, allow_global_resource=allow_global) == expected


def test_only_all_spaces_without_the_global_resource_is_nothing_to_check() -> None:
    with pytest.raises(ValueError, match="Can't check saved object privileges for 0 namespaces"):
        authorizable_spaces(["*"], allow_global_resource=False)


def test_without_spaces_every_check_is_global() -> None:
    assert authorizable_spaces(["x"], allow_global_resource=False, spaces_enabled=False) is None


def test_enforcement_lists_the_failing_types_sorted() -> None:
    type_map = {
        "a": {"create": spaces("x")},
        "b": {"create": spaces("y")},
        "c": {"create": spaces("z")},
    }
    enforce = {"c": {"x", "y"}, "a": {"y", "z"}, "b": {"x", "z"}}
    failed = unauthorized_types(enforce, "create", type_map)
    assert failed == ["a", "b", "c"]
    assert enforcement_message("create", failed) == "Unable to create a,b,c"


def test_enforcement_passes_a_global_entry_and_a_covering_one() -> None:
    type_map = {"a": {"get": GLOBAL}, "b": {"get": spaces("x", "y")}}
    assert unauthorized_types({"a": {"q"}, "b": {"x", "y"}}, "get", type_map) == []
    assert not is_authorized_in_all_spaces("b", "get", ["x", "z"], type_map)
    assert not is_authorized_in_all_spaces("b", "find", ["x"], type_map)


def test_enforcement_message_names_objects_access_control_held_back() -> None:
    message = enforcement_message("bulk_update", ["dashboard"], [("dashboard", "2"), ("a", "1")])
    assert message == (
        "Unable to bulk_update dashboard. Access control restrictions for objects: "
        'a:1,dashboard:2. The "manage_access_control" privilege is required to affect write '
        "restricted objects owned by another user."
    )


def test_redaction_example() -> None:
    type_map = {"a": {"login:": spaces("A", "b")}}
    assert redact_spaces("a", ["b", "x", "*", "A"], type_map) == ["*", "A", "b", "?"]


def test_redaction_leaves_globally_visible_and_spaceless_objects() -> None:
    assert redact_spaces("a", ["x"], {"a": {"login:": GLOBAL}}) is None
    assert redact_spaces("a", [], {"a": {"login:": spaces("x")}}) is None
    assert redact_spaces("a", None, {}) is None


def test_redaction_without_a_login_entry_hides_every_space() -> None:
    assert redact_spaces("a", ["y", "x", "*"], {}) == ["*", "?", "?"]


SPACE = st.sampled_from(["x", "y", "z", "default", "*"])
GRANT = st.tuples(st.sampled_from([None, "x", "y", "z", "default"]), st.booleans())


@given(
    held=st.lists(GRANT, max_size=8),
    object_spaces=st.lists(SPACE, max_size=6),
)
def test_no_result_ever_names_a_space_the_principal_cannot_log_into(
    held: list[tuple[str | None, bool]], object_spaces: list[str]
) -> None:
    """Whatever the answer, a redacted object shows only ``*``, ``?`` and spaces where
    ``login:`` was granted and never refused -- and the type map lists no other."""
    result = answer(*[(resource, "login:", ok) for resource, ok in held])
    type_map = build_type_map(["a"], {}, result)
    refused = {resource for resource, ok in held if not ok}
    granted = {resource for resource, ok in held if ok and resource not in refused}
    entry = type_map.get("a", {}).get("login:")
    if entry is not None:
        assert set(entry.authorized_spaces) <= granted
        assert not entry.is_globally_authorized or (None in granted and not refused)
    redacted = redact_spaces("a", object_spaces, type_map)
    if redacted is not None:
        assert sorted(redacted, key=lambda s: (s == "?", s.upper())) == redacted
        assert all(s in ("*", "?") or s in granted for s in redacted)
        assert len(redacted) == len(object_spaces)
