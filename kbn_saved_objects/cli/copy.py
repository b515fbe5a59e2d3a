"""``kbn-so copy-to-space``: copy saved objects from one space to others, as Kibana's
"Copy to space" does (``POST /api/spaces/_copy_saved_objects``), or retry such a copy
with per-space retries (``_resolve_copy_saved_objects_errors``).

The repository, the engine choice and the shared options are those of ``kbn-so import``
and ``kbn-so export`` (:mod:`kbn_saved_objects.cli.import_export`); ``--namespace`` is the
source space. The answer is printed as JSON, one key per destination space, and the
command exits 1 when any space has errors, so scripts can tell.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from kbn_saved_objects.cli._common import load_registry, saved_objects_click_error
from kbn_saved_objects.cli.import_export import (
    _common,
    _progress_file,
    _show_progress,
    open_repository,
)
from kbn_saved_objects.errors import SavedObjectsError
from kbn_saved_objects.import_export import SavedObjectsCopier

__all__ = ["copy_to_space_command"]


def _parse_objects(objects: tuple[str, ...]) -> list[dict[str, str]]:
    parsed: list[dict[str, str]] = []
    for item in objects:
        type_name, sep, object_id = item.partition(":")
        if not sep or not type_name or not object_id:
            raise click.BadParameter(f"{item!r} is not TYPE:ID", param_hint="--object")
        parsed.append({"type": type_name, "id": object_id})
    return parsed


def _read_retries(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise click.BadParameter(f"not JSON: {exc}", param_hint="--retries") from exc
    if not isinstance(value, dict):
        raise click.BadParameter(
            "must hold a JSON object of retries per space", param_hint="--retries"
        )
    return value


@click.command("copy-to-space")
@_common
@click.option(
    "--object",
    "objects",
    multiple=True,
    required=True,
    metavar="TYPE:ID",
    help="Copy this object; repeatable.",
)
@click.option(
    "--space",
    "spaces",
    multiple=True,
    metavar="SPACE",
    help="Destination space; repeatable (not with --retries).",
)
@click.option("--include-references", is_flag=True, help="Also copy every object they reference.")
@click.option(
    "--overwrite", is_flag=True, help="Overwrite conflicting objects (not with new copies)."
)
@click.option(
    "--create-new-copies/--no-create-new-copies",
    default=None,
    help="New ids, so no conflicts (default: on, unless --overwrite or --compatibility-mode).",
)
@click.option(
    "--compatibility-mode",
    is_flag=True,
    help="Also create legacy URL aliases for re-ided objects (not with new copies).",
)
@click.option(
    "--retries",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help='JSON file {"<space>": [retry, ...]}: resolve the copy errors instead.',
)
def copy_to_space_command(
    url: str | None,
    registry_spec: str,
    index: str,
    index_suffix: str,
    namespace: str | None,
    limit: int,
    progress: bool | None,
    objects: tuple[str, ...],
    spaces: tuple[str, ...],
    include_references: bool,
    overwrite: bool,
    create_new_copies: bool | None,
    compatibility_mode: bool,
    retries: Path | None,
) -> None:
    """Copy objects of the --namespace space to other spaces; prints the answer of each
    space as JSON (exit 1 when any space has errors)."""
    registry = load_registry(registry_spec)
    parsed = _parse_objects(objects)
    new_copies = (
        not (overwrite or compatibility_mode) if create_new_copies is None else create_new_copies
    )
    retry_map: dict[str, Any] | None = None
    if retries is not None:
        if spaces:
            raise click.UsageError("--retries names the spaces; do not add --space")
        if overwrite:
            raise click.UsageError("--overwrite is per retry with --retries")
        retry_map = _read_retries(retries)
        targets = len(retry_map)
    elif not spaces:
        raise click.UsageError("name at least one destination with --space")
    else:
        targets = len(spaces)
    with (
        open_repository(url, registry, index, index_suffix) as repository,
        click.progressbar(
            length=targets, label="copying", file=_progress_file(_show_progress(progress))
        ) as bar,
    ):
        copier = SavedObjectsCopier(repository, import_export_size_limit=limit)
        common: dict[str, Any] = {
            "namespace": namespace,
            "include_references": include_references,
            "create_new_copies": new_copies,
            "compatibility_mode": compatibility_mode,
            "progress": lambda _space: bar.update(1),
        }
        try:
            if retry_map is not None:
                result = copier.resolve_copy_to_spaces_errors(parsed, retry_map, **common)
            else:
                result = copier.copy_to_spaces(parsed, list(spaces), overwrite=overwrite, **common)
        except SavedObjectsError as exc:
            raise saved_objects_click_error(exc) from exc
    text = json.dumps(result, indent=2, ensure_ascii=False)
    click.echo(text.encode("utf-8", "backslashreplace"))
    if not all(answer["success"] for answer in result.values()):
        sys.exit(1)
