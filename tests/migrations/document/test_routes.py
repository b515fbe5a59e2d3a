"""The migrator's compiled routes (the first upgrade pass per pair of version fields,
built once) give what its step-by-step pipeline gives, on random documents.

White-box on purpose: ``_transform`` is the pipeline that checks a document's versions
and looks its pending transforms up on every call; ``migrate`` and ``migrate_and_convert``
take a cached route whenever the version fields allow. Both must agree on the result,
the extra documents and the error (type, message, payload), and leave the input alone.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kbn_saved_objects.errors import SavedObjectsError
from kbn_saved_objects.migrations.document import DocumentMigrator
from kbn_saved_objects.migrations.document import migrator as migrator_module
from kbn_saved_objects.types import (
    DataBackfill,
    DataRemoval,
    ModelVersion,
    UnsafeTransform,
)
from tests.migrations.document._registry import a_type, migrator_of

_ABSENT = "<absent>"
TYPE_VERSIONS = [_ABSENT, _ABSENT, _ABSENT, None, "", "1.0.0", "7.9.0", "8.0.0", "10.1.0"]
TYPE_VERSIONS += ["10.2.0", "10.3.0", "10.4.0", "10.9.0", "11.0.0", "not-a-version", "8.0.0-rc.1"]
CORE_VERSIONS = [_ABSENT, None, "", "7.0.0", "8.8.0", "8.7.9", "99.0.0", "bad"]


def _backfill(doc: dict[str, Any], context: object) -> dict[str, Any]:
    if doc["attributes"].get("fail"):
        raise RuntimeError("backfill failed")
    return {"attributes": {"count": len(doc["attributes"]), "nested": {"a": 1, "b": [2]}}}


def _unsafe(doc: dict[str, Any], context: object) -> dict[str, Any]:
    action = doc["attributes"].get("action")
    if action == "retype":
        doc["type"] = "other"
    elif action == "downgrade":
        doc["typeMigrationVersion"] = "1.0.0"
    elif action == "core":
        doc["coreMigrationVersion"] = "7.0.0"
    elif action == "replace":
        doc = {**doc, "attributes": {**doc["attributes"], "replaced": True}}
    doc["attributes"]["title"] = f"{doc['attributes'].get('title', '')}!"
    return {"document": doc}


def _legacy(doc: dict[str, Any], context: object) -> dict[str, Any]:
    doc["attributes"]["legacy"] = True
    return doc


def _migrator() -> DocumentMigrator:
    modern = a_type(
        "modern",
        namespace_type="multiple-isolated",
        model_versions={
            1: ModelVersion(),
            2: ModelVersion(changes=[DataBackfill(backfill_fn=_backfill)]),
            3: ModelVersion(changes=[DataRemoval(removed_attribute_paths=["gone", "deep.x"])]),
            4: ModelVersion(changes=[UnsafeTransform(transform_fn=_unsafe)]),
        },
    )
    legacy = a_type(
        "legacy",
        namespace_type="multiple",
        migrations={"7.9.0": _legacy},
        convert_to_multi_namespace_type_version="8.0.0",
    )
    plain = a_type("plain")
    return migrator_of(modern, legacy, plain, stack_version="9.0.0")


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    attributes: dict[str, Any] = {"title": draw(st.text(max_size=3))}
    if draw(st.booleans()):
        attributes["gone"] = 1
    if draw(st.booleans()):
        attributes["deep"] = {"x": 1, "y": [1]}
    if draw(st.booleans()):
        attributes["nested"] = draw(st.sampled_from([{"b": [0, 5], "c": 3}, [1], None]))
    attributes["action"] = draw(
        st.sampled_from([None, None, None, "retype", "downgrade", "core", "replace"])
    )
    attributes["fail"] = draw(st.sampled_from([False, False, False, True]))
    doc: dict[str, Any] = {
        "id": "d1",
        "type": draw(st.sampled_from(["modern", "legacy", "plain", "unknown"])),
        "attributes": attributes,
        "references": [{"type": "legacy", "id": "r1", "name": "ref"}],
    }
    if draw(st.booleans()):
        doc["namespace"] = draw(st.sampled_from(["default", "space-a"]))
    for field_name, choices in (
        ("typeMigrationVersion", TYPE_VERSIONS),
        ("coreMigrationVersion", CORE_VERSIONS),
    ):
        value = draw(st.sampled_from(choices))
        if value != _ABSENT:
            doc[field_name] = value
    if draw(st.booleans()):
        doc["migrationVersion"] = {doc["type"]: draw(st.sampled_from(["7.0.0", "8.0.0"]))}
    return doc


def _outcome(call: Any) -> Any:
    try:
        return ("ok", call())
    except SavedObjectsError as error:
        return ("error", type(error), str(error), error.payload())


@settings(max_examples=300, deadline=None)
@given(documents(), st.booleans(), st.booleans())
def test_routes_agree_with_the_pipeline(doc: dict[str, Any], convert: bool, read: bool) -> None:
    routed, checked = _migrator(), _migrator()
    plan = checked._plans.get(doc["type"])
    before = copy.deepcopy(doc)
    if convert:
        expected = _outcome(lambda: list(_pipeline(checked, doc, plan, True, False)))
        for _ in range(2):  # the second call takes the cached route
            assert _outcome(lambda: routed.migrate_and_convert(doc)) == expected  # type: ignore[arg-type]
    else:
        expected = _outcome(lambda: _pipeline(checked, doc, plan, False, read)[0])
        for _ in range(2):
            got = _outcome(lambda: routed.migrate(doc, allow_downgrade=read))  # type: ignore[arg-type]
            assert got == expected
    assert doc == before


def _pipeline(
    migrator: DocumentMigrator, doc: dict[str, Any], plan: Any, convert: bool, read: bool
) -> Any:
    migrated, additional = migrator._transform(doc, plan, convert, read, None)  # type: ignore[arg-type]
    return [migrated, *additional] if convert else (migrated, additional)


def test_routes_are_taken_and_cached() -> None:
    migrator = _migrator()
    doc = {
        "id": "d1",
        "type": "modern",
        "attributes": {"title": "t", "gone": 1},
        "references": [],
        "coreMigrationVersion": "8.8.0",
        "typeMigrationVersion": "10.1.0",
    }
    migrated = migrator.migrate(doc)  # type: ignore[arg-type]
    assert migrated["attributes"] == {"title": "t!", "count": 2, "nested": {"a": 1, "b": [2]}}
    assert migrated["typeMigrationVersion"] == "10.4.0"
    assert migrator._plans["modern"].routes[("10.1.0", "8.8.0", False)] is not None


def test_documents_without_version_fields_take_a_route() -> None:
    migrator = _migrator()
    doc = {"id": "p1", "type": "plain", "attributes": {}, "references": []}
    migrated = migrator.migrate(doc)  # type: ignore[arg-type]
    assert migrated == {**doc, "managed": False, "coreMigrationVersion": "8.8.0"}
    assert migrator._plans["plain"].routes[(_ABSENT_KEY, _ABSENT_KEY, False)] is not None


_ABSENT_KEY: Any = migrator_module._ABSENT
