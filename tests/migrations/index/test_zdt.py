"""The zero-downtime algorithm against a real engine: each path once, end to end.

Rolling upgrades with replicas writing during the migration, and SIGKILLed migrators, are
in test_rolling_upgrade.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from kbn_saved_objects.cli.migrate import EXIT_FAILED, migrate_command
from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.types import SavedObjectsType, SavedObjectTypeRegistry
from tests.migrations.index._helpers import aliases, all_docs, run, seed, widgets
from tests.migrations.index._registries import GADGET, registry_v1, registry_v2, registry_v3

pytestmark = pytest.mark.engine

ZDT = {"algorithm": "zdt", "batch_size": 3}


def meta(engine: Engine, index: str) -> dict[str, Any]:
    answer = engine.perform(rq.get_mapping(index))
    return dict(next(iter(answer.values()))["mappings"]["_meta"])


def widget_props(engine: Engine, index: str) -> dict[str, Any]:
    answer = engine.perform(rq.get_mapping(index))
    return dict(next(iter(answer.values()))["mappings"]["properties"]["widget"]["properties"])


def test_fresh_install_then_rolling_upgrade(kbn_engine: Engine, kbn_index_prefix: str) -> None:
    prefix = f"{kbn_index_prefix}-zdt"
    steps: list[str] = []
    report = run(kbn_engine, registry_v1(), prefix, "1.0.0", steps, **ZDT)
    assert report.ok, report
    assert steps == ["CREATE_TARGET_INDEX", "INDEX_STATE_UPDATE_DONE", "DONE"]
    assert aliases(kbn_engine, prefix) == {f"{prefix}_1": [prefix, f"{prefix}_1.0.0"]}
    installed = meta(kbn_engine, f"{prefix}_1")
    assert installed["docVersions"] == installed["mappingVersions"]
    assert installed["migrationState"] == {"convertingDocuments": False}

    seed(kbn_engine, prefix, widgets(10))
    steps = []
    report = run(kbn_engine, registry_v2(), prefix, "2.0.0", steps, **ZDT)
    assert report.ok, report
    result = report.results[0]
    assert (result.kind, result.dest_index, result.written) == ("compatible", f"{prefix}_1", 10)
    assert "UPDATE_INDEX_MAPPINGS" in steps
    assert "SET_DOC_MIGRATION_STARTED" in steps
    assert steps[-3:] == [
        "UPDATE_DOCUMENT_MODEL_VERSIONS",
        "UPDATE_DOCUMENT_MODEL_VERSIONS_WAIT_FOR_INSTANCES",
        "DONE",
    ]
    docs = all_docs(kbn_engine, prefix)
    assert {d["typeMigrationVersion"] for d in docs.values()} == {"10.1.0"}
    assert docs["widget:w3"]["widget"]["size"] == len("title 3")
    upgraded = meta(kbn_engine, f"{prefix}_1")
    assert upgraded["mappingVersions"]["widget"] == upgraded["docVersions"]["widget"] == "10.1.0"
    assert upgraded["migrationState"] == {"convertingDocuments": False}
    assert widget_props(kbn_engine, f"{prefix}_1")["size"] == {"type": "integer"}
    # no new index, the old version alias stays for the replicas still on 1.0.0
    assert aliases(kbn_engine, prefix) == {
        f"{prefix}_1": sorted([prefix, f"{prefix}_1.0.0", f"{prefix}_2.0.0"])
    }

    # a 1.0.0 replica restarting during the rollout changes nothing
    steps = []
    assert run(kbn_engine, registry_v1(), prefix, "1.0.0", steps, **ZDT).ok
    assert steps == ["INDEX_STATE_UPDATE_DONE", "DOCUMENTS_UPDATE_INIT", "DONE"]
    assert meta(kbn_engine, f"{prefix}_1") == upgraded

    # the same release again: one count, nothing to do
    steps = []
    assert run(kbn_engine, registry_v2(), prefix, "2.0.0", steps, **ZDT).ok
    assert steps == [
        "INDEX_STATE_UPDATE_DONE",
        "DOCUMENTS_UPDATE_INIT",
        "OUTDATED_DOCUMENTS_COUNT",
        "DONE",
    ]

    # ... unless a 1.0.0 replica wrote after the conversion (even unrefreshed): the next
    # run converts it
    kbn_engine.perform(rq.put_settings(prefix, {"index": {"refresh_interval": "60s"}}))
    answer = kbn_engine.perform(
        rq.bulk([({"index": {"_id": i}}, src) for i, src in widgets(1, start=100)], index=prefix)
    )
    assert not answer["errors"]
    report = run(kbn_engine, registry_v2(), prefix, "2.0.0", **ZDT)
    assert report.results[0].written == 1
    assert all_docs(kbn_engine, prefix)["widget:w100"]["typeMigrationVersion"] == "10.1.0"


def test_a_change_that_needs_a_reindex_is_refused_before_any_write(
    kbn_engine: Engine, kbn_index_prefix: str
) -> None:
    prefix = f"{kbn_index_prefix}-zdt-refuse"
    assert run(kbn_engine, registry_v2(), prefix, "2.0.0", **ZDT).ok
    seed(kbn_engine, prefix, widgets(3))
    before = (meta(kbn_engine, f"{prefix}_1"), widget_props(kbn_engine, f"{prefix}_1"))
    docs = all_docs(kbn_engine, prefix)

    report = run(kbn_engine, registry_v3(), prefix, "3.0.0", **ZDT)

    assert not report.ok
    reason = report.results[0].reason or ""
    assert "cannot be updated without a reindex" in reason
    assert "widget.title: text -> keyword" in reason
    assert (meta(kbn_engine, f"{prefix}_1"), widget_props(kbn_engine, f"{prefix}_1")) == before
    assert all_docs(kbn_engine, prefix) == docs
    assert list(aliases(kbn_engine, prefix)) == [f"{prefix}_1"]


def test_conversion_deletes_unknown_and_retired_types(
    kbn_engine: Engine, kbn_index_prefix: str
) -> None:
    prefix = f"{kbn_index_prefix}-zdt-clean"
    assert run(kbn_engine, registry_v1(), prefix, "1.0.0", **ZDT).ok
    stray = [
        ("stray:1", {"type": "stray", "references": []}),
        ("retired:1", {"type": "retired", "references": []}),
        ("gadget:g1", {"type": "gadget", "gadget": {"name": "kept"}, "references": []}),
    ]
    # (the strict index refuses unmapped root properties: these types carry none)
    seed(kbn_engine, prefix, [*widgets(2), *stray])
    retiring = SavedObjectTypeRegistry(legacy_types=["retired"])
    for definition in registry_v2().get_all_types():
        if definition.name in ("widget", "gadget"):
            retiring.register(definition)
    retiring.freeze()

    report = run(kbn_engine, retiring, prefix, "2.0.0", **ZDT)

    assert report.ok, report
    assert sorted(all_docs(kbn_engine, prefix)) == ["gadget:g1", "widget:w0", "widget:w1"]
    assert report.results[0].discarded == 2


def test_a_v2_index_is_taken_over(kbn_engine: Engine, kbn_index_prefix: str) -> None:
    prefix = f"{kbn_index_prefix}-zdt-v2"
    assert run(kbn_engine, registry_v1(), prefix, "1.0.0").ok  # the v2 algorithm
    seed(kbn_engine, prefix, widgets(4))

    steps: list[str] = []
    report = run(kbn_engine, registry_v2(), prefix, "2.0.0", steps, **ZDT)

    assert report.ok, report
    assert report.results[0].dest_index == f"{prefix}_1.0.0_001"
    assert "SET_DOC_MIGRATION_STARTED" in steps
    assert {d["typeMigrationVersion"] for d in all_docs(kbn_engine, prefix).values()} == {"10.1.0"}
    taken = meta(kbn_engine, f"{prefix}_1.0.0_001")
    assert taken["docVersions"]["widget"] == "10.1.0"
    assert "indexTypesMap" not in taken
    assert "migrationMappingPropertyHashes" not in taken


def test_replicas_without_the_role_leave_documents_to_the_migrator(
    kbn_engine: Engine, kbn_index_prefix: str
) -> None:
    prefix = f"{kbn_index_prefix}-zdt-role"
    assert run(kbn_engine, registry_v1(), prefix, "1.0.0", **ZDT).ok
    seed(kbn_engine, prefix, widgets(5))

    steps: list[str] = []
    replica = run(
        kbn_engine, registry_v2(), prefix, "2.0.0", steps, **ZDT, zdt_convert_documents=False
    )

    assert replica.ok
    assert steps[-2:] == ["INDEX_STATE_UPDATE_DONE", "DONE"]
    assert widget_props(kbn_engine, f"{prefix}_1")["size"] == {"type": "integer"}
    assert meta(kbn_engine, f"{prefix}_1")["docVersions"]["widget"] == "10.0.0"
    assert {d.get("typeMigrationVersion") for d in all_docs(kbn_engine, prefix).values()} == {None}

    job = run(kbn_engine, registry_v2(), prefix, "2.0.0", **ZDT)
    assert job.ok
    assert job.results[0].written == 5
    assert meta(kbn_engine, f"{prefix}_1")["docVersions"]["widget"] == "10.1.0"


def test_a_crashed_conversion_is_finished_by_the_next_run(
    kbn_engine: Engine, kbn_index_prefix: str
) -> None:
    prefix = f"{kbn_index_prefix}-zdt-crash"
    assert run(kbn_engine, registry_v1(), prefix, "1.0.0", **ZDT).ok
    seed(kbn_engine, prefix, widgets(9))

    def crash_on_second_batch(old: Any, new: Any, took: float) -> None:
        if str(new.control_state) == "OUTDATED_DOCUMENTS_SEARCH_READ" and new.written:
            raise KeyboardInterrupt  # the process dies: no FATAL, no cleanup

    from kbn_saved_objects.migrations.index import MigrationOptions, migrate
    from tests.migrations.index._helpers import config

    with pytest.raises(KeyboardInterrupt):
        migrate(
            kbn_engine,
            registry_v2(),
            config=config(prefix, "2.0.0"),
            options=MigrationOptions(algorithm="zdt", batch_size=3, retry_base_delay=0.01),
            on_transition=crash_on_second_batch,
        )
    halfway = meta(kbn_engine, f"{prefix}_1")
    assert halfway["migrationState"] == {"convertingDocuments": True}
    assert halfway["docVersions"]["widget"] == "10.0.0"

    report = run(kbn_engine, registry_v2(), prefix, "2.0.0", **ZDT)

    assert report.ok
    assert {d["typeMigrationVersion"] for d in all_docs(kbn_engine, prefix).values()} == {"10.1.0"}
    assert meta(kbn_engine, f"{prefix}_1")["migrationState"] == {"convertingDocuments": False}


def test_cli_runs_zdt(kbn_engine: Engine, kbn_engine_url: str, kbn_index_prefix: str) -> None:
    prefix = f"{kbn_index_prefix}-zdt-cli"
    common = ["--url", kbn_engine_url, "--index", prefix, "--algorithm", "zdt"]
    registries = "tests.migrations.index._registries"

    def invoke(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(migrate_command, list(args), catch_exceptions=False)
        return result.exit_code, result.output

    code, out = invoke("--registry", f"{registries}:V1", "--version", "1.0.0", "--dry-run", *common)
    assert f"plan: fresh install: create {prefix}_1 and its aliases" in out
    code, out = invoke("--registry", f"{registries}:V1", "--version", "1.0.0", *common)
    assert code == 0, out
    seed(kbn_engine, prefix, widgets(2))
    code, out = invoke("--registry", f"{registries}:V2", "--version", "2.0.0", "--dry-run", *common)
    assert "zero downtime never reindexes" in out
    assert "transform 2 outdated documents" in out
    code, out = invoke(
        "--registry", f"{registries}:V2", "--version", "2.0.0", "--no-convert-documents", *common
    )
    assert code == 0, out
    assert meta(kbn_engine, f"{prefix}_1")["docVersions"]["widget"] == "10.0.0"
    code, out = invoke("--registry", f"{registries}:V2", "--version", "2.0.0", *common)
    assert code == 0, out
    assert meta(kbn_engine, f"{prefix}_1")["docVersions"]["widget"] == "10.1.0"
    code, out = invoke("--registry", f"{registries}:V3", "--version", "3.0.0", *common)
    assert code == EXIT_FAILED
    assert "without a reindex" in out


def test_an_added_type_and_an_edited_mapping_are_added(
    kbn_engine: Engine, kbn_index_prefix: str
) -> None:
    prefix = f"{kbn_index_prefix}-zdt-added"
    assert run(kbn_engine, registry_v2(), prefix, "2.0.0", **ZDT).ok
    later = SavedObjectTypeRegistry()
    for definition in registry_v2().get_all_types():
        if definition.name == "gadget":
            later.register(
                SavedObjectsType(
                    name="gadget",
                    namespace_type="agnostic",
                    mappings={
                        "properties": {**GADGET.mappings["properties"], "n": {"type": "long"}}
                    },
                )
            )
        elif definition.name == "widget":
            later.register(definition)
    later.register(
        SavedObjectsType(name="doohickey", namespace_type="single", mappings={"properties": {}})
    )
    later.freeze()

    assert run(kbn_engine, later, prefix, "2.1.0", **ZDT).ok

    answer = kbn_engine.perform(rq.get_mapping(f"{prefix}_1"))
    properties = next(iter(answer.values()))["mappings"]["properties"]
    assert properties["gadget"]["properties"]["n"] == {"type": "long"}
    assert "doohickey" in properties
    seed(kbn_engine, prefix, [("gadget:g", {"type": "gadget", "gadget": {"n": 3}})])


def test_setup_indices_of_either_release_leaves_the_zdt_meta(
    kbn_engine: Engine, kbn_index_prefix: str
) -> None:
    """A service that calls ``setup_indices`` at start (``kbn-so serve`` does) during a
    rolling upgrade must not rewind what the migrator recorded."""
    from kbn_saved_objects.repository import RepositoryConfig, SavedObjectsRepository

    prefix = f"{kbn_index_prefix}-zdt-setup"
    assert run(kbn_engine, registry_v2(), prefix, "2.0.0", **ZDT).ok
    recorded = meta(kbn_engine, f"{prefix}_1")
    for registry in (registry_v1(), registry_v2()):
        repo = SavedObjectsRepository(
            kbn_engine, registry, config=RepositoryConfig(default_index=prefix)
        )
        assert repo.setup_indices() == {prefix: "updated"}
        assert meta(kbn_engine, f"{prefix}_1") == recorded
    assert run(kbn_engine, registry_v2(), prefix, "2.0.0", **ZDT).ok
