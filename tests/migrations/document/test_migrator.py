"""The document migrator against Kibana's worked examples (spec 02 §7) and every error
it reports, with Kibana's messages."""

from __future__ import annotations

import copy
import logging
from types import MappingProxyType
from typing import Any

import pytest

from kbn_saved_objects.errors import (
    DocumentMigrationError,
    DocumentVersionError,
    GeneralError,
    UnclassifiedError,
    decorate_general_error,
    is_general_error,
)
from kbn_saved_objects.migrations.document import (
    DocumentMigrator,
    LegacyMigrationContext,
    ModelVersionContext,
    ModelVersionTestMigrator,
)
from kbn_saved_objects.serialization import converted_object_id
from kbn_saved_objects.types import (
    DataBackfill,
    DataRemoval,
    LegacyMigration,
    ModelVersion,
    ModelVersionSchemas,
    NamespaceType,
    SavedObjectsType,
    SavedObjectTypeRegistry,
    legacy_url_alias_type,
)
from tests.migrations.document._registry import a_type, migrator_of, registry_of

KIBANA = "25.2.3"


def set_attr(name: str, value: Any) -> Any:
    def migration(doc: dict[str, Any], context: object) -> dict[str, Any]:
        doc["attributes"][name] = value
        return doc

    return migration


def noop(doc: dict[str, Any], context: object) -> dict[str, Any]:
    return doc


def recorder(calls: list[str], version: str) -> Any:
    def migration(doc: dict[str, Any], context: object) -> dict[str, Any]:
        calls.append(version)
        return doc

    return migration


# -- upgrade: Kibana's document_migrator.test.ts -----------------------------------------


def test_runs_a_legacy_migration() -> None:
    migrator = migrator_of(
        a_type("user", migrations={"1.2.3": set_attr("name", "Chris")}), stack_version=KIBANA
    )
    document = {
        "id": "me",
        "type": "user",
        "attributes": {"name": "Christopher"},
        "coreMigrationVersion": "8.8.0",
        "typeMigrationVersion": "",
    }
    before = copy.deepcopy(document)
    assert migrator.migrate(document) == {
        "id": "me",
        "type": "user",
        "attributes": {"name": "Chris"},
        "coreMigrationVersion": "8.8.0",
        "typeMigrationVersion": "1.2.3",
    }
    assert document == before


def test_runs_only_newer_migrations_in_semver_order() -> None:
    calls: list[str] = []
    migrations = {v: recorder(calls, v) for v in ("2.2.4", "8.0.1", "1.2.3", "1.10.0")}
    migrator = migrator_of(a_type("dog", migrations=migrations), stack_version=KIBANA)
    result = migrator.migrate(
        {"id": "d", "type": "dog", "attributes": {}, "typeMigrationVersion": "1.2.3"}
    )
    assert calls == ["1.10.0", "2.2.4", "8.0.1"]
    assert result["typeMigrationVersion"] == "8.0.1"


def test_a_document_without_versions_is_taken_as_current() -> None:
    calls: list[str] = []
    migrator = migrator_of(
        a_type("user", migrations={"1.0.0": recorder(calls, "1.0.0")}), stack_version=KIBANA
    )
    result = migrator.migrate(
        {"id": "me", "type": "user", "attributes": {}, "coreMigrationVersion": KIBANA}
    )
    assert calls == []
    assert result["typeMigrationVersion"] == "1.0.0"
    assert result["coreMigrationVersion"] == KIBANA


def test_empty_migration_version_runs_everything_after_the_core_transform() -> None:
    calls: list[str] = []
    migrator = migrator_of(a_type("dog", migrations={"1.0.0": recorder(calls, "1.0.0")}))
    result = migrator.migrate(
        {
            "id": "d",
            "type": "dog",
            "attributes": {},
            "migrationVersion": {},
            "coreMigrationVersion": "8.7.0",
        }
    )
    assert calls == ["1.0.0"]
    assert result == {
        "id": "d",
        "type": "dog",
        "attributes": {},
        "coreMigrationVersion": "8.8.0",
        "typeMigrationVersion": "1.0.0",
        "managed": False,
    }


def test_core_transform_alone_does_not_run_type_migrations() -> None:
    calls: list[str] = []
    migrator = migrator_of(a_type("dog", migrations={"1.0.0": recorder(calls, "1.0.0")}))
    document = {"id": "d", "type": "dog", "attributes": {}, "coreMigrationVersion": "8.7.0"}
    result = migrator.migrate(document)
    assert calls == []
    assert (result["coreMigrationVersion"], result["typeMigrationVersion"]) == ("8.8.0", "1.0.0")
    assert result["managed"] is False


def test_type_without_migrations_gets_no_type_version() -> None:
    migrator = migrator_of(a_type("dog"))
    result = migrator.migrate(
        {"id": "d", "type": "dog", "attributes": {}, "coreMigrationVersion": "8.7.0"}
    )
    assert result["coreMigrationVersion"] == "8.8.0"
    assert "typeMigrationVersion" not in result


def test_core_transform_moves_legacy_migration_version() -> None:
    migrator = migrator_of(a_type("something", migrations={"1.0.0": noop}))
    result = migrator.migrate(
        {
            "id": "s",
            "type": "something",
            "attributes": {},
            "migrationVersion": {"something": "1.0.0", "previous": "2.0.0"},
            "managed": True,
        }
    )
    assert "migrationVersion" not in result
    assert result["typeMigrationVersion"] == "1.0.0"
    assert result["managed"] is True


def test_unknown_type_is_returned_without_empty_version() -> None:
    migrator = migrator_of(a_type("dog"))
    document = {"id": "u", "type": "user", "attributes": {}, "typeMigrationVersion": ""}
    assert migrator.migrate(document) == {"id": "u", "type": "user", "attributes": {}}


def test_newer_document_of_a_type_without_migrations() -> None:
    migrator = migrator_of(a_type("dog"))
    with pytest.raises(DocumentVersionError) as caught:
        migrator.migrate({"id": "smelly", "type": "dog", "typeMigrationVersion": "10.2.0"})
    assert caught.value.message == (
        "Document \"smelly\" of type 'dog' belongs to a more recent version of Kibana "
        "[10.2.0] when the last known version is [0.0.0]."
    )
    assert caught.value.status_code == 422


def test_newer_document_of_an_unknown_type() -> None:
    migrator = migrator_of(a_type("dog"))
    with pytest.raises(DocumentVersionError, match=r"of type 'cat' belongs .* \[0\.0\.0\]\.$"):
        migrator.migrate({"id": "c", "type": "cat", "typeMigrationVersion": "7.14.0"})


def test_newer_document_on_write() -> None:
    migrator = migrator_of(a_type("dawg", migrations={"1.2.3": noop}), stack_version=KIBANA)
    with pytest.raises(DocumentVersionError) as caught:
        migrator.migrate({"id": "fleabag", "type": "dawg", "typeMigrationVersion": "1.2.4"})
    assert caught.value.message == (
        'Document "fleabag" belongs to a more recent version of Kibana [1.2.4] when the last '
        "known version is [1.2.3]."
    )
    assert caught.value.payload() == {
        "statusCode": 422,
        "error": "Unprocessable Entity",
        "message": caught.value.message,
    }


def test_invalid_core_migration_version() -> None:
    migrator = migrator_of(a_type("dog"), stack_version="8.0.1")
    with pytest.raises(DocumentVersionError) as caught:
        migrator.migrate({"id": "happy", "type": "dog", "coreMigrationVersion": "not-a-semver"})
    assert caught.value.message == (
        'Document "happy" has an invalid "coreMigrationVersion" [not-a-semver]. '
        "This must be a semver value."
    )


def test_core_migration_version_from_the_future() -> None:
    migrator = migrator_of(a_type("dog"), stack_version="8.0.1")
    with pytest.raises(DocumentVersionError) as caught:
        migrator.migrate({"id": "happy", "type": "dog", "coreMigrationVersion": "8.0.2"})
    assert caught.value.message == (
        'Document "happy" has a "coreMigrationVersion" which belongs to a more recent version '
        "of Kibana [8.0.2]. The current version is [8.0.1]."
    )


def test_invalid_type_migration_version() -> None:
    migrator = migrator_of(a_type("dog", migrations={"1.0.0": noop}))
    with pytest.raises(DocumentVersionError) as caught:
        migrator.migrate({"id": "d", "type": "dog", "typeMigrationVersion": "foo"})
    assert caught.value.message == (
        'Document "d" has an invalid "typeMigrationVersion" [foo]. This must be a semver value.'
    )
    with pytest.raises(DocumentVersionError, match=r'invalid "migrationVersion.dog" \[x\]'):
        migrator.migrate({"id": "d", "type": "dog", "migrationVersion": {"dog": "x"}})


def test_changing_the_type_is_refused() -> None:
    migrator = migrator_of(
        a_type("dog", migrations={"2.2.4": lambda doc, ctx: {**doc, "type": "cat"}})
    )
    with pytest.raises(DocumentMigrationError) as caught:
        migrator.migrate({"id": "d", "type": "dog", "attributes": {}, "typeMigrationVersion": ""})
    assert caught.value.message == "Changing a document's type during a migration is not supported."
    assert (caught.value.type_name, caught.value.object_id) == ("dog", "d")


@pytest.mark.parametrize(("written", "shown"), [("3.2.1", "3.2.1"), (None, "undefined")])
def test_lowering_the_type_migration_version_is_refused(written: str | None, shown: str) -> None:
    def lower(doc: dict[str, Any], ctx: object) -> dict[str, Any]:
        doc = {key: value for key, value in doc.items() if key != "typeMigrationVersion"}
        if written is not None:
            doc["typeMigrationVersion"] = written
        return doc

    migrator = migrator_of(a_type("cat", migrations={"4.5.7": lower}))
    with pytest.raises(DocumentMigrationError) as caught:
        migrator.migrate(
            {"id": "c", "type": "cat", "attributes": {}, "typeMigrationVersion": "4.5.6"}
        )
    assert caught.value.message == (
        f'Migration "cat v4.5.7" attempted to downgrade "typeMigrationVersion" from 4.5.6 to '
        f"{shown}."
    )


def test_a_failing_migration_names_version_type_and_document(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def dang(doc: dict[str, Any], ctx: object) -> dict[str, Any]:
        raise RuntimeError("Dang diggity!")

    migrator = migrator_of(a_type("dog", migrations={"1.2.3": dang}))
    with (
        caplog.at_level(logging.ERROR, logger="kbn_saved_objects.migrations"),
        pytest.raises(DocumentMigrationError) as caught,
    ):
        migrator.migrate({"id": "d", "type": "dog", "attributes": {}, "typeMigrationVersion": ""})
    error = caught.value
    assert error.message == "Migration function for version 1.2.3 threw an error"
    assert (error.type_name, error.object_id, error.version) == ("dog", "d", "1.2.3")
    assert error.metadata == {"type": "dog", "id": "d", "version": "1.2.3"}
    assert isinstance(error.__cause__, RuntimeError)
    assert error.original_error is error.__cause__
    assert "Error trying to transform document: Dang diggity!" in caplog.text


def test_a_migration_must_return_a_document() -> None:
    migrator = migrator_of(a_type("user", migrations={"1.2.3": lambda doc, ctx: None}))
    with pytest.raises(DocumentMigrationError) as caught:
        migrator.migrate({"id": "u", "type": "user", "attributes": {}, "typeMigrationVersion": ""})
    assert str(caught.value.__cause__) == "Invalid saved object returned from migration user:1.2.3."


def test_a_failing_model_version_names_its_virtual_version() -> None:
    def boom(doc: dict[str, Any], ctx: object) -> dict[str, Any]:
        raise KeyError("missing")

    migrator = migrator_of(
        a_type(
            "dog",
            model_versions={
                1: ModelVersion(),
                2: ModelVersion(changes=[DataBackfill(backfill_fn=boom)]),
            },
        )
    )
    with pytest.raises(DocumentMigrationError, match=r"^Migration function for version 10\.2\.0"):
        migrator.migrate(
            {"id": "d", "type": "dog", "attributes": {}, "typeMigrationVersion": "10.1.0"}
        )


def test_read_paths_decorate_migration_errors_as_kibana_does() -> None:
    error = DocumentMigrationError("Migration function for version 1.2.3 threw an error")
    decorated = decorate_general_error(error, "Failed to migrate document to the latest version.")
    assert isinstance(decorated, GeneralError)
    assert is_general_error(decorated)
    assert decorated.message == (
        "Failed to migrate document to the latest version.: Migration function for version "
        "1.2.3 threw an error"
    )
    assert decorated.__cause__ is error


def test_legacy_then_model_versions() -> None:
    calls: list[str] = []

    def record_model(version: int) -> ModelVersion:
        def backfill(doc: dict[str, Any], ctx: ModelVersionContext) -> dict[str, Any]:
            calls.append(f"mv{ctx.model_version}")
            return {"attributes": {}}

        return ModelVersion(changes=[DataBackfill(backfill_fn=backfill)])

    migrator = migrator_of(
        a_type(
            "dog",
            migrations={"8.8.0": recorder(calls, "8.8.0"), "8.5.0": recorder(calls, "8.5.0")},
            model_versions={n: record_model(n) for n in (1, 2, 3)},
        )
    )
    result = migrator.migrate(
        {"id": "d", "type": "dog", "attributes": {}, "typeMigrationVersion": "8.6.0"}
    )
    assert calls == ["8.8.0", "mv1", "mv2", "mv3"]
    assert result["typeMigrationVersion"] == "10.3.0"


def test_target_type_version_stops_early() -> None:
    calls: list[str] = []
    migrations = {v: recorder(calls, v) for v in ("8.6.0", "8.7.0", "8.8.0")}
    migrator = migrator_of(a_type("dog", migrations=migrations))
    result = migrator.migrate(
        {"id": "d", "type": "dog", "attributes": {}, "typeMigrationVersion": "8.5.0"},
        target_type_version="8.7.0",
    )
    assert calls == ["8.6.0", "8.7.0"]
    assert result["typeMigrationVersion"] == "8.7.0"


def test_invalid_target_type_version() -> None:
    with pytest.raises(ValueError, match="Invalid target_type_version: 'x'"):
        migrator_of(a_type("dog")).migrate({"id": "d", "type": "dog"}, target_type_version="x")


def test_contexts_passed_to_migration_functions() -> None:
    seen: list[object] = []

    def legacy(doc: dict[str, Any], ctx: LegacyMigrationContext) -> dict[str, Any]:
        seen.append(ctx)
        return doc

    def backfill(doc: dict[str, Any], ctx: ModelVersionContext) -> dict[str, Any]:
        seen.append(ctx)
        return {}

    log = logging.getLogger("test")
    registry = registry_of(
        a_type(
            "dog",
            migrations={"7.0.0": legacy},
            model_versions={1: ModelVersion(changes=[DataBackfill(backfill_fn=backfill)])},
            namespace_type="multiple",
            convert_to_multi_namespace_type_version="8.0.0",
        )
    )
    DocumentMigrator(registry, logger=log).migrate(
        {"id": "d", "type": "dog", "attributes": {}, "typeMigrationVersion": ""}
    )
    assert seen == [
        LegacyMigrationContext(
            log=log,
            migration_version="7.0.0",
            convert_to_multi_namespace_type_version="8.0.0",
            is_single_namespace_type=False,
        ),
        ModelVersionContext(log=log, model_version=1, namespace_type=NamespaceType.MULTIPLE),
    ]


def test_the_callers_document_is_never_changed() -> None:
    def mutating(doc: dict[str, Any], ctx: object) -> dict[str, Any]:
        doc["attributes"]["title"] = "changed"
        doc["references"].append({"name": "n", "type": "t", "id": "i"})
        doc["namespaces"] = ["other"]
        return doc

    migrator = migrator_of(
        a_type("dog", migrations={"1.0.0": mutating}, namespace_type="multiple"),
    )
    document = {
        "id": "d",
        "type": "dog",
        "attributes": {"title": "t"},
        "references": [],
        "namespaces": ["default"],
        "typeMigrationVersion": "",
    }
    before = copy.deepcopy(document)
    result = migrator.migrate(document)  # type: ignore[arg-type]
    assert document == before
    assert result["attributes"] == {"title": "changed"}
    assert len(result["references"]) == 1


def test_removals_never_change_the_callers_document() -> None:
    removal = DataRemoval(removed_attribute_paths=["gone", "nested.gone", "list[0].gone"])
    migrator = migrator_of(
        a_type("dog", model_versions={1: ModelVersion(), 2: ModelVersion(changes=[removal])})
    )
    document = {
        "id": "d",
        "type": "dog",
        "attributes": {
            "gone": 1,
            "kept": 2,
            "nested": {"gone": 3, "kept": 4},
            "list": [{"gone": 5}],
        },
        "typeMigrationVersion": "10.1.0",
    }
    before = copy.deepcopy(document)
    result = migrator.migrate(document)  # type: ignore[arg-type]
    assert document == before
    assert result["attributes"] == {"kept": 2, "nested": {"kept": 4}, "list": [{}]}


def test_odd_documents() -> None:
    backfill = DataBackfill(backfill_fn=lambda doc, ctx: {"attributes": {"filled": True}})
    migrator = migrator_of(
        a_type(
            "dog",
            migrations={"7.0.0": lambda doc, ctx: MappingProxyType(dict(doc))},
            model_versions={1: ModelVersion(changes=[backfill])},
        )
    )
    no_attributes = migrator.migrate({"id": "d", "type": "dog", "typeMigrationVersion": ""})
    assert no_attributes["attributes"] == {"filled": True}
    null_legacy = migrator.migrate({"id": "d", "type": "dog", "migrationVersion": None})  # type: ignore[typeddict-item]
    assert "migrationVersion" not in null_legacy
    assert null_legacy["typeMigrationVersion"] == "10.1.0"  # taken as current
    with pytest.raises(DocumentVersionError, match=r'invalid "typeMigrationVersion" \[7\]'):
        migrator.migrate({"id": "d", "type": "dog", "typeMigrationVersion": 7})  # type: ignore[typeddict-item]
    with pytest.raises(DocumentVersionError, match="invalid"):
        migrator.is_downgrade_required({"id": "d", "type": "dog", "typeMigrationVersion": "x.y"})


# -- the hot path ------------------------------------------------------------------------


def test_a_current_document_is_returned_as_is() -> None:
    migrator = migrator_of(a_type("dog", model_versions={1: ModelVersion(), 2: ModelVersion()}))
    document = {
        "id": "d",
        "type": "dog",
        "attributes": {},
        "typeMigrationVersion": "10.2.0",
        "coreMigrationVersion": "8.8.0",
    }
    assert migrator.migrate(document) is document  # type: ignore[arg-type]
    assert migrator.migrate(document, allow_downgrade=True) is document  # type: ignore[arg-type]
    assert migrator.migrate_and_convert(document)[0] is document  # type: ignore[arg-type]
    assert not migrator.is_outdated(document)  # type: ignore[arg-type]


def test_the_shortcut_respects_a_stack_older_than_the_core_transform() -> None:
    migrator = migrator_of(a_type("dog"), stack_version="8.0.1")
    with pytest.raises(DocumentVersionError, match="belongs to a more recent version"):
        migrator.migrate({"id": "d", "type": "dog", "coreMigrationVersion": "8.8.0"})


# -- downgrade: reading documents from the future ----------------------------------------


def fc_type(**options: Any) -> SavedObjectsType:
    return a_type(
        "foo",
        model_versions={
            1: ModelVersion(
                schemas=ModelVersionSchemas(forward_compatibility=lambda a: {"foo": a["foo"]})
            )
        },
        **options,
    )


def test_reading_a_newer_document_applies_the_forward_compatibility_schema() -> None:
    migrator = migrator_of(fc_type())
    document = {
        "id": "smelly",
        "type": "foo",
        "attributes": {"foo": "bar", "hello": "dolly"},
        "typeMigrationVersion": "10.2.0",
    }
    assert migrator.is_downgrade_required(document)  # type: ignore[arg-type]
    assert migrator.migrate(document, allow_downgrade=True) == {  # type: ignore[arg-type]
        "id": "smelly",
        "type": "foo",
        "attributes": {"foo": "bar"},
        "typeMigrationVersion": "10.1.0",
    }
    with pytest.raises(DocumentVersionError) as caught:
        migrator.migrate(document)  # type: ignore[arg-type]
    assert caught.value.message == (
        'Document "smelly" belongs to a more recent version of Kibana [10.2.0] when the last '
        "known version is [10.1.0]."
    )


def test_a_newer_document_without_schema_is_only_relabelled() -> None:
    migrator = migrator_of(a_type("foo", model_versions={1: ModelVersion(), 2: ModelVersion()}))
    document = {
        "id": "f",
        "type": "foo",
        "attributes": {"x": 1, "new": 2},
        "typeMigrationVersion": "10.3.0",
        "coreMigrationVersion": "8.8.0",
    }
    assert migrator.migrate(document, allow_downgrade=True) == {  # type: ignore[arg-type]
        **document,
        "typeMigrationVersion": "10.2.0",
    }


def test_a_newer_legacy_document_is_relabelled() -> None:
    migrator = migrator_of(a_type("foo", migrations={"8.8.0": noop}))
    document = {"id": "f", "type": "foo", "attributes": {}, "migrationVersion": {"foo": "8.9.0"}}
    result = migrator.migrate(document, allow_downgrade=True)  # type: ignore[arg-type]
    assert result["typeMigrationVersion"] == "8.8.0"
    assert result["migrationVersion"] == {"foo": "8.9.0"}


def test_downgrading_upwards_is_refused() -> None:
    migrator = migrator_of(fc_type())
    plan = migrator._plans["foo"]
    with pytest.raises(DocumentMigrationError) as caught:
        migrator._downgrade(
            {"id": "f", "type": "foo", "typeMigrationVersion": "10.0.0"}, plan, True, "10.1.0"
        )
    assert caught.value.message == "Trying to transform down to a higher version: 10.0.0 to 10.1.0"


def test_newest_kibana_reads_10_1_0_documents_of_types_without_versions() -> None:
    migrator = migrator_of(a_type("foo"))
    document = {"id": "f", "type": "foo", "typeMigrationVersion": "10.1.0"}
    assert migrator.migrate(document)["typeMigrationVersion"] == "10.1.0"  # type: ignore[arg-type]


# -- namespace conversion (index migrator) ----------------------------------------------


def test_convert_in_a_space_adds_an_alias() -> None:
    migrator = DocumentMigrator(
        registry_of(
            legacy_url_alias_type,
            a_type(
                "dog", namespace_type="multiple", convert_to_multi_namespace_type_version="1.0.0"
            ),
        ),
        stack_version=KIBANA,
    )
    new_id = converted_object_id("foo-namespace", "dog", "loud")
    document = {
        "id": "loud",
        "type": "dog",
        "attributes": {"name": "Wally"},
        "coreMigrationVersion": "8.8.0",
        "typeMigrationVersion": "",
        "namespace": "foo-namespace",
    }
    assert migrator.migrate_and_convert(document) == [  # type: ignore[arg-type]
        {
            "id": new_id,
            "type": "dog",
            "attributes": {"name": "Wally"},
            "coreMigrationVersion": "8.8.0",
            "typeMigrationVersion": "1.0.0",
            "namespaces": ["foo-namespace"],
            "originId": "loud",
        },
        {
            "id": "foo-namespace:dog:loud",
            "type": "legacy-url-alias",
            "attributes": {
                "sourceId": "loud",
                "targetNamespace": "foo-namespace",
                "targetType": "dog",
                "targetId": new_id,
                "purpose": "savedObjectConversion",
            },
            "coreMigrationVersion": "8.8.0",
            "typeMigrationVersion": "8.2.0",
        },
    ]
    default = {key: value for key, value in document.items() if key != "namespace"}
    assert migrator.migrate_and_convert(default) == [  # type: ignore[arg-type]
        {**default, "typeMigrationVersion": "1.0.0", "namespaces": ["default"]}
    ]


def test_references_follow_converted_objects() -> None:
    calls: list[str] = []
    migrator = migrator_of(
        a_type(
            "dog",
            migrations={
                "1.1.0": set_attr("age", "12"),
                "1.5.0": recorder(calls, "1.5.0"),
                "2.0.0": recorder(calls, "2.0.0"),
            },
        ),
        a_type("toy", namespace_type="multiple", convert_to_multi_namespace_type_version="1.0.0"),
        stack_version=KIBANA,
    )
    references = [
        {"id": "favorite", "type": "toy", "name": "BALL!"},
        {"id": "bone", "type": "other", "name": "n"},
    ]
    document = {
        "id": "d",
        "type": "dog",
        "attributes": {"name": "Callie"},
        "migrationVersion": {"dog": "1.1.0"},
        "references": references,
    }
    [default] = migrator.migrate_and_convert(document)  # type: ignore[arg-type]
    assert calls == ["1.5.0", "2.0.0"]
    assert default["references"] == references
    assert (default["coreMigrationVersion"], default["typeMigrationVersion"]) == ("8.8.0", "2.0.0")
    assert default["managed"] is False
    [in_space] = migrator.migrate_and_convert({**document, "namespace": "foo-namespace"})  # type: ignore[typeddict-item]
    assert in_space["references"] == [
        {
            "id": converted_object_id("foo-namespace", "toy", "favorite"),
            "type": "toy",
            "name": "BALL!",
        },
        {"id": "bone", "type": "other", "name": "n"},
    ]
    assert in_space["namespace"] == "foo-namespace"


def test_plain_migrate_does_not_convert() -> None:
    migrator = migrator_of(
        a_type(
            "dog",
            migrations={"1.0.0": noop},
            namespace_type="multiple",
            convert_to_multi_namespace_type_version="3.0.0",
        ),
        stack_version=KIBANA,
    )
    document = {"id": "d", "type": "dog", "typeMigrationVersion": "2.0.0", "namespace": "foo"}
    result = migrator.migrate(document)  # type: ignore[arg-type]
    assert result["typeMigrationVersion"] == "2.0.0"
    assert result["namespace"] == "foo"


# -- what the index migrator asks --------------------------------------------------------


def test_migration_versions() -> None:
    migrator = DocumentMigrator(
        registry_of(
            a_type(
                "aaa",
                migrations={
                    "1.2.3": noop,
                    "4.0.0": LegacyMigration(transform=noop, deferred=True),
                    "2.2.1": noop,
                },
            ),
            a_type("bbb", migrations={"3.2.3": noop, "2.0.0": noop}),
            a_type(
                "ccc",
                namespace_type="multiple",
                migrations={"7.0.0": noop},
                convert_to_multi_namespace_type_version="8.0.0",
            ),
            a_type("ddd", model_versions={1: ModelVersion(), 2: ModelVersion()}),
            a_type("eee"),
            legacy_url_alias_type,
        ),
        stack_version=KIBANA,
    )
    assert migrator.migration_versions() == {
        "aaa": "4.0.0",
        "bbb": "3.2.3",
        "ccc": "8.0.0",
        "ddd": "10.2.0",
        "legacy-url-alias": "8.2.0",
    }
    assert migrator.migration_versions(include_deferred=False)["aaa"] == "2.2.1"
    assert set(migrator.migration_versions(kind="core").values()) == {"8.8.0"}
    assert len(migrator.migration_versions(kind="core")) == 6
    assert migrator.migration_versions(include_deferred=False, kind="core") == {}
    assert migrator.latest_version("ddd") == "10.2.0"
    assert migrator.latest_version("eee") is None
    assert migrator.latest_version("nope") is None


def test_deferred_migrations_still_run_on_read() -> None:
    calls: list[str] = []
    migrator = migrator_of(
        a_type(
            "aaa",
            migrations={
                "4.0.0": LegacyMigration(transform=recorder(calls, "4.0.0"), deferred=True)
            },
        )
    )
    migrator.migrate(
        {"id": "a", "type": "aaa", "typeMigrationVersion": "1.0.0"}, allow_downgrade=True
    )
    assert calls == ["4.0.0"]


def test_is_outdated() -> None:
    migrator = migrator_of(a_type("dog", model_versions={1: ModelVersion(), 2: ModelVersion()}))

    def doc(**fields: Any) -> Any:
        return {"id": "d", "type": "dog", **fields}

    assert migrator.is_outdated(doc(typeMigrationVersion="10.1.0", coreMigrationVersion="8.8.0"))
    assert migrator.is_outdated(doc(typeMigrationVersion="10.2.0"))  # core transform pending
    assert not migrator.is_outdated(
        doc(typeMigrationVersion="10.3.0", coreMigrationVersion="8.8.0")
    )
    assert not migrator.is_outdated(doc(coreMigrationVersion="8.8.0"))  # taken as current
    assert not migrator.is_outdated({"id": "x", "type": "unknown", "typeMigrationVersion": ""})
    with pytest.raises(DocumentVersionError, match="invalid"):
        migrator.is_outdated(doc(typeMigrationVersion="nope"))
    assert not migrator.is_downgrade_required({"id": "x", "type": "unknown"})
    assert migrator.is_downgrade_required(doc(typeMigrationVersion="10.3.0"))
    assert not migrator.is_downgrade_required(
        doc(typeMigrationVersion="10.3.0"), target_type_version="10.4.0"
    )


# -- construction ------------------------------------------------------------------------


def test_needs_a_frozen_registry() -> None:
    with pytest.raises(UnclassifiedError, match=r"^Migrations are not ready"):
        DocumentMigrator(SavedObjectTypeRegistry())


def test_stack_version_defaults_to_the_registry() -> None:
    registry = registry_of(a_type("dog"), stack_version="8.15.0")
    assert DocumentMigrator(registry).stack_version == "8.15.0"
    assert DocumentMigrator(registry, stack_version="8.16.0").stack_version == "8.16.0"


@pytest.mark.parametrize(
    ("definition", "message"),
    [
        (
            a_type("dog", migrations={"8.6.0": noop}),
            "Invalid migration for type dog. Property '8.6.0' cannot be greater than the "
            "current Kibana version '8.5.0'.",
        ),
        (
            a_type(
                "dog", namespace_type="multiple", convert_to_multi_namespace_type_version="8.6.0"
            ),
            "Invalid convertToMultiNamespaceTypeVersion for type dog. Value '8.6.0' cannot be "
            "greater than the current Kibana version '8.5.0'.",
        ),
    ],
)
def test_an_explicit_stack_version_is_checked(definition: SavedObjectsType, message: str) -> None:
    with pytest.raises(UnclassifiedError) as caught:
        DocumentMigrator(registry_of(definition), stack_version="8.5.0")
    assert caught.value.message == message


def test_invalid_stack_version() -> None:
    with pytest.raises(UnclassifiedError, match="Invalid stack version"):
        DocumentMigrator(registry_of(a_type("dog")), stack_version="eight")


# -- the model-version test kit ----------------------------------------------------------


def test_model_version_test_migrator() -> None:
    definition = a_type(
        "test",
        model_versions={
            1: ModelVersion(
                schemas=ModelVersionSchemas(
                    forward_compatibility=lambda a: {k: a[k] for k in ("foo", "bar") if k in a}
                )
            ),
            2: ModelVersion(
                changes=[
                    DataBackfill(
                        backfill_fn=lambda d, c: {"attributes": {"dolly": "default_value"}}
                    )
                ]
            ),
        },
    )
    test_migrator = ModelVersionTestMigrator(definition)
    up = test_migrator.migrate(
        {"id": "t", "type": "test", "attributes": {"foo": "a", "bar": "b"}},
        from_version=1,
        to_version=2,
    )
    assert up["attributes"] == {"foo": "a", "bar": "b", "dolly": "default_value"}
    assert up["typeMigrationVersion"] == "10.2.0"
    down = test_migrator.migrate(
        {"id": "t", "type": "test", "attributes": {"foo": "a", "bar": "b", "dolly": "x"}},
        from_version=2,
        to_version=1,
    )
    assert down["attributes"] == {"foo": "a", "bar": "b"}
    assert down["typeMigrationVersion"] == "10.1.0"
    same = test_migrator.migrate(
        {"id": "t", "type": "test", "attributes": {"foo": "a"}}, from_version=2, to_version=2
    )
    assert same["attributes"] == {"foo": "a"}
