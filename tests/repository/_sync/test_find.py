# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""find on the real engine over a data set in three namespaces (spec 04)."""

from __future__ import annotations

import pytest

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import BadRequestError, NotFoundError
from kbn_saved_objects.repository import SavedObjectsRepository
from kbn_saved_objects.repository._sync.point_in_time_finder import PointInTimeFinder
from kbn_saved_objects.search.query import NotAcceptableError, PlainBadRequestError
from tests.repository.conftest import AGNOSTIC, HIDDEN, MULTIPLE, OTHER_INDEX, SINGLE

pytestmark = pytest.mark.engine

REF_A = {"name": "ref_a", "type": "tag", "id": "a"}
REF_B = {"name": "ref_b", "type": "tag", "id": "b"}


def seed(repo: SavedObjectsRepository) -> None:
    for ns in ("default", "space1", "space2"):
        for i in range(3):
            repo.create(
                SINGLE,
                {"title": f"{ns} single {i}", "count": i},
                id=f"s{i}",
                namespace=ns,
                references=[REF_A] if i == 0 else [REF_B] if i == 1 else [REF_A, REF_B],
                refresh=False,
            )
    repo.create(
        MULTIPLE,
        {"title": "shared one", "count": 10},
        id="m1",
        initial_namespaces=["space1", "space2"],
        refresh=False,
    )
    repo.create(
        MULTIPLE,
        {"title": "shared everywhere", "count": 11},
        id="m2",
        initial_namespaces=["*"],
        refresh=False,
    )
    repo.create(AGNOSTIC, {"title": "global thing", "count": 20}, id="g1", refresh=False)
    repo.create(
        OTHER_INDEX, {"title": "elsewhere", "count": 30}, id="o1", namespace="space1", refresh=True
    )
    repo.engine.perform(rq.refresh(repo.context.indices_for([SINGLE, OTHER_INDEX])))


def ids(page: object) -> list[str]:
    return sorted(f"{so.type}/{so.id}" for so in page.saved_objects)  # type: ignore[attr-defined]


def test_namespaces_decide_what_is_found(
    repository: SavedObjectsRepository,
) -> None:
    seed(repository)
    all_types = [SINGLE, MULTIPLE, AGNOSTIC, OTHER_INDEX]
    default = repository.find(type=all_types)
    assert ids(default) == ["global/g1", "isolated/s0", "isolated/s1", "isolated/s2", "shared/m2"]
    space1 = repository.find(type=all_types, namespaces=["space1"])
    assert ids(space1) == [
        "elsewhere/o1",
        "global/g1",
        "isolated/s0",
        "isolated/s1",
        "isolated/s2",
        "shared/m1",
        "shared/m2",
    ]
    assert all(so.namespaces == ["space1"] for so in space1.saved_objects if so.type == SINGLE)
    everywhere = repository.find(type=all_types, namespaces=["*"], per_page=100)
    assert everywhere.total == 9 + 2 + 1 + 1
    agnostic = [so for so in everywhere.saved_objects if so.type == AGNOSTIC]
    assert agnostic[0].namespaces is None


def test_search_references_filter_sort_and_paging(
    repository: SavedObjectsRepository,
) -> None:
    seed(repository)
    found = repository.find(type=SINGLE, search="single", search_fields=["title"])
    assert found.total == 3
    prefix = repository.find(type=SINGLE, search="sing*", search_fields=["title"])
    assert prefix.total == 3
    has_a = repository.find(type=SINGLE, has_reference={"type": "tag", "id": "a"})
    assert ids(has_a) == ["isolated/s0", "isolated/s2"]
    has_both = repository.find(
        type=SINGLE, has_reference=[REF_A, REF_B], has_reference_operator="AND"
    )
    assert ids(has_both) == ["isolated/s2"]
    has_no_a = repository.find(type=SINGLE, has_no_reference=REF_A)
    assert ids(has_no_a) == ["isolated/s1"]
    filtered = repository.find(type=SINGLE, filter="isolated.attributes.count >= 1")
    assert ids(filtered) == ["isolated/s1", "isolated/s2"]
    ordered = repository.find(type=SINGLE, sort_field="count", sort_order="desc")
    assert [so.attributes["count"] for so in ordered.saved_objects] == [2, 1, 0]
    assert ordered.saved_objects[0].sort == [2]
    page2 = repository.find(type=SINGLE, sort_field="count", sort_order="asc", per_page=2, page=2)
    assert [so.id for so in page2.saved_objects] == ["s2"]
    assert page2.total == 3
    narrow = repository.find(type=SINGLE, fields=["count"], per_page=1)
    assert set(narrow.saved_objects[0].attributes) == {"count"}


def test_aggregations(repository: SavedObjectsRepository) -> None:
    seed(repository)
    page = repository.find(
        type=SINGLE,
        per_page=0,
        aggs={"max_count": {"max": {"field": "isolated.attributes.count"}}},
    )
    assert page.aggregations is not None
    assert page.aggregations["max_count"]["value"] == 2


def test_point_in_time_finder_sees_every_object(
    repository: SavedObjectsRepository,
) -> None:
    for i in range(25):
        repository.create(MULTIPLE, {"title": "p", "count": i}, id=f"p{i}", refresh=False)
    repository.create(MULTIPLE, {"title": "p", "count": 99}, id="last", refresh=True)
    seen: list[str] = []
    with repository.create_point_in_time_finder(type=MULTIPLE, per_page=7) as finder:
        for page in finder.find():
            seen.extend(so.id for so in page.saved_objects)
    assert sorted(seen) == sorted([f"p{i}" for i in range(25)] + ["last"])


def test_point_in_time_finder_reads_ahead(
    repository: SavedObjectsRepository,
) -> None:
    for i in range(20):
        repository.create(MULTIPLE, {"title": "p", "count": i}, id=f"p{i:02}", refresh=False)
    repository.engine.perform(rq.refresh(repository.context.index_for(MULTIPLE)))

    def finder() -> PointInTimeFinder:
        return repository.create_point_in_time_finder(type=MULTIPLE, per_page=7)

    found = [[so.id for so in page.saved_objects] for page in finder().find()]
    plain = [[d.doc["id"] for d in page.documents] for page in finder().find_documents()]
    ahead = [
        [d.doc["id"] for d in page.documents] for page in finder().find_documents(read_ahead=True)
    ]
    assert [len(page) for page in found] == [7, 7, 6]
    assert plain == found
    assert ahead == found

    # Leaving early closes the point-in-time, after the search already in flight.
    pages = finder().find_documents(read_ahead=True)
    first = next(pages)
    pages.close()
    assert first.pit_id
    with pytest.raises(NotFoundError):
        repository.engine.perform(rq.search({"size": 1, "pit": {"id": first.pit_id}}))


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        (
            {"type": SINGLE, "namespaces": []},
            BadRequestError,
            "options.namespaces cannot be an empty array: Bad Request",
        ),
        (
            {"type": ""},
            BadRequestError,
            "options.type must be a string or an array of strings: Bad Request",
        ),
        (
            {"type": SINGLE, "preference": "p", "pit": {"id": "x"}},
            BadRequestError,
            "options.preference must be excluded when options.pit is used: Bad Request",
        ),
        (
            {"type": SINGLE, "sort_order": "asc"},
            NotAcceptableError,
            "sortOrder requires a sortField",
        ),
        ({"type": SINGLE, "sort_field": "nope"}, PlainBadRequestError, "Unknown sort field nope"),
        ({"type": SINGLE, "filter": "isolated.attributes.title:"}, BadRequestError, None),
        ({"type": SINGLE, "page": 600, "per_page": 20}, BadRequestError, None),
    ],
)
def test_find_errors(
    repository: SavedObjectsRepository,
    options: dict[str, object],
    error: type[Exception],
    message: str | None,
) -> None:
    with pytest.raises(error) as caught:
        repository.find(**options)  # type: ignore[arg-type]
    if message is not None:
        assert str(caught.value) == message


def test_unknown_or_hidden_types_give_an_empty_page(
    repository: SavedObjectsRepository,
) -> None:
    page = repository.find(type=["unknown", HIDDEN], page=3, per_page=5)
    assert (page.page, page.per_page, page.total, page.saved_objects) == (3, 5, 0, [])
