# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""remove_references_to on the real engine: only the current namespace (spec 03 §2.14)."""

from __future__ import annotations

import pytest

from kbn_saved_objects.errors import BadRequestError
from kbn_saved_objects.repository import SavedObjectsRepository
from tests.repository.conftest import AGNOSTIC, MULTIPLE, OTHER_INDEX, SINGLE

pytestmark = pytest.mark.engine

TAG = {"name": "tag_0", "type": "tag", "id": "t1"}
OTHER_TAG = {"name": "tag_1", "type": "tag", "id": "t2"}
SAME_ID_OTHER_TYPE = {"name": "ip", "type": "index-pattern", "id": "t1"}


def test_removes_matching_references_in_the_namespace(
    repository: SavedObjectsRepository,
) -> None:
    repo = repository
    refs = [TAG, OTHER_TAG, SAME_ID_OTHER_TYPE]
    repo.create(SINGLE, {"title": "a"}, id="s", namespace="a", references=refs)
    repo.create(SINGLE, {"title": "b"}, id="s", namespace="b", references=refs)
    repo.create(MULTIPLE, {"title": "ab"}, id="m", initial_namespaces=["a", "b"], references=refs)
    repo.create(MULTIPLE, {"title": "b"}, id="mb", namespace="b", references=refs)
    repo.create(OTHER_INDEX, {"title": "o"}, id="o", namespace="a", references=[TAG])
    repo.create(AGNOSTIC, {"title": "g"}, id="g", references=[TAG])
    repo.create(SINGLE, {"title": "none"}, id="n", namespace="a", references=[OTHER_TAG])

    result = repo.remove_references_to("tag", "t1", namespace="a")
    # s@a, m (visible from a), o, and the agnostic g (visible from every space)
    assert result.updated == 4
    assert result.model_dump() == {"updated": 4}
    kept = [OTHER_TAG, SAME_ID_OTHER_TYPE]
    assert (repo.get(SINGLE, "s", namespace="a")).references == kept
    assert (repo.get(MULTIPLE, "m", namespace="a")).references == kept
    assert (repo.get(OTHER_INDEX, "o", namespace="a")).references == []
    assert (repo.get(AGNOSTIC, "g")).references == []
    assert (repo.get(SINGLE, "n", namespace="a")).references == [OTHER_TAG]
    # objects of other spaces are untouched
    assert (repo.get(SINGLE, "s", namespace="b")).references == refs
    assert (repo.get(MULTIPLE, "mb", namespace="b")).references == refs


def test_default_space_and_unregistered_type(
    repository: SavedObjectsRepository,
) -> None:
    repo = repository
    repo.create(SINGLE, {"title": "d"}, id="d", references=[TAG])
    repo.create(SINGLE, {"title": "a"}, id="d", namespace="a", references=[TAG])
    # "tag" is not a registered type: it is not checked
    assert (repo.remove_references_to("tag", "t1")).updated == 1
    assert (repo.get(SINGLE, "d")).references == []
    assert (repo.get(SINGLE, "d", namespace="a")).references == [TAG]
    assert (repo.remove_references_to("tag", "t1", refresh=False)).updated == 0


def test_namespace_star_is_refused(repository: SavedObjectsRepository) -> None:
    with pytest.raises(BadRequestError):
        repository.remove_references_to("tag", "t1", namespace="*")
