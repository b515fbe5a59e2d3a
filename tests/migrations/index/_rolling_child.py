"""One replica of a rolling upgrade: a writer and reader on one release's registry.

    python -m tests.migrations.index._rolling_child URL PREFIX RELEASE SECONDS SEED JOURNAL

``RELEASE`` is ``n`` or ``n1`` (see :mod:`._rolling_registries`). Like a service replica
it first runs the ZDT index state update (``zdt_convert_documents=False``: the conversion
is the migrator job's), prints ``READY``, then until ``JOURNAL.stop`` exists (the parent's
word), for at most ``SECONDS`` and :data:`MAX_STEPS` steps, creates, partially updates
and reads notes -- its own (ids ``<release>-<seed>-<n>``, written by nobody else) and the
seeded ones, of which the first :data:`SHARED` are updated by both replicas -- and, on
N+1, creates tags.

Each acknowledged write is a JSON line of ``JOURNAL`` (flushed at once): ``op``
(``create``/``update``), ``type``, ``id``, the attributes sent and the ``version`` the
engine acknowledged, from which the parent orders the writes to one object. Every read
is checked: the note is at this release's model version and shaped as this release reads
it (N: only the fields it knows; N+1: ``title_length`` matches ``title``), and an own
note holds exactly what this process last wrote. A read that fails or breaks that is a
``read_failure`` line; a write that fails otherwise than by losing a compare-and-set race
(after the repository's retries: a ``conflict`` line, allowed) is a ``write_failure``.
"""

from __future__ import annotations

import json
import random
import sys
import time
import traceback
from pathlib import Path
from typing import IO, Any

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.errors import ConflictError
from kbn_saved_objects.migrations.index import MigrationOptions, migrate
from kbn_saved_objects.repository import RepositoryConfig, SavedObjectsRepository
from kbn_saved_objects.serialization import SavedObject
from tests.migrations.index._rolling_registries import (
    NOTE_VERSION,
    REGISTRIES,
    VERSIONS,
    as_seen_by,
)

SEEDED = 120
"""Notes ``seed-0`` .. ``seed-119`` written by release N before the upgrade."""
SHARED = 8
"""``seed-0`` .. ``seed-7`` are updated by both replicas (their writes race)."""
MAX_STEPS = 5000
PAUSE = 0.002
"""A breath between steps: two CPUs are shared with the engine and the migrator."""


def repository_config(prefix: str, release: str) -> RepositoryConfig:
    # refresh=True: an acknowledged write is searchable at once, as Kibana's default
    # "wait_for" makes it, without waiting up to a second per write.
    return RepositoryConfig(
        default_index=prefix, index_suffix=f"_{VERSIONS[release]}", refresh=True
    )


def seed_attributes(n: int) -> dict[str, Any]:
    return {"title": f"seeded note {n}" + "!" * (n % 7), "body": f"body {n}", "counter": n}


class Replica:
    def __init__(
        self, repo: SavedObjectsRepository, release: str, seed: int, journal: IO[str]
    ) -> None:
        self.repo = repo
        self.release = release
        self.seed = seed
        self.rng = random.Random(seed)
        self.journal = journal
        self.own: dict[str, dict[str, Any]] = {}
        self.tags = 0

    def record(self, op: str, **fields: Any) -> None:
        line = {"t": time.time(), "release": self.release, "op": op, **fields}
        self.journal.write(json.dumps(line) + "\n")
        self.journal.flush()

    # -- writes --------------------------------------------------------------------------

    def title(self) -> str:
        return f"{self.release} title " + "x" * self.rng.randrange(0, 30)

    def partial_change(self) -> dict[str, Any]:
        """A partial update of one field; an N+1 title change also carries ``title_length``
        (the N+1 application keeps its derived field right on its own writes)."""
        field = self.rng.choice(["title", "body", "counter"])
        if field == "title":
            title = self.title()
            change: dict[str, Any] = {"title": title}
            if self.release == "n1":
                change["title_length"] = len(title)
            return change
        if field == "body":
            return {"body": f"{self.release} body {self.rng.randrange(10**6)}"}
        return {"counter": self.rng.randrange(10**6)}

    def create_note(self) -> None:
        object_id = f"{self.release}-{self.seed}-{len(self.own)}"
        attributes = as_seen_by(self.release, {"title": self.title(), "body": "", "counter": 0})
        try:
            created = self.repo.create("note", attributes, id=object_id)
        except Exception:
            self.record("write_failure", type="note", id=object_id, detail=traceback.format_exc())
            return
        self.own[object_id] = attributes
        self.record(
            "create", type="note", id=object_id, attributes=attributes, version=created.version
        )

    def create_tag(self) -> None:
        object_id = f"{self.release}-{self.seed}-tag-{self.tags}"
        attributes = {"name": f"tag {self.tags}"}
        try:
            created = self.repo.create("tag", attributes, id=object_id)
        except Exception:
            self.record("write_failure", type="tag", id=object_id, detail=traceback.format_exc())
            return
        self.tags += 1
        self.record(
            "create", type="tag", id=object_id, attributes=attributes, version=created.version
        )

    def update_note(self, object_id: str) -> None:
        change = self.partial_change()
        try:
            updated = self.repo.update("note", object_id, change)
        except ConflictError as error:
            self.record("conflict", type="note", id=object_id, detail=error.message)
            return
        except Exception:
            self.record("write_failure", type="note", id=object_id, detail=traceback.format_exc())
            return
        if object_id in self.own:
            self.own[object_id] = {**self.own[object_id], **change}
        self.record("update", type="note", id=object_id, attributes=change, version=updated.version)

    # -- reads ---------------------------------------------------------------------------

    def check(self, obj: SavedObject[Any], how: str) -> None:
        """A note as this release must read it, whoever wrote it and whatever its stored
        version; an own note as this process last wrote it."""
        problems = []
        if obj.error is not None:
            problems.append(f"error {obj.error}")
        elif obj.type_migration_version != NOTE_VERSION[self.release]:
            problems.append(f"typeMigrationVersion {obj.type_migration_version}")
        elif not isinstance(obj.attributes, dict) or "title" not in obj.attributes:
            problems.append("no title")
        elif as_seen_by(self.release, obj.attributes) != obj.attributes:
            problems.append("not shaped as this release reads it")
        elif obj.id in self.own and obj.attributes != self.own[obj.id]:
            problems.append(f"not the last write {self.own[obj.id]}")
        if problems:
            self.record(
                "read_failure",
                type="note",
                id=obj.id,
                how=how,
                detail="; ".join(problems),
                attributes=obj.attributes,
            )

    def read(self, how: str, action: Any) -> None:
        try:
            action()
        except Exception:
            self.record("read_failure", how=how, detail=traceback.format_exc())

    def get_own(self) -> None:
        object_id = self.rng.choice(sorted(self.own))
        self.check(self.repo.get("note", object_id), "get")

    def bulk_get(self) -> None:
        ids = [
            self.rng.choice(sorted(self.own)),
            f"seed-{self.rng.randrange(SHARED)}",
            f"seed-{self.rng.randrange(SEEDED)}",
        ]
        answer = self.repo.bulk_get([{"type": "note", "id": i} for i in ids])
        for obj in answer.saved_objects:
            self.check(obj, "bulk_get")

    def find(self) -> None:
        page = self.repo.find(type="note", per_page=20, page=self.rng.randrange(1, 8))
        for obj in page.saved_objects:
            self.check(obj, "find")

    # -- the loop ------------------------------------------------------------------------

    def step(self) -> None:
        if len(self.own) < 3:
            self.create_note()
            return
        roll = self.rng.random()
        if roll < 0.15:
            self.create_note()
        elif roll < 0.2 and self.release == "n1":
            self.create_tag()
        elif roll < 0.4:
            self.update_note(self.rng.choice(sorted(self.own)))
        elif roll < 0.55:
            self.update_note(f"seed-{self.rng.randrange(SHARED)}")
        elif roll < 0.7:
            self.read("get", self.get_own)
        elif roll < 0.85:
            self.read("bulk_get", self.bulk_get)
        else:
            self.read("find", self.find)

    def run(self, seconds: float, stop: Path) -> int:
        deadline = time.monotonic() + seconds
        steps = 0
        while steps < MAX_STEPS and time.monotonic() < deadline and not stop.exists():
            self.step()
            steps += 1
            time.sleep(PAUSE)
        return steps


def main() -> None:
    url, prefix, release, seconds, seed, journal_path = sys.argv[1:7]
    registry = REGISTRIES[release]()
    with Engine.connect(url) as engine, open(journal_path, "a", encoding="utf-8") as journal:
        config = repository_config(prefix, release)
        report = migrate(
            engine,
            registry,
            config=config,
            options=MigrationOptions(
                algorithm="zdt", zdt_convert_documents=False, retry_base_delay=0.01
            ),
            raise_on_failure=False,
        )
        replica = Replica(
            SavedObjectsRepository(engine, registry, config=config), release, int(seed), journal
        )
        if not report.ok:
            replica.record("startup_failure", detail=json.dumps(report.to_dict()))
            print("FAILED", flush=True)
            return
        print("READY", flush=True)
        steps = replica.run(float(seconds), Path(journal_path + ".stop"))
    print(f"DONE {steps}", flush=True)


if __name__ == "__main__":
    main()
