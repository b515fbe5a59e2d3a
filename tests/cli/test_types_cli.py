"""``kbn-so types snapshot`` / ``kbn-so types check`` (issue 19): the CI gate for type
changes, run as a user runs it. No engine is involved."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
from click.testing import Result

from tests._paths import REPO_ROOT
from tests.cli.conftest import run_cli

V1 = """
    1: ModelVersion(schemas=ModelVersionSchemas(forward_compatibility=V1, create=V1)),
"""
V2 = """
    2: ModelVersion(
        changes=[MappingsAddition(added_mappings={"priority": {"type": "integer"}})],
        schemas=ModelVersionSchemas(forward_compatibility=V2, create=V2),
    ),
"""
V3 = """
    3: ModelVersion(schemas=ModelVersionSchemas(forward_compatibility=V2, create=V2)),
"""
TITLE = '"title": {"type": "text"},'
PRIORITY = '"priority": {"type": "integer"},'


def registry_source(
    versions: str = V1, fields: str = TITLE, extra_type: bool = False, legacy: str = ""
) -> str:
    return textwrap.dedent(
        """
        from pydantic import BaseModel

        from kbn_saved_objects.types import (
            MappingsAddition,
            ModelVersion,
            ModelVersionSchemas,
            SavedObjectsType,
            SavedObjectTypeRegistry,
        )


        class V1(BaseModel):
            title: str


        class V2(V1):
            priority: int = 0


        REGISTRY = SavedObjectTypeRegistry(legacy_types=[{legacy}])
        REGISTRY.register(
            SavedObjectsType(
                name="task",
                mappings={{"properties": {{{fields}}}}},
                model_versions={{{versions}}},
            )
        )
        if {extra_type}:
            REGISTRY.register(SavedObjectsType(name="note", mappings={{"properties": {{}}}}))
        REGISTRY.freeze()
        """
    ).format(versions=versions, fields=fields, extra_type=extra_type, legacy=legacy)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "project"
    directory.mkdir()
    monkeypatch.chdir(directory)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in ("", str(directory))])
    return directory


def registry_module(directory: Path, source: str) -> str:
    """``module:REGISTRY`` of a fresh module (``sys.modules`` outlives a step)."""
    name = f"kbn_so_types_{uuid.uuid4().hex}"
    (directory / f"{name}.py").write_text(source)
    return f"{name}:REGISTRY"


def types_cli(command: str, registry: str, *args: str) -> Result:
    return run_cli(["types", command, "--registry", registry, *args])


def test_snapshot_writes_the_default_file(project: Path) -> None:
    result = types_cli("snapshot", registry_module(project, registry_source()))
    assert result.exit_code == 0, result.output
    written = json.loads((project / "saved-objects-types.json").read_text())
    assert sorted(written["types"]) == ["legacy-url-alias", "task"]
    assert "wrote saved-objects-types.json (2 types)" in result.output


def test_check_passes_on_an_unchanged_registry(project: Path) -> None:
    registry = registry_module(project, registry_source())
    assert types_cli("snapshot", registry, "--file", "types.json").exit_code == 0
    result = types_cli("check", registry, "--file", "types.json")
    assert result.exit_code == 0, result.output
    assert result.output == "types match types.json\n"


def test_a_safe_change_exits_3_until_recorded(project: Path) -> None:
    assert types_cli("snapshot", registry_module(project, registry_source())).exit_code == 0
    evolved = registry_module(project, registry_source(V1 + V2, TITLE + PRIORITY))
    result = types_cli("check", evolved)
    assert result.exit_code == 3, result.output
    assert "safe type changes not recorded in saved-objects-types.json" in result.output
    updated = types_cli("check", evolved, "--update")
    assert updated.exit_code == 0, updated.output
    assert updated.output == "updated saved-objects-types.json\n"
    assert types_cli("check", evolved).exit_code == 0


def test_an_unsafe_change_prints_one_line_per_violation_and_exits_1(project: Path) -> None:
    assert (
        types_cli(
            "snapshot", registry_module(project, registry_source(V1 + V2, TITLE + PRIORITY))
        ).exit_code
        == 0
    )
    before = (project / "saved-objects-types.json").read_text()
    broken = registry_module(
        project, registry_source(V1, TITLE + PRIORITY + '"due": {"type": "date"},')
    )
    result = types_cli("check", broken, "--update")
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("task: mapping-added-without-model-version: field 'due' is new")
    assert lines[1].startswith("task: model-version-removed: model version(s) 2 were removed")
    assert lines[2] == (
        "Error: 2 unsafe type change(s) since saved-objects-types.json; nothing written: fix "
        "them or retire removed types (docs/evolving-types.md lists the rules)"
    )
    assert "Traceback" not in result.output
    assert (project / "saved-objects-types.json").read_text() == before


def test_force_writes_despite_violations(project: Path) -> None:
    assert (
        types_cli(
            "snapshot", registry_module(project, registry_source(V1 + V2, TITLE + PRIORITY))
        ).exit_code
        == 0
    )
    broken = registry_module(project, registry_source(V1, TITLE + PRIORITY))
    result = types_cli("check", broken, "--update", "--force")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("task: model-version-removed")
    assert types_cli("check", broken).exit_code == 0


def test_too_many_new_model_versions(project: Path) -> None:
    assert types_cli("snapshot", registry_module(project, registry_source())).exit_code == 0
    result = types_cli(
        "check", registry_module(project, registry_source(V1 + V2 + V3, TITLE + PRIORITY))
    )
    assert result.exit_code == 1
    assert result.output.startswith("task: too-many-new-model-versions: 2 new model versions")


def test_a_removed_type_is_retired_with_retire_update(project: Path) -> None:
    assert (
        types_cli("snapshot", registry_module(project, registry_source(extra_type=True))).exit_code
        == 0
    )
    without = registry_module(project, registry_source())
    refused = types_cli("check", without)
    assert refused.exit_code == 1
    assert refused.output.startswith("note: type-removed: ")
    accepted = types_cli("check", without, "--retire", "note")
    assert accepted.exit_code == 3, accepted.output  # safe, but not recorded
    assert types_cli("check", without, "--retire", "note", "--update").exit_code == 0
    written = json.loads((project / "saved-objects-types.json").read_text())
    assert written["retired_types"] == ["note"]
    assert "note" not in written["types"]
    assert types_cli("check", without).exit_code == 0
    again = types_cli("check", registry_module(project, registry_source(extra_type=True)))
    assert again.exit_code == 1
    assert again.output.startswith("note: retired-type-registered: ")


def test_snapshot_keeps_the_retired_types_of_the_file(project: Path) -> None:
    path = project / "saved-objects-types.json"
    registry = registry_module(project, registry_source())
    assert types_cli("snapshot", registry).exit_code == 0
    data = json.loads(path.read_text())
    path.write_text(json.dumps({**data, "retired_types": ["gone"]}))
    assert types_cli("snapshot", registry).exit_code == 0
    assert json.loads(path.read_text())["retired_types"] == ["gone"]


def test_the_registry_s_legacy_types_are_recorded_as_retired(project: Path) -> None:
    assert types_cli("snapshot", registry_module(project, registry_source())).exit_code == 0
    with_legacy = registry_module(project, registry_source(legacy='"old"'))
    assert types_cli("check", with_legacy).exit_code == 3
    assert types_cli("check", with_legacy, "--update").exit_code == 0
    assert types_cli("check", with_legacy).exit_code == 0


@pytest.mark.parametrize(
    ("args", "content", "exit_code", "message"),
    [
        ([], None, 1, "Error: no types snapshot at saved-objects-types.json: create it with"),
        ([], "{", 1, "Error: Invalid types snapshot: not JSON"),
        ([], '{"format": 7}', 1, "Error: Invalid types snapshot: expected an object"),
        (["--force"], "", 2, "Error: --force only makes sense with --update"),
        (["--retire", "task"], "", 2, "task is still registered and cannot be retired"),
    ],
)
def test_bad_input_is_a_one_line_error(
    project: Path, args: list[str], content: str | None, exit_code: int, message: str
) -> None:
    if content is not None:
        (project / "saved-objects-types.json").write_text(content)
    result = types_cli("check", registry_module(project, registry_source()), *args)
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output
    assert message in result.output.strip().splitlines()[-1]


def test_a_bad_registry_is_a_usage_error(project: Path) -> None:
    result = run_cli(["types", "snapshot", "--registry", "no_such_module_here:REGISTRY"])
    assert result.exit_code == 2
    assert "cannot load no_such_module_here:REGISTRY" in result.output


def test_the_installed_script_in_ci(project: Path) -> None:
    """The real ``kbn-so`` process: violations on stdout, the error on stderr, exit 1."""
    assert (
        types_cli(
            "snapshot", registry_module(project, registry_source(V1 + V2, TITLE + PRIORITY))
        ).exit_code
        == 0
    )
    broken = registry_module(project, registry_source(V1, TITLE + PRIORITY))
    script = Path(sys.executable).with_name("kbn-so")
    done = subprocess.run(
        [str(script), "types", "check", "--registry", broken],
        cwd=project,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines() == [
        "task: model-version-removed: model version(s) 2 were removed: a released model "
        "version can never be deleted; restore it"
    ]
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().startswith("Error: 1 unsafe type change(s)")


def test_a_format_1_file_is_checked_then_upgraded_by_update(project: Path) -> None:
    """A file written before the snapshot recorded schema fields: no violation (its
    hashes still match) and nothing unrecorded -- upgrading the library must not fail a CI
    whose types did not change; ``--update`` rewrites it in the current format."""
    registry = registry_module(project, registry_source())
    assert types_cli("snapshot", registry).exit_code == 0
    path = project / "saved-objects-types.json"
    data = json.loads(path.read_text())
    data["format"] = 1
    for entry in data["types"].values():
        entry.pop("importable_and_exportable")
        for version in entry["model_versions"]:
            for summary in version["schemas"].values():
                summary.pop("fields")
    path.write_text(json.dumps(data))
    result = types_cli("check", registry)
    assert result.exit_code == 0, result.output
    recorded = data["types"]["task"]["namespace_type"]
    data["types"]["task"]["namespace_type"] = "agnostic"  # but a real change is still seen
    path.write_text(json.dumps(data))
    assert types_cli("check", registry).exit_code == 1
    data["types"]["task"]["namespace_type"] = recorded
    path.write_text(json.dumps(data))
    assert types_cli("check", registry, "--update").exit_code == 0
    assert json.loads(path.read_text())["format"] == 2
    assert types_cli("check", registry).exit_code == 0


def test_a_new_type_is_checked_from_its_first_model_version(project: Path) -> None:
    assert types_cli("snapshot", registry_module(project, registry_source())).exit_code == 0
    with_note = registry_module(project, registry_source(extra_type=True))
    result = types_cli("check", with_note)
    assert result.exit_code == 1, result.output
    assert result.output.startswith(
        "note: new-type-missing-initial-model-version: a new type must define model version 1"
    )
