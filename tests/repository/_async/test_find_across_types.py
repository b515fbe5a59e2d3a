"""find on the real engine: sorting several types by an attribute, search fields under
``nested`` mappings, and Kibana's clause for ``namespaces: ["*", "default"]``.

Kibana main merges the sort field over the types in a runtime field
(``search_dsl/sorting_params.ts``); the shared OpenSearch node has no runtime fields, so
these tests check that the script sort standing in for it gives the order the runtime
field defines: the first type's value that exists, ``""`` for a keyword field no type
has, a missing number or date last in either direction.
"""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.repository import AsyncSavedObjectsRepository
from kbn_saved_objects.repository.operations.bulk_create import BulkCreateObject
from kbn_saved_objects.search.query import PlainBadRequestError
from kbn_saved_objects.types import SavedObjectsType, SavedObjectTypeRegistry

pytestmark = pytest.mark.engine

TITLE = {"type": "text", "fields": {"raw": {"type": "keyword"}}}


def build_registry() -> SavedObjectTypeRegistry:
    registry = SavedObjectTypeRegistry()
    registry.register(
        SavedObjectsType(
            name="book",
            namespace_type="multiple",
            mappings={
                "properties": {
                    "title": TITLE,
                    "rank": {"type": "long"},
                    "published": {"type": "date"},
                    "done": {"type": "boolean"},
                    "authors": {"type": "nested", "properties": {"name": {"type": "text"}}},
                    "chapters": {
                        "type": "nested",
                        "properties": {
                            "heading": {"type": "text"},
                            "notes": {"type": "nested", "properties": {"text": {"type": "text"}}},
                        },
                    },
                }
            },
        )
    )
    registry.register(
        SavedObjectsType(
            name="film",
            namespace_type="single",
            mappings={
                "properties": {
                    "title": TITLE,
                    "rank": {"type": "float"},
                    "published": {"type": "date"},
                    "done": {"type": "boolean"},
                    "cast": {"type": "nested", "properties": {"name": {"type": "text"}}},
                }
            },
        )
    )
    return registry.freeze()


@pytest.fixture
def registry() -> SavedObjectTypeRegistry:
    """Replaces the conftest registry, so ``async_repository`` serves these types."""
    return build_registry()


async def seed(repository: AsyncSavedObjectsRepository) -> AsyncSavedObjectsRepository:
    objects: list[BulkCreateObject] = [
        {
            "type": "book",
            "id": "b1",
            "attributes": {
                "title": "Zebra",
                "rank": 5,
                "published": "2024-03-01T00:00:00.000Z",
                "done": True,
                "authors": [{"name": "Tolkien"}],
                "chapters": [{"heading": "One", "notes": [{"text": "a hobbit hole"}]}],
            },
        },
        {
            "type": "book",
            "id": "b2",
            "attributes": {"title": "apple", "done": False, "authors": [{"name": "Pratchett"}]},
        },
        {
            "type": "film",
            "id": "f1",
            "attributes": {
                "title": "Mango",
                "rank": 2.5,
                "published": "2023-01-01T00:00:00.000Z",
                "done": False,
                "cast": [{"name": "Ian McKellen"}],
            },
        },
        {
            "type": "film",
            "id": "f2",
            "attributes": {"rank": 7.25, "published": "2025-01-01T00:00:00.000Z", "done": True},
        },
    ]
    await repository.bulk_create(objects)
    await repository.create("film", {"title": "Elsewhere", "rank": 1}, id="f3", namespace="s1")
    return repository


async def order(repo: AsyncSavedObjectsRepository, **options: Any) -> list[str]:
    found = await repo.find(type=["book", "film"], **options)
    return [so.id for so in found.saved_objects]


@pytest.mark.parametrize(
    ("field", "sort_order", "expected"),
    [
        # "" for the film without a title first; then byte order (upper case first).
        ("title.raw", "asc", ["f2", "f1", "b1", "b2"]),
        ("title.raw", "desc", ["b2", "b1", "f1", "f2"]),
        # long and float merge as double; the book without a rank is last both ways.
        ("rank", "asc", ["f1", "b1", "f2", "b2"]),
        ("rank", "desc", ["f2", "b1", "f1", "b2"]),
        ("published", "asc", ["f1", "b1", "f2", "b2"]),
        ("published", "desc", ["f2", "b1", "f1", "b2"]),
    ],
)
async def test_sorting_several_types_by_an_attribute(
    async_repository: AsyncSavedObjectsRepository, field: str, sort_order: str, expected: list[str]
) -> None:
    repo = await seed(async_repository)
    assert await order(repo, sort_field=field, sort_order=sort_order) == expected


async def test_sorting_several_types_by_a_boolean(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    repo = await seed(async_repository)
    found = await order(repo, sort_field="done", sort_order="asc")
    assert set(found[:2]) == {"b2", "f1"}
    assert set(found[2:]) == {"b1", "f2"}


async def test_the_sort_values_page_with_a_point_in_time(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    repo = await seed(async_repository)
    seen: list[str] = []
    async with repo.create_point_in_time_finder(
        type=["book", "film"], sort_field="rank", sort_order="desc", per_page=1
    ) as finder:
        async for page in finder.find():
            seen.extend(so.id for so in page.saved_objects)
    assert seen == ["f2", "b1", "f1", "b2"]


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("title", 'Sort field "book.title" is of type "text" which is not sortable.'),
        ("cast.name", 'Sort field "cast.name" must be present in all types'),
    ],
)
async def test_fields_that_cannot_be_merged(
    async_repository: AsyncSavedObjectsRepository, field: str, message: str
) -> None:
    repo = async_repository
    with pytest.raises(PlainBadRequestError) as caught:
        await order(repo, sort_field=field)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    ("search", "fields", "expected"),
    [
        ("tolkien", ["authors.name"], ["b1"]),
        ("mckellen", ["cast.name"], ["f1"]),
        ("tolkien mango", ["title", "authors.name", "cast.name"], ["b1", "f1"]),
        ("hobbit", ["chapters.notes.text"], ["b1"]),
        # Nested fields only: Kibana makes every nested path a must, so fields of two
        # types' nested paths never match together.
        ("tolkien", ["authors.name", "cast.name"], []),
        # A prefix search keeps Kibana's plain query: nested fields do not match.
        ("tolk*", ["authors.name"], []),
        ("zeb*", ["title", "authors.name"], ["b1"]),
    ],
)
async def test_search_fields_under_nested_mappings(
    async_repository: AsyncSavedObjectsRepository,
    search: str,
    fields: list[str],
    expected: list[str],
) -> None:
    repo = await seed(async_repository)
    found = await repo.find(type=["book", "film"], search=search, search_fields=fields)
    assert sorted(so.id for so in found.saved_objects) == expected


async def test_all_spaces_and_default_keep_single_namespace_types_in_default(
    async_repository: AsyncSavedObjectsRepository,
) -> None:
    repo = await seed(async_repository)
    everywhere = await repo.find(type="film", namespaces=["*"])
    assert sorted(so.id for so in everywhere.saved_objects) == ["f1", "f2", "f3"]
    both = await repo.find(type="film", namespaces=["*", "default"])
    assert sorted(so.id for so in both.saved_objects) == ["f1", "f2"]
