"""Properties of the document migrator over random chains of model versions.

A chain is a type's model versions 2..n, each holding random backfills (a new field whose
value depends on the document), removals (of fields an earlier version stopped using, the
two-step rule of spec 02 §2.5), unsafe transforms (rewriting ``title``) and "stop using a
field" steps (the field leaves the forward-compatibility schema). Version ``k`` of the type
is the same definition cut after ``k`` versions, as a release that shipped ``k``.
"""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import create_model

from kbn_saved_objects.migrations.document import DocumentMigrator
from kbn_saved_objects.types import (
    DataBackfill,
    DataRemoval,
    ModelChange,
    ModelVersion,
    ModelVersionSchemas,
    SavedObjectsType,
    UnsafeTransform,
    model_version_to_virtual_version,
)
from tests.migrations.document._registry import NO_MAPPINGS, registry_of

BASE_FIELDS = ("title", "a", "b", "c")


@dataclass
class Chain:
    """``steps[i]`` lists the changes of model version ``i + 2`` as plain tuples."""

    steps: list[list[tuple[str, Any]]]
    calls: Counter[tuple[str, int, int]] = field(default_factory=Counter)
    _versions: dict[int, ModelVersion] = field(default_factory=dict)

    @property
    def latest(self) -> int:
        return len(self.steps) + 1

    def known_fields(self, version: int) -> tuple[str, ...]:
        """The fields version ``version`` reads: its forward-compatibility schema."""
        known = list(BASE_FIELDS)
        for number, changes in enumerate(self.steps[: version - 1], start=2):
            for kind, arg in changes:
                if kind == "backfill":
                    known.append(f"f{number}")
                elif kind == "stop_using":
                    known.remove(arg)
        return tuple(known)

    def definition(self, upto: int) -> SavedObjectsType:
        for number in range(1, upto + 1):
            if number not in self._versions:
                self._versions[number] = self._model_version(number)
        versions = {number: self._versions[number] for number in range(1, upto + 1)}
        return SavedObjectsType(name="thing", mappings=NO_MAPPINGS, model_versions=versions)

    def migrator(self, upto: int | None = None) -> DocumentMigrator:
        return DocumentMigrator(registry_of(self.definition(upto or self.latest)))

    def _model_version(self, number: int) -> ModelVersion:
        fields: Any = {name: (Any, None) for name in self.known_fields(number)}
        schema = create_model(f"ThingV{number}", **fields)
        changes: list[ModelChange] = []
        if number >= 2:
            for index, (kind, arg) in enumerate(self.steps[number - 2]):
                if kind == "backfill":
                    changes.append(DataBackfill(backfill_fn=self._backfill(number, index)))
                elif kind == "removal":
                    changes.append(DataRemoval(removed_attribute_paths=[arg]))
                elif kind == "unsafe":
                    changes.append(UnsafeTransform(transform_fn=self._unsafe(number, index)))
        return ModelVersion(
            changes=changes,
            schemas=ModelVersionSchemas(forward_compatibility=schema, create=schema),
        )

    def _backfill(self, number: int, index: int) -> Any:
        def backfill(doc: dict[str, Any], context: object) -> dict[str, Any]:
            self.calls[(doc["id"], number, index)] += 1
            return {"attributes": {f"f{number}": f"v{number}:{len(doc['attributes'])}"}}

        return backfill

    def _unsafe(self, number: int, index: int) -> Any:
        def transform(doc: dict[str, Any], context: object) -> dict[str, Any]:
            self.calls[(doc["id"], number, index)] += 1
            attributes = doc["attributes"]
            attributes["title"] = f"{attributes.get('title', '')}+{number}"
            return {"document": doc}

        return transform

    def expected_calls(self, doc_id: str, start: int) -> Counter[tuple[str, int, int]]:
        return Counter(
            {
                (doc_id, number, index): 1
                for number in range(start + 1, self.latest + 1)
                for index, (kind, _) in enumerate(self.steps[number - 2])
                if kind in ("backfill", "unsafe")
            }
        )


@st.composite
def chains(draw: st.DrawFn) -> Chain:
    steps: list[list[tuple[str, Any]]] = []
    known = list(BASE_FIELDS[1:])  # title is never dropped: unsafe transforms rewrite it
    dropped: list[str] = []  # stopped being used in an earlier version: may be removed now
    for _number in range(2, draw(st.integers(2, 6)) + 1):
        changes: list[tuple[str, Any]] = []
        newly_dropped: list[str] = []
        for _ in range(draw(st.integers(0, 3))):
            kind = draw(st.sampled_from(["backfill", "removal", "unsafe", "stop_using"]))
            if kind == "removal" and dropped:
                field_name = draw(st.sampled_from(dropped))
                dropped.remove(field_name)
                changes.append(("removal", field_name))
            elif kind == "stop_using" and known:
                field_name = draw(st.sampled_from(known))
                known.remove(field_name)
                newly_dropped.append(field_name)
                changes.append(("stop_using", field_name))
            elif kind == "backfill" and all(k != "backfill" for k, _ in changes):
                changes.append(("backfill", None))
            elif kind == "unsafe":
                changes.append(("unsafe", None))
        steps.append(changes)
        dropped.extend(newly_dropped)
        known.extend(f"f{len(steps) + 1}" for k, _ in changes if k == "backfill")
    return Chain(steps)


@st.composite
def chain_and_document(draw: st.DrawFn) -> tuple[Chain, int, dict[str, Any]]:
    chain = draw(chains())
    start = draw(st.integers(1, chain.latest))
    known = chain.known_fields(start)
    values = st.one_of(
        st.text(max_size=5), st.integers(), st.none(), st.lists(st.integers(), max_size=2)
    )
    attributes = {name: draw(values) for name in known if draw(st.booleans()) or name == "title"}
    if draw(st.booleans()):
        attributes["unknown"] = draw(values)
    document = {
        "id": draw(st.sampled_from(["doc-1", "doc-2"])),
        "type": "thing",
        "attributes": attributes,
        "references": [],
        "coreMigrationVersion": "8.8.0",
        "typeMigrationVersion": model_version_to_virtual_version(start),
    }
    return chain, start, document


PROPERTY_SETTINGS = settings(max_examples=60, deadline=None)


@PROPERTY_SETTINGS
@given(chain_and_document())
def test_step_by_step_equals_at_once(case: tuple[Chain, int, dict[str, Any]]) -> None:
    chain, start, document = case
    at_once = chain.migrator().migrate(document)  # type: ignore[arg-type]
    stepwise: Any = document
    for release in range(start + 1, chain.latest + 1):
        stepwise = chain.migrator(release).migrate(stepwise)
    assert stepwise == at_once
    targeted: Any = document
    full = chain.migrator()
    for release in range(start + 1, chain.latest + 1):
        targeted = full.migrate(targeted, target_type_version=f"10.{release}.0")
    assert targeted == at_once


@PROPERTY_SETTINGS
@given(chain_and_document())
def test_no_transform_runs_twice(case: tuple[Chain, int, dict[str, Any]]) -> None:
    chain, start, document = case
    before = copy.deepcopy(document)
    migrator = chain.migrator()
    migrated = migrator.migrate(document)  # type: ignore[arg-type]
    assert migrated["typeMigrationVersion"] == f"10.{chain.latest}.0"
    assert chain.calls == chain.expected_calls(document["id"], start)
    assert migrator.migrate(migrated) is migrated
    assert migrator.migrate_and_convert(migrated) == [migrated]
    assert chain.calls == chain.expected_calls(document["id"], start)
    assert document == before


@PROPERTY_SETTINGS
@given(chain_and_document())
def test_legacy_version_forms_run_the_same_transforms(
    case: tuple[Chain, int, dict[str, Any]],
) -> None:
    chain, start, document = case
    expected = chain.migrator().migrate(document)  # type: ignore[arg-type]
    legacy = {key: value for key, value in document.items() if key != "typeMigrationVersion"}
    legacy["migrationVersion"] = {"thing": document["typeMigrationVersion"], "other": "1.0.0"}
    del legacy["coreMigrationVersion"]
    chain.calls.clear()
    from_legacy = chain.migrator().migrate(legacy)  # type: ignore[arg-type]
    assert chain.calls == chain.expected_calls(document["id"], start)
    assert from_legacy == {**expected, "managed": False}


@PROPERTY_SETTINGS
@given(chain_and_document())
def test_upgrade_then_downgrade_keeps_forward_compatible_fields(
    case: tuple[Chain, int, dict[str, Any]],
) -> None:
    chain, start, document = case
    upgraded = chain.migrator().migrate(document)  # type: ignore[arg-type]
    old_release = chain.migrator(start)
    read_back = old_release.migrate(upgraded, allow_downgrade=True)
    known_then = chain.known_fields(start)
    assert read_back["typeMigrationVersion"] == document["typeMigrationVersion"]
    if start == chain.latest:
        assert read_back is upgraded  # same release: nothing to bring down
        return
    assert read_back["attributes"] == {
        name: value for name, value in upgraded["attributes"].items() if name in known_then
    }
    still_known = set(known_then) & set(chain.known_fields(chain.latest))
    for name in still_known & set(document["attributes"]):
        assert name in read_back["attributes"]
    assert old_release.is_downgrade_required(upgraded)
