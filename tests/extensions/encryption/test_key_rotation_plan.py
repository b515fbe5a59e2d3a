"""Rotation's decisions without an engine: which objects of a page are re-encrypted, how
they are addressed, when the loop stops.

Scenarios from Kibana's ``x-pack/platform/plugins/shared/encrypted_saved_objects/server/
crypto/encryption_key_rotation_service.test.ts`` (commit
99cafbb2c85775553f9e73b5ca2725cc14a94be6), in our own words.
"""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.errors import TooManyRequestsError
from kbn_saved_objects.extensions.encryption import ROTATION_IN_PROGRESS, NodeCrypto
from kbn_saved_objects.extensions.encryption.key_rotation import (
    RotationState,
    objects_to_reencrypt,
    rotation_in_progress_guard,
    rotation_types,
)
from kbn_saved_objects.repository.extensions import EncryptionDescriptor
from kbn_saved_objects.serialization import SavedObject
from tests.extensions.encryption.conftest import (
    AGNOSTIC,
    HIDDEN,
    MULTIPLE,
    NEW_KEY,
    OLD_KEY_A,
    PREDICTABLE,
    SINGLE,
    make_extension,
    secret_attributes,
)

ROTATING = make_extension(NEW_KEY, OLD_KEY_A)


def found(
    type_name: str,
    obj_id: str,
    namespaces: list[str],
    key: str = OLD_KEY_A,
    version: str | None = "WzEsMV0=",
) -> SavedObject[Any]:
    """An object as the raw find returns it, encrypted with ``key``."""
    attributes = make_extension(key).encrypt_attributes(
        EncryptionDescriptor(type=type_name, id=obj_id, namespace=namespaces[0]),
        secret_attributes(),
    )
    return SavedObject(
        type=type_name, id=obj_id, attributes=attributes, namespaces=namespaces, version=version
    )


def test_old_key_objects_are_re_encrypted_with_the_primary_key() -> None:
    seen: set[tuple[str, ...]] = set()
    page = [found(SINGLE, "a", ["sales"]), found(SINGLE, "b", ["default"], key=NEW_KEY)]
    [update] = objects_to_reencrypt(ROTATING, page, seen)
    assert update["type"] == SINGLE
    assert update["id"] == "a"
    assert update["namespace"] == "sales"
    assert update["version"] == "WzEsMV0="  # a concurrent write makes it a conflict
    aad = '["sales","saved-object-with-secret","a",{"publicProperty":"some-public-property-0"}]'
    private = update["attributes"]["privateProperty"]
    assert NodeCrypto(NEW_KEY).decrypt(private, aad) == "some-private-property-0"
    assert update["attributes"]["publicProperty"] == "some-public-property-0"
    assert len(seen) == 2  # both were looked at


def test_an_object_is_looked_at_once() -> None:
    seen: set[tuple[str, ...]] = set()
    obj = found(SINGLE, "a", ["default"])
    assert len(objects_to_reencrypt(ROTATING, [obj], seen)) == 1
    assert objects_to_reencrypt(ROTATING, [obj], seen) == []


def test_the_same_id_in_two_spaces_is_two_objects() -> None:
    """Kibana keys its memory by id alone and would skip the second one in this run."""
    page = [found(SINGLE, "same", ["sales"]), found(SINGLE, "same", ["ops"])]
    updates = objects_to_reencrypt(ROTATING, page, set())
    assert [u.get("namespace") for u in updates] == ["sales", "ops"]


def test_shared_objects_are_written_in_their_first_space_unless_everywhere() -> None:
    page = [
        found(MULTIPLE, "m", ["ops", "sales"]),
        found(MULTIPLE, "all", ["*"]),
        found(AGNOSTIC, "g", ["default"]),
    ]
    first, everywhere, agnostic = objects_to_reencrypt(ROTATING, page, set())
    assert first["namespace"] == "ops"
    assert "namespace" not in everywhere
    assert agnostic["namespace"] == "default"


def test_objects_without_version_or_attributes() -> None:
    no_version = found(SINGLE, "v", ["default"], version=None)
    [update] = objects_to_reencrypt(ROTATING, [no_version], set())
    assert "version" not in update
    nothing_secret: SavedObject[Any] = SavedObject(
        type=SINGLE, id="e", attributes={"publicProperty": "p"}, namespaces=["default"]
    )
    # Kibana rewrites such an object on every run and counts it as successful
    assert objects_to_reencrypt(ROTATING, [nothing_secret], set()) == []


def test_unreadable_values_are_skipped() -> None:
    strange = SavedObject(
        type=SINGLE,
        id="n",
        attributes={"publicProperty": "p", "privateProperty": 42},
        namespaces=["default"],
    )
    unknown_key = found(SINGLE, "u", ["default"], key="u" * 32)
    assert objects_to_reencrypt(ROTATING, [strange, unknown_key], set()) == []


def test_the_loop_stops_when_the_first_page_held_everything() -> None:
    state = RotationState(batch_size=10)
    state.start_batch(10)
    assert state.result.total == 10
    assert state.finish_batch(10)


def test_the_loop_is_bounded_by_twice_the_first_total() -> None:
    state = RotationState(batch_size=3)
    stops = []
    for total in (7, 100, 100, 100, 100):  # objects keep appearing: the bound holds
        state.start_batch(total)
        stops.append(state.finish_batch(total))
    assert state.max_batches == 5  # ceil(2 * 7 / 3)
    assert stops == [False, False, False, False, True]
    assert state.result.total == 7


def test_counts() -> None:
    state = RotationState(batch_size=3)
    state.record_written(3, 2)
    state.record_written(2, 2)
    assert state.result.to_dict() == {"total": 0, "successful": 4, "failed": 1}
    assert state.progress().result is state.result


def test_types_to_rotate_include_hidden_ones() -> None:
    names, hidden = rotation_types(ROTATING)
    assert set(names) == {SINGLE, HIDDEN, MULTIPLE, AGNOSTIC, PREDICTABLE}
    assert hidden == {HIDDEN}
    assert rotation_types(ROTATING, HIDDEN) == ([HIDDEN], frozenset({HIDDEN}))
    assert rotation_types(ROTATING, "unknown") == ([], frozenset())


def test_one_rotation_at_a_time() -> None:
    with (
        rotation_in_progress_guard(),
        pytest.raises(TooManyRequestsError) as caught,
        rotation_in_progress_guard(),
    ):
        pass
    assert caught.value.message == ROTATION_IN_PROGRESS
    with rotation_in_progress_guard():  # released after each
        pass
