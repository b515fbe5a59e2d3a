"""Who needs ``manage_access_control``, and what a refusal says (spec 08 §4.3, §4.4).

Ports cases of Kibana's
``x-pack/platform/plugins/shared/security/server/saved_objects/access_control_service.test.ts``
(elastic/kibana commit ba73279b39e2016af515489512753724c830e209, late 2025):
``shouldObjectRequireAccessControl`` and ``enforceAccessControl``'s messages.
"""

from __future__ import annotations

import pytest

from kbn_saved_objects.extensions.security import SecurityAction, inaccessible_object_error
from kbn_saved_objects.extensions.security.access_control import (
    change_access_control_check,
    change_access_control_denial,
    inaccessible_objects,
    requires_manage_access_control,
)
from kbn_saved_objects.repository.extensions import AuthorizationTypeEntry, AuthorizeObject
from kbn_saved_objects.types import SavedObjectTypeRegistry
from tests.extensions.security.conftest import ALICE, OWNED


def obj(owner: str, mode: str, type_name: str = OWNED, id: str = "1") -> AuthorizeObject:
    return AuthorizeObject(type_name, id, access_control={"owner": owner, "accessMode": mode})


WRITES = [
    SecurityAction.CREATE,
    SecurityAction.BULK_CREATE,
    SecurityAction.UPDATE,
    SecurityAction.BULK_UPDATE,
    SecurityAction.DELETE,
    SecurityAction.BULK_DELETE,
]


@pytest.mark.parametrize("action", WRITES)
def test_plain_writes_to_default_mode_objects_need_nothing_more(
    registry: SavedObjectTypeRegistry, action: SecurityAction
) -> None:
    assert not requires_manage_access_control(obj("u_bob_0", "default"), registry, ALICE, [action])


@pytest.mark.parametrize("action", WRITES)
def test_writes_to_someone_elses_restricted_object_need_it(
    registry: SavedObjectTypeRegistry, action: SecurityAction
) -> None:
    restricted = obj("u_bob_0", "write_restricted")
    assert requires_manage_access_control(restricted, registry, ALICE, [action])
    assert requires_manage_access_control(restricted, registry, None, [action])
    assert not requires_manage_access_control(
        obj("u_alice_0", "write_restricted"), registry, ALICE, [action]
    )


def test_other_actions_need_it_even_in_default_mode(registry: SavedObjectTypeRegistry) -> None:
    foreign = obj("u_bob_0", "default")
    assert requires_manage_access_control(
        foreign, registry, ALICE, [SecurityAction.CHANGE_OWNERSHIP]
    )
    assert requires_manage_access_control(
        foreign, registry, ALICE, [SecurityAction.UPDATE, SecurityAction.UPDATE_OBJECTS_SPACES]
    )
    assert not requires_manage_access_control(
        obj("u_alice_0", "default"), registry, ALICE, [SecurityAction.CHANGE_ACCESS_MODE]
    )


def test_types_without_support_or_objects_without_control_never_need_it(
    registry: SavedObjectTypeRegistry,
) -> None:
    assert not requires_manage_access_control(
        obj("u_bob_0", "write_restricted", type_name="a"), registry, ALICE, [SecurityAction.UPDATE]
    )
    assert not requires_manage_access_control(
        AuthorizeObject(OWNED, "1"), registry, ALICE, [SecurityAction.UPDATE]
    )


def test_inaccessible_objects_are_those_whose_type_lacks_it_in_an_affected_space() -> None:
    requiring = [obj("u", "write_restricted", id="1"), obj("u", "write_restricted", "lens", "2")]
    type_map = {
        OWNED: {"manage_access_control": AuthorizationTypeEntry(authorized_spaces=("x",))},
        "lens": {"manage_access_control": AuthorizationTypeEntry(is_globally_authorized=True)},
    }
    assert inaccessible_objects(requiring, {OWNED: {"x"}, "lens": {"x"}}, type_map) == frozenset()
    assert inaccessible_objects(requiring, {OWNED: {"x", "y"}, "lens": {"y"}}, type_map) == {
        (OWNED, "1")
    }


@pytest.mark.parametrize(
    ("action", "verb"),
    [
        (SecurityAction.BULK_CREATE, "Overwriting"),
        (SecurityAction.BULK_UPDATE, "Updating"),
        (SecurityAction.BULK_DELETE, "Deleting"),
        (SecurityAction.UPDATE_OBJECTS_SPACES, "Affecting"),
        ("bulk_get", "Affecting"),
    ],
)
def test_per_object_refusals(action: SecurityAction | str, verb: str) -> None:
    error = inaccessible_object_error(action)
    assert error.status_code == 403
    assert error.message == (
        f'{verb} objects in "write_restricted" mode that are owned by another user requires '
        'the "manage_access_control" privilege.'
    )


UPDATE_IN = {"update": AuthorizationTypeEntry(authorized_spaces=("default",))}


def test_change_owner_of_own_objects_needs_update(registry: SavedObjectTypeRegistry) -> None:
    check = change_access_control_check(
        [obj("u_alice_0", "default")], registry, ALICE, SecurityAction.CHANGE_OWNERSHIP
    )
    assert check.owned_types == {OWNED}
    assert check.foreign == ()
    assert change_access_control_denial(check, {OWNED: UPDATE_IN}, "default") is None
    other_space = {"update": AuthorizationTypeEntry(authorized_spaces=("other-space",))}
    denial = change_access_control_denial(check, {OWNED: other_space}, "default")
    assert denial is not None
    error, refused = denial
    assert refused == [OWNED]
    assert error.status_code == 403
    assert error.message == (
        "Access denied: Unable to perform manage access control for types dashboard. The "
        '"update" privilege is required to change access control of objects owned by the '
        "current user."
    )


def test_change_owner_of_others_objects_needs_manage_access_control(
    registry: SavedObjectTypeRegistry,
) -> None:
    check = change_access_control_check(
        [obj("u_bob_0", "default", id="obj-1"), obj("u_bob_0", "default", id="obj-2")],
        registry,
        ALICE,
        SecurityAction.CHANGE_ACCESS_MODE,
    )
    denial = change_access_control_denial(check, {OWNED: UPDATE_IN}, "default")
    assert denial is not None
    assert denial[0].message == (
        "Access denied: Unable to manage access control for objects dashboard:obj-1, "
        'dashboard:obj-2: the "manage_access_control" privilege is required to change '
        "access control of objects owned by another user."
    )
    manage = {"manage_access_control": AuthorizationTypeEntry(is_globally_authorized=True)}
    assert change_access_control_denial(check, {OWNED: manage}, "default") is None


def test_mixed_refusal_names_both(registry: SavedObjectTypeRegistry) -> None:
    check = change_access_control_check(
        [obj("u_alice_0", "default", id="owner-obj"), obj("u_bob_0", "default", "lens", "x")],
        registry,
        ALICE,
        SecurityAction.CHANGE_OWNERSHIP,
    )
    denial = change_access_control_denial(check, None, "default")
    assert denial is not None
    error, refused = denial
    assert refused == [OWNED, "lens"]
    assert error.message.startswith(
        "Access denied: Unable to perform manage access control for types dashboard. "
    )
    assert "Unable to manage access control for objects lens:x: " in error.message
