"""``kbn-so types``: snapshot the registered types and refuse unsafe changes in CI.

    kbn-so types snapshot --registry myapp.types:registry [--file saved-objects-types.json]
    kbn-so types check    --registry myapp.types:registry [--file ...] [--retire TYPE]...
                          [--update [--force]]

``snapshot`` writes the snapshot file (commit it); ``check`` compares the registry with it
(:func:`~kbn_saved_objects.migrations.type_snapshot.check_types_snapshot`) and prints one
``<type>: <rule>: <message>`` line per unsafe change. Exit codes: 0 the types match the
snapshot, 1 unsafe changes (or an unreadable file), 2 bad usage, 3 safe changes that the
snapshot does not record yet (run ``check --update`` and commit the file).

``--update`` rewrites the file only when the change is safe; ``--force`` writes it
despite the violations (they are still printed), for a break the reviewers accepted.
Neither needs an engine.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from kbn_saved_objects.cli._common import load_registry
from kbn_saved_objects.migrations.type_snapshot import (
    check_types_snapshot,
    dump_types_snapshot,
    load_types_snapshot,
    take_types_snapshot,
    types_recorded,
)

DEFAULT_SNAPSHOT_FILE = "saved-objects-types.json"

EXIT_NOT_RECORDED = 3

__all__ = ["DEFAULT_SNAPSHOT_FILE", "types_command"]

_REGISTRY = click.option(
    "--registry",
    "registry_ref",
    required=True,
    help="module:attr of a SavedObjectTypeRegistry (or a function returning one).",
)
_FILE = click.option(
    "--file",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_SNAPSHOT_FILE,
    show_default=True,
    help="The snapshot file.",
)


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise click.ClickException(
            f"no types snapshot at {path}: create it with `kbn-so types snapshot`"
        ) from None
    return load_types_snapshot(text)


def _write(path: Path, snapshot: dict[str, Any], retired: set[str]) -> None:
    """Write ``snapshot`` with ``retired`` added to its retired types: a retired name stays
    retired for good, so the list only grows."""
    snapshot = {**snapshot, "retired_types": sorted({*snapshot["retired_types"], *retired})}
    path.write_text(dump_types_snapshot(snapshot), encoding="utf-8")


@click.group("types")
def types_command() -> None:
    """Snapshot the registered types; refuse unsafe type changes (for CI)."""


@types_command.command("snapshot")
@_REGISTRY
@_FILE
def snapshot_command(registry_ref: str, path: Path) -> None:
    """Write the snapshot of the registry's types (keeps the file's retired types)."""
    registry = load_registry(registry_ref)
    retired = set(_read(path)["retired_types"]) if path.exists() else set()
    _write(path, take_types_snapshot(registry), retired)
    click.echo(f"wrote {path} ({len(registry)} types)")


@types_command.command("check")
@_REGISTRY
@_FILE
@click.option(
    "--retire",
    "retire",
    multiple=True,
    metavar="TYPE",
    help="Accept the removal of this type (recorded in retired_types by --update).",
)
@click.option("--update", is_flag=True, default=False, help="Rewrite the file when safe.")
@click.option(
    "--force", is_flag=True, default=False, help="With --update: write despite violations."
)
def check_command(
    registry_ref: str, path: Path, retire: tuple[str, ...], update: bool, force: bool
) -> None:
    """Exit 1 on unsafe type changes since the snapshot, 3 on safe ones not recorded yet."""
    if force and not update:
        raise click.UsageError("--force only makes sense with --update")
    registry = load_registry(registry_ref)
    registered = sorted(name for name in retire if name in registry)
    if registered:
        raise click.BadParameter(
            f"{', '.join(registered)} is still registered and cannot be retired",
            param_hint="--retire",
        )
    previous = _read(path)
    current = take_types_snapshot(registry)
    violations = check_types_snapshot(previous, current, retired=retire)
    for violation in violations:
        click.echo(str(violation))
    retired = {*previous["retired_types"], *current["retired_types"], *retire}
    recorded = types_recorded(previous, current) and retired == set(previous["retired_types"])
    if update and (force or not violations):
        _write(path, current, retired)
        click.echo(f"updated {path}")
        return
    if violations:
        raise click.ClickException(
            f"{len(violations)} unsafe type change(s) since {path}"
            + ("; nothing written" if update else "")
            + ": fix them or retire removed types (docs/evolving-types.md lists the rules)"
        )
    if not recorded:
        click.echo(
            f"safe type changes not recorded in {path}: run `kbn-so types check --update` "
            "and commit the file",
            err=True,
        )
        sys.exit(EXIT_NOT_RECORDED)
    click.echo(f"types match {path}")
