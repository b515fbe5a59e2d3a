"""Generate the sync code from its async source (as elasticsearch-py and -dsl do).

Every ``_async/`` folder in the package has a ``_sync/`` twin that is *generated*, never
edited. ``--check`` regenerates into a temporary folder and fails on any difference, so a
stale twin breaks the test command.

    python tests/codegen/run_unasync.py          # rewrite the _sync folders
    python tests/codegen/run_unasync.py --check  # fail if they are stale
"""

from __future__ import annotations

import argparse
import difflib
import subprocess
import sys
import tempfile
from pathlib import Path

import unasync

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "kbn_saved_objects"

REPLACEMENTS = {
    "_async": "_sync",
    "AsyncElasticsearch": "Elasticsearch",
    "AsyncOpenSearch": "OpenSearch",
    "AsyncEngine": "Engine",
    "AsyncAdapter": "Adapter",
    "AsyncElasticsearchAdapter": "ElasticsearchAdapter",
    "AsyncOpenSearchAdapter": "OpenSearchAdapter",
    "AsyncSavedObjectsRepository": "SavedObjectsRepository",
    "AsyncSavedObjectsClient": "SavedObjectsClient",
    "AsyncSavedObjectsService": "SavedObjectsService",
    "AsyncSavedObjectsServiceStart": "SavedObjectsServiceStart",
    "AsyncSpacesClient": "SpacesClient",
    "async_so_start": "so_start",
    "async_spaces_client": "spaces_client",
    "AsyncPointInTimeFinder": "PointInTimeFinder",
    "AsyncIterator": "Iterator",
    "AsyncIterable": "Iterable",
    "asyncio": "time",
    "aclose": "close",
    "anext": "next",
    "kbn_async_engine": "kbn_engine",
    "async_repository": "repository",
    "AsyncTasks": "Tasks",
    "AsyncReadAhead": "ReadAhead",
    "run_state_machine_async": "run_state_machine",
    "migrate_async": "migrate",
    "check_async": "check",
    "AsyncEncryptionKeyRotation": "EncryptionKeyRotation",
    "AsyncEncryptedSavedObjectsClient": "EncryptedSavedObjectsClient",
}

HEADER = "# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.\n"


def async_dirs() -> list[Path]:
    found = [p for root in (PACKAGE, ROOT / "tests") for p in root.rglob("_async")]
    return sorted(p for p in found if p.is_dir())


def generate(target_root: Path | None = None) -> list[tuple[Path, Path]]:
    """Write each ``_sync`` twin; return (generated file, its final location) pairs."""
    pairs: list[tuple[Path, Path]] = []
    for source_dir in async_dirs():
        final_dir = source_dir.parent / "_sync"
        out_dir = final_dir if target_root is None else target_root / final_dir.relative_to(ROOT)
        rule = unasync.Rule(
            fromdir=str(source_dir) + "/",
            todir=str(out_dir) + "/",
            additional_replacements=REPLACEMENTS,
        )
        files = [str(p) for p in sorted(source_dir.rglob("*.py"))]
        unasync.unasync_files(files, [rule])
        for path in sorted(out_dir.rglob("*.py")):
            text = path.read_text()
            if not text.startswith(HEADER):
                path.write_text(HEADER + text)
            pairs.append((path, final_dir / path.relative_to(out_dir)))
    generated = [p for p, _ in pairs]
    if generated:
        subprocess.run(
            [sys.executable, "-m", "ruff", "format", "--quiet", *map(str, generated)], check=True
        )
        subprocess.run(
            [
                sys.executable,
                "-m",
                "ruff",
                "check",
                "--fix",
                "--quiet",
                "--select",
                "I,F401",
                *map(str, generated),
            ],
            check=False,
        )
    return pairs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the _sync code is stale")
    args = parser.parse_args()
    if not args.check:
        generate()
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        stale = []
        for generated, final in generate(Path(tmp)):
            want = generated.read_text()
            have = final.read_text() if final.exists() else ""
            if want != have:
                stale.append(final)
                sys.stdout.writelines(
                    difflib.unified_diff(
                        have.splitlines(True), want.splitlines(True), str(final), "generated"
                    )
                )
    if stale:
        print(f"stale generated sync code: {', '.join(map(str, stale))}")
        print("run: make unasync")
        return 1
    print("generated sync code is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
