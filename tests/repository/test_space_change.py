"""The pure rule of update_objects_spaces: what an object's spaces become (spec 05 §2.3)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kbn_saved_objects.repository.operations.update_objects_spaces import space_change


@pytest.mark.parametrize(
    ("current", "add", "remove", "updated", "removed", "changed"),
    [
        (["default"], ["a"], [], ["default", "a"], [], True),
        (["default", "a"], ["b"], ["a"], ["default", "b"], ["a"], True),
        (["a"], [], ["a"], [], ["a"], True),
        (["*"], ["x"], ["*"], ["x"], ["*"], True),
        (["a", "b"], ["*"], [], ["a", "b", "*"], [], True),
        (["a"], ["a"], ["z"], ["a"], [], False),
        # a repeated space is no reason to write (Kibana would)
        (["a"], [], ["z", "z"], ["a"], [], False),
        (["a"], ["b", "b"], [], ["a", "b"], [], True),
    ],
)
def test_spec_examples(
    current: list[str],
    add: list[str],
    remove: list[str],
    updated: list[str],
    removed: list[str],
    changed: bool,
) -> None:
    change = space_change(current, add, remove)
    assert (change.updated, change.removed, change.changed) == (updated, removed, changed)


spaces = st.lists(st.sampled_from(["default", "a", "b", "c", "*"]), max_size=5, unique=True)


@given(current=spaces, add=spaces, remove=spaces)
def test_the_result_is_current_minus_removed_plus_added(
    current: list[str], add: list[str], remove: list[str]
) -> None:
    add = [space for space in add if space not in remove]
    change = space_change(current, add, remove)
    assert set(change.updated) == (set(current) - set(remove)) | set(add)
    assert len(change.updated) == len(set(change.updated))
    assert change.removed == [space for space in current if space in remove]
    assert change.changed == (set(change.updated) != set(current))
