"""Access-control metadata in an import (spec 08 §4.5), as Kibana's security plugin
filters it: elastic/kibana ``x-pack/platform/plugins/shared/security/server/saved_objects/
access_control_transforms.ts`` (read 2026-12-07 at 2e03fdb8, "phase 1")."""

from __future__ import annotations

import json

from kbn_saved_objects.import_export.importing import collect_saved_objects
from kbn_saved_objects.types import SavedObjectsType, SavedObjectTypeRegistry


def registry() -> SavedObjectTypeRegistry:
    types = SavedObjectTypeRegistry()
    mappings = {"properties": {"title": {"type": "text"}}}
    types.register(
        SavedObjectsType(
            name="owned", namespace_type="multiple", mappings=mappings, supports_access_control=True
        )
    )
    types.register(SavedObjectsType(name="plain", namespace_type="multiple", mappings=mappings))
    return types.freeze()


def line(type_name: str, object_id: str, **extra: object) -> str:
    return json.dumps(
        {"type": type_name, "id": object_id, "attributes": {"title": object_id}, **extra}
    )


CONTROL = {"owner": "u_someone_0", "accessMode": "write_restricted"}


def test_metadata_on_a_type_without_access_control_is_refused_per_object() -> None:
    collected = collect_saved_objects(
        [line("plain", "p1", accessControl=CONTROL), line("plain", "p2")],
        registry(),
        limit=10,
        supported_types=["owned", "plain"],
    )
    assert collected.errors == [
        {
            "id": "p1",
            "type": "plain",
            "meta": {"title": "p1"},
            "error": {"type": "unexpected_access_control_metadata"},
        }
    ]
    assert [obj["id"] for obj in collected.objects] == ["p2"]


def test_metadata_on_a_type_with_access_control_is_dropped() -> None:
    """The importing user becomes the owner, never the file."""
    collected = collect_saved_objects(
        [line("owned", "o1", accessControl=CONTROL), line("owned", "o2")],
        registry(),
        limit=10,
        supported_types=["owned", "plain"],
    )
    assert collected.errors == []
    assert [obj["id"] for obj in collected.objects] == ["o1", "o2"]
    assert all("accessControl" not in obj for obj in collected.objects)


def test_an_unsupported_type_is_reported_as_such_first() -> None:
    collected = collect_saved_objects(
        [line("plain", "p1", accessControl=CONTROL)],
        registry(),
        limit=10,
        supported_types=["owned"],
    )
    assert [error["error"]["type"] for error in collected.errors] == ["unsupported_type"]
