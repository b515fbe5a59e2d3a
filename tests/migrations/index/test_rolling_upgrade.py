"""A rolling upgrade under the zero-downtime (ZDT) algorithm, on the real engine.

Release N is installed and seeded; then a replica of N and a replica of N+1 (child
processes, :mod:`._rolling_child`) write and read all the time while the N+1 migrator job
converts the documents -- in one go, or killed (SIGKILL) at a step and run again. Then
every document is checked against the writers' journals. The rules the checks encode:

* Nothing acknowledged is lost: every created note and tag exists, and a note holds the
  composition of every acknowledged partial update in the order the engine applied them
  (the ``_seq_no`` of the acknowledged versions), over its seeded or created content.
* ``title_length`` is N+1's derived field: N, which does not know it, drops it when it
  reads and so when it writes (Kibana's forward compatibility); N+1 derives it again on
  read and on conversion, and writes it right itself. So the expected N+1 content of a
  note is its N fields plus ``len(title)``; what N reads is the N fields alone.
* Every read in the writers succeeded and was at the reader's own model version.
* After the conversion every note reads as N+1 (through the N+1 repository) and as N
  (through N's); a stored note is at N+1's version unless its last write was N's and
  came after the conversion opened its point in time (the conversion skips a document a
  replica wrote meanwhile: the replica's write wins). Such a note stays at N's version
  and reads as N+1; once the N replicas are gone, the next run of the same release
  converts it (its ``docVersions`` are already equal: Kibana would stop there, this
  library counts the outdated documents first), and every note is at N+1's version.
* ``gizmo`` documents (a type N+1 retires) are deleted; ``_meta`` records N+1's
  ``docVersions`` and ``mappingVersions``, as a fresh N+1 install does.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.migrations.index import MigrationOptions, MigrationReport, migrate
from kbn_saved_objects.repository import SavedObjectsRepository
from kbn_saved_objects.repository.operations.bulk_create import BulkCreateObject
from kbn_saved_objects.serialization import decode_request_version
from tests.migrations.index._rolling_child import (
    SEEDED,
    repository_config,
    seed_attributes,
)
from tests.migrations.index._rolling_registries import (
    N_FIELDS,
    NOTE_VERSION,
    REGISTRIES,
    as_seen_by,
)

pytestmark = pytest.mark.engine

SEED = int(os.environ.get("ROLLING_SEED") or random.randrange(2**31))
"""Seeds the writers and the random kill step; set ``ROLLING_SEED`` to replay a run."""

ROOT = Path(__file__).resolve().parents[3]
GIZMOS = 10
BATCH = 10
SYNC_DELAY = 0.3
"""Seconds the conversion waits after marking itself started and done: more time in
which the replicas write while the index is being converted."""
KILL_STATES = [
    "UPDATE_INDEX_MAPPINGS_WAIT_FOR_TASK",
    "SET_DOC_MIGRATION_STARTED",
    "CLEANUP_UNKNOWN_AND_EXCLUDED_DOCS",
    "OUTDATED_DOCUMENTS_SEARCH_READ:2",
    "TRANSFORMED_DOCUMENTS_BULK_INDEX:1",
    "UPDATE_DOCUMENT_MODEL_VERSIONS",
]
MARKED_CONVERTING = {
    "CLEANUP_UNKNOWN_AND_EXCLUDED_DOCS",
    "OUTDATED_DOCUMENTS_SEARCH_READ",
    "TRANSFORMED_DOCUMENTS_BULK_INDEX",
    "UPDATE_DOCUMENT_MODEL_VERSIONS",
}


def options(**extra: Any) -> MigrationOptions:
    return MigrationOptions(algorithm="zdt", batch_size=BATCH, retry_base_delay=0.01, **extra)


def install_release_n(engine: Engine, prefix: str) -> None:
    """Release N on a fresh cluster, with seeded notes and gizmos."""
    report = migrate(
        engine, REGISTRIES["n"](), config=repository_config(prefix, "n"), options=options()
    )
    assert report.ok, report.to_dict()
    repo = SavedObjectsRepository(engine, REGISTRIES["n"](), config=repository_config(prefix, "n"))
    objects: list[BulkCreateObject] = [
        {"type": "note", "id": f"seed-{n}", "attributes": seed_attributes(n)} for n in range(SEEDED)
    ]
    objects += [
        {"type": "gizmo", "id": f"gizmo-{n}", "attributes": {"name": f"g{n}"}}
        for n in range(GIZMOS)
    ]
    answer = repo.bulk_create(objects)
    assert all(o.error is None for o in answer.saved_objects)


@dataclass
class Conversion:
    """One run of the N+1 migrator job, with when it entered each state."""

    report: MigrationReport
    started: float
    ended: float
    entered: dict[str, float] = field(default_factory=dict)
    states: list[str] = field(default_factory=list)


def convert(engine: Engine, prefix: str) -> Conversion:
    states: list[str] = []
    entered: dict[str, float] = {}

    def on_transition(old: Any, new: Any, took: float) -> None:
        name = str(new.control_state)
        states.append(name)
        entered.setdefault(name, time.time())

    started = time.time()
    report = migrate(
        engine,
        REGISTRIES["n1"](),
        config=repository_config(prefix, "n1"),
        options=options(zdt_sync_delay=SYNC_DELAY),
        on_transition=on_transition,
        raise_on_failure=False,
    )
    return Conversion(report, started, time.time(), entered, states)


class Child:
    """A child process whose stdout lines are read as they come."""

    def __init__(self, module: str, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", module, *args],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []

    def wait_for(self, *wanted: str) -> str:
        """Read lines until one starts with a ``wanted`` word; the child's end fails."""
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.strip())
            if line.split(" ")[0].strip() in wanted:
                return line.strip()
        raise AssertionError(f"child ended before {wanted}: {self.lines}")

    def finish(self, timeout: float = 60) -> None:
        self.wait_for("DONE")
        assert self.process.wait(timeout=timeout) == 0

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)


@pytest.fixture
def children() -> Iterator[list[Child]]:
    started: list[Child] = []
    yield started
    for child in started:
        child.kill()


def stop_writers(writers: list[Child], journals: list[Path]) -> None:
    """Let the writers go on a little past the run, then tell them to stop."""
    time.sleep(0.5)
    for journal in journals:
        Path(f"{journal}.stop").touch()
    for writer in writers:
        writer.finish()


def start_writer(
    children: list[Child],
    url: str,
    prefix: str,
    release: str,
    seconds: float,
    seed: int,
    journal: Path,
) -> Child:
    child = Child(
        "tests.migrations.index._rolling_child",
        url,
        prefix,
        release,
        str(seconds),
        str(seed),
        str(journal),
    )
    children.append(child)
    assert child.wait_for("READY", "FAILED") == "READY", journal.read_text()
    return child


# -- the checks ---------------------------------------------------------------------------


def read_journal(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def engine_order(entry: dict[str, Any]) -> tuple[int, int]:
    """Where the engine applied an acknowledged write: writes to one document are applied
    in ``(_primary_term, _seq_no)`` order, whichever process sent them."""
    decoded = decode_request_version(entry["version"])
    return decoded["if_primary_term"], decoded["if_seq_no"]


@dataclass
class Expected:
    """What the journals say must be in the index."""

    notes: dict[str, dict[str, Any]]
    """id -> the N fields of the note (release N's view)."""
    last_writer: dict[str, dict[str, Any]]
    """id -> the journal entry of its last acknowledged write (seeded notes never written
    again have none)."""
    tags: dict[str, dict[str, Any]]
    entries: list[dict[str, Any]]


def expected_from(journals: list[Path]) -> Expected:
    entries = [e for path in journals for e in read_journal(path)]
    failures = [e for e in entries if e["op"].endswith("failure")]
    assert not failures, f"ROLLING_SEED={SEED}: {failures[:5]}"
    notes = {f"seed-{n}": seed_attributes(n) for n in range(SEEDED)}
    tags: dict[str, dict[str, Any]] = {}
    last_writer: dict[str, dict[str, Any]] = {}
    writes = sorted((e for e in entries if e["op"] in ("create", "update")), key=engine_order)
    for entry in writes:
        fields = {k: v for k, v in entry["attributes"].items() if k in N_FIELDS}
        if entry["type"] == "tag":
            tags[entry["id"]] = entry["attributes"]
        elif entry["op"] == "create":
            assert entry["id"] not in notes, entry
            notes[entry["id"]] = fields
        else:
            notes[entry["id"]] = {**notes[entry["id"]], **fields}
        last_writer[entry["id"]] = entry
    return Expected(notes, last_writer, tags, entries)


def raw_documents(engine: Engine, prefix: str) -> dict[str, dict[str, Any]]:
    engine.perform(rq.refresh(prefix))
    body = engine.perform(rq.search({"size": 10000, "query": {"match_all": {}}}, index=prefix))
    return {hit["_id"]: hit["_source"] for hit in body["hits"]["hits"]}


def fresh_meta(engine: Engine, prefix: str) -> dict[str, Any]:
    """The ``_meta`` a fresh install of N+1 writes: what the upgraded index must say."""
    fresh = f"{prefix}-fresh"
    report = migrate(
        engine, REGISTRIES["n1"](), config=repository_config(fresh, "n1"), options=options()
    )
    assert report.ok, report.to_dict()
    return meta_of(engine, fresh)


def meta_of(engine: Engine, prefix: str) -> dict[str, Any]:
    (body,) = engine.perform(rq.get_index(prefix)).values()
    return dict(body["mappings"]["_meta"])


def check_index(
    engine: Engine, prefix: str, expected: Expected, pit_opened: float, context: str
) -> dict[str, int]:
    """Every rule of the module docstring; returns how many stored notes are at each
    version (for the messages)."""
    raw = raw_documents(engine, prefix)
    by_type: dict[str, set[str]] = {}
    for raw_id, source in raw.items():
        by_type.setdefault(source["type"], set()).add(raw_id)
    assert not by_type.get("gizmo"), f"{context}: retired gizmos left {by_type.get('gizmo')}"
    assert by_type.get("note", set()) == {f"note:{i}" for i in expected.notes}, context
    assert by_type.get("tag", set()) == {f"tag:{i}" for i in expected.tags}, context
    assert set(by_type) <= {"note", "tag"}, f"{context}: {sorted(by_type)}"

    versions: dict[str, int] = {}
    for object_id, fields in expected.notes.items():
        source = raw[f"note:{object_id}"]
        version = source["typeMigrationVersion"]
        versions[version] = versions.get(version, 0) + 1
        stored = source["note"]
        assert {k: v for k, v in stored.items() if k in N_FIELDS} == fields, (
            f"{context}: {object_id} stored {stored}, expected {fields}"
        )
        if version == NOTE_VERSION["n1"]:
            assert stored == as_seen_by("n1", fields), f"{context}: {object_id} {stored}"
            continue
        assert version == NOTE_VERSION["n"], f"{context}: {object_id} at {version}"
        last = expected.last_writer.get(object_id)
        left = f"{context}: {object_id} left at {version}, last written by {last}"
        assert last is not None, left
        assert last["release"] == "n", left
        assert last["t"] >= pit_opened, f"{left} before the point in time ({pit_opened})"

    for release in ("n", "n1"):
        repo = SavedObjectsRepository(
            engine, REGISTRIES[release](), config=repository_config(prefix, release)
        )
        found = repo.bulk_get([{"type": "note", "id": i} for i in sorted(expected.notes)])
        for obj in found.saved_objects:
            assert obj.error is None, f"{context}: {release} reads {obj.id}: {obj.error}"
            assert obj.type_migration_version == NOTE_VERSION[release], (context, obj)
            assert obj.attributes == as_seen_by(release, expected.notes[obj.id]), (
                f"{context}: {release} reads {obj.id} as {obj.attributes}"
            )
        page = repo.find(type="note", per_page=1000)
        assert page.total == len(expected.notes), context
        assert all(o.type_migration_version == NOTE_VERSION[release] for o in page.saved_objects)
    tag_repo = SavedObjectsRepository(
        engine, REGISTRIES["n1"](), config=repository_config(prefix, "n1")
    )
    tags = tag_repo.bulk_get([{"type": "tag", "id": i} for i in sorted(expected.tags)])
    assert [(o.id, o.attributes) for o in tags.saved_objects] == sorted(expected.tags.items())

    meta = meta_of(engine, prefix)
    fresh = fresh_meta(engine, prefix)
    for key in ("docVersions", "mappingVersions"):
        assert {t: meta[key].get(t) for t in fresh[key]} == fresh[key], f"{context}: {meta}"
    assert meta["migrationState"] == {"convertingDocuments": False}, context
    return versions


def summary(expected: Expected, versions: dict[str, int], run: Conversion) -> str:
    """Counts for the test's output: what each replica did, and how the run went."""
    ops: dict[str, int] = {}
    for entry in expected.entries:
        key = f"{entry['release']}:{entry['op']}"
        ops[key] = ops.get(key, 0) + 1
    during = {r: wrote_during(expected, r, run) for r in ("n", "n1")}
    took = run.ended - run.started
    return f"ops {ops}; writes during the run {during} ({took:.2f} s); notes by version {versions}"


def wrote_during(expected: Expected, release: str, run: Conversion) -> int:
    return sum(
        1
        for e in expected.entries
        if e["release"] == release
        and e["op"] in ("create", "update")
        and run.started <= e["t"] <= run.ended
    )


def next_deploy(
    engine: Engine, prefix: str, expected: Expected, pit_opened: float, context: str
) -> None:
    """The N replicas are gone; the N+1 job runs again: ``docVersions`` are equal, but the
    notes N wrote during the conversion are still outdated, so it converts them; then
    every stored note is at N+1's version and the index still passes every check."""
    again = convert(engine, prefix)
    assert again.report.ok, again.report.to_dict()
    assert "OUTDATED_DOCUMENTS_COUNT" in again.states, again.states
    versions = check_index(engine, prefix, expected, pit_opened, f"{context}, next deploy")
    assert versions == {NOTE_VERSION["n1"]: len(expected.notes)}, f"{context}: {versions}"


# -- the tests ----------------------------------------------------------------------------


def test_rolling_upgrade_while_both_releases_write(
    kbn_engine: Engine,
    kbn_engine_url: str,
    kbn_index_prefix: str,
    children: list[Child],
    tmp_path: Path,
) -> None:
    prefix = f"{kbn_index_prefix}-roll"
    install_release_n(kbn_engine, prefix)
    journals = [tmp_path / "n.jsonl", tmp_path / "n1.jsonl"]
    old = start_writer(children, kbn_engine_url, prefix, "n", 30, SEED, journals[0])
    new = start_writer(children, kbn_engine_url, prefix, "n1", 30, SEED + 1, journals[1])

    run = convert(kbn_engine, prefix)
    assert run.report.ok, run.report.to_dict()
    stop_writers([old, new], journals)

    expected = expected_from(journals)
    pit_opened = run.entered["OUTDATED_DOCUMENTS_SEARCH_OPEN_PIT"]
    context = f"after the conversion (ROLLING_SEED={SEED})"
    for release in ("n", "n1"):
        assert wrote_during(expected, release, run), f"{context}: {release} idle during the run"
    versions = check_index(kbn_engine, prefix, expected, pit_opened, context)
    assert versions.get(NOTE_VERSION["n1"]), versions
    print(context, summary(expected, versions, run))
    next_deploy(kbn_engine, prefix, expected, pit_opened, context)


@pytest.mark.parametrize(
    "stop_at",
    [
        "UPDATE_INDEX_MAPPINGS_WAIT_FOR_TASK",
        "CLEANUP_UNKNOWN_AND_EXCLUDED_DOCS",
        "TRANSFORMED_DOCUMENTS_BULK_INDEX:1",
        "UPDATE_DOCUMENT_MODEL_VERSIONS",
        "random",
    ],
)
def test_rolling_upgrade_survives_sigkill_of_the_migrator(
    kbn_engine: Engine,
    kbn_engine_url: str,
    kbn_index_prefix: str,
    children: list[Child],
    tmp_path: Path,
    stop_at: str,
) -> None:
    """The migrator job is killed at a step while both releases write; its next run
    completes the upgrade with every rule holding. ``random`` picks the step from
    ``KILL_STATES`` with ``SEED`` (set ``ROLLING_SEED`` to replay one)."""
    if stop_at == "random":
        stop_at = random.Random(SEED).choice(KILL_STATES)
    context = f"killed at {stop_at} (ROLLING_SEED={SEED})"
    prefix = f"{kbn_index_prefix}-roll"
    install_release_n(kbn_engine, prefix)
    journals = [tmp_path / "n.jsonl", tmp_path / "n1.jsonl"]
    old = start_writer(children, kbn_engine_url, prefix, "n", 30, SEED, journals[0])

    migrator = Child("tests.migrations.index._rolling_migrator", kbn_engine_url, prefix, stop_at)
    children.append(migrator)
    assert migrator.wait_for("PAUSED", "FINISHED") == "PAUSED", (context, migrator.lines)
    converting = meta_of(kbn_engine, prefix).get("migrationState", {}).get("convertingDocuments")
    # the run dies with the index marked as being converted once SET_DOC_MIGRATION_STARTED
    # has written it (a state is printed before its step runs)
    assert converting == (stop_at.partition(":")[0] in MARKED_CONVERTING), context
    new = start_writer(children, kbn_engine_url, prefix, "n1", 30, SEED + 1, journals[1])
    time.sleep(0.5)
    migrator.kill()

    run = convert(kbn_engine, prefix)
    assert run.report.ok, (context, run.report.to_dict())
    stop_writers([old, new], journals)

    expected = expected_from(journals)
    pit_opened = run.entered["OUTDATED_DOCUMENTS_SEARCH_OPEN_PIT"]
    for release in ("n", "n1"):
        assert wrote_during(expected, release, run), f"{context}: {release} idle during the run"
    versions = check_index(kbn_engine, prefix, expected, pit_opened, context)
    print(context, summary(expected, versions, run))
    next_deploy(kbn_engine, prefix, expected, pit_opened, context)


def test_conversion_sees_writes_acknowledged_without_refresh(
    kbn_engine: Engine, kbn_index_prefix: str
) -> None:
    """A replica that writes with ``refresh=False`` has its write acknowledged before it is
    searchable (until the index's next refresh). In a rolling upgrade the N+1 replicas have
    already added the mappings when the N+1 job starts, so nothing in the job refreshes
    the index (the mappings pickup did, ``refresh=True``); when the job starts right after
    a last N write, the conversion must still convert that note and delete that gizmo. v2
    refreshes before its outdated-documents search (``REFRESH_SOURCE``); Kibana's ZDT
    waits ``metaPickupSyncDelaySec`` (120 s) first, far longer than a refresh interval;
    our ``zdt_sync_delay`` defaults to 0. The index's refresh interval is raised so that
    the test does not depend on timing."""
    prefix = f"{kbn_index_prefix}-quiet"
    install_release_n(kbn_engine, prefix)
    replica = migrate(
        kbn_engine,
        REGISTRIES["n1"](),
        config=repository_config(prefix, "n1"),
        options=options(zdt_convert_documents=False),
    )
    assert replica.ok, replica.to_dict()
    kbn_engine.perform(rq.put_settings(prefix, {"index": {"refresh_interval": "30s"}}))
    config = dataclasses.replace(repository_config(prefix, "n"), refresh=False)
    repo = SavedObjectsRepository(kbn_engine, REGISTRIES["n"](), config=config)
    repo.create("note", {"title": "late", "body": "", "counter": 1}, id="late")
    repo.create("gizmo", {"name": "late"}, id="late-gizmo")

    run = convert(kbn_engine, prefix)
    assert run.report.ok, run.report.to_dict()
    raw = raw_documents(kbn_engine, prefix)
    assert "gizmo:late-gizmo" not in raw
    assert raw["note:late"]["typeMigrationVersion"] == NOTE_VERSION["n1"], raw["note:late"]
