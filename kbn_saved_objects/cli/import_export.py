"""``kbn-so export`` and ``kbn-so import``: Kibana-compatible NDJSON files from the shell.

Both commands work on the library's own indices (``--index``, default
``kbn_saved_objects``) with the types of a registry the user names as
``module:attribute`` (a :class:`~kbn_saved_objects.types.SavedObjectTypeRegistry`, or a
function returning one), because what is importable, and how documents migrate, is
declared by the types. The engine is ``--url``, else ``KBN_SO_ENGINE_URL``, else the node
of ``kbn-so engine start`` (:func:`~kbn_saved_objects.cli._common.provide_cli_engine`).

Progress goes to stderr so that ``kbn-so export ... > file.ndjson`` stays clean. ``import``
prints Kibana's response as JSON and exits 1 when it has errors, so scripts can tell.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, TextIO

import click

from kbn_saved_objects.cli._common import (
    URL_HELP,
    connected_engine,
    load_registry,
    saved_objects_click_error,
)
from kbn_saved_objects.errors import SavedObjectsError
from kbn_saved_objects.import_export import (
    DEFAULT_MAX_IMPORT_EXPORT_SIZE,
    SavedObjectsExporter,
    SavedObjectsImporter,
)
from kbn_saved_objects.repository import RepositoryConfig, SavedObjectsRepository
from kbn_saved_objects.repository.config import DEFAULT_INDEX
from kbn_saved_objects.types import SavedObjectTypeRegistry

__all__ = ["export_command", "import_command"]


@contextlib.contextmanager
def open_repository(
    url: str | None, registry: SavedObjectTypeRegistry, index: str, index_suffix: str
) -> Iterator[SavedObjectsRepository]:
    try:
        config = RepositoryConfig(default_index=index, index_suffix=index_suffix)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--index") from exc
    hidden = {t.name for t in registry.get_importable_and_exportable_types() if t.hidden}
    with connected_engine(url) as engine:
        yield SavedObjectsRepository(engine, registry, config=config, include_hidden_types=hidden)


def _common(function: Any) -> Any:
    options = [
        click.option(
            "--url",
            default=None,
            help=URL_HELP,
        ),
        click.option(
            "--registry",
            "registry_spec",
            required=True,
            help="module:attribute of a type registry (or a function returning one).",
        ),
        click.option(
            "--index",
            default=DEFAULT_INDEX,
            show_default=True,
            help="Default index (alias) of the repository.",
        ),
        click.option("--index-suffix", default="", help="Index suffix of the repository config."),
        click.option(
            "--namespace",
            default=None,
            help="Space to read from / write to (default space if omitted).",
        ),
        click.option(
            "--limit",
            type=int,
            default=DEFAULT_MAX_IMPORT_EXPORT_SIZE,
            show_default=True,
            help="maxImportExportSize.",
        ),
        click.option(
            "--progress/--no-progress",
            default=None,
            help="Progress on stderr (default: when stderr is a terminal).",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _progress_file(show: bool) -> TextIO:
    """Where click's progress bar draws: stderr, or a sink when progress is off."""
    return sys.stderr if show else io.StringIO()


def _show_progress(flag: bool | None) -> bool:
    return sys.stderr.isatty() if flag is None else flag


@click.command("export")
@_common
@click.option(
    "--type",
    "types",
    multiple=True,
    help="Export every object of this type ('*': all); repeatable.",
)
@click.option(
    "--object", "objects", multiple=True, metavar="TYPE:ID", help="Export this object; repeatable."
)
@click.option("--search", default=None, help="Simple query string (with --type only).")
@click.option(
    "--deep", "--include-references-deep", "deep", is_flag=True, help="Follow references."
)
@click.option("--exclude-export-details", is_flag=True, help="Leave out the details line.")
@click.option("--include-namespaces", is_flag=True, help="Keep each object's namespaces.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default: stdout).",
)
def export_command(
    url: str | None,
    registry_spec: str,
    index: str,
    index_suffix: str,
    namespace: str | None,
    limit: int,
    progress: bool | None,
    types: tuple[str, ...],
    objects: tuple[str, ...],
    search: str | None,
    deep: bool,
    exclude_export_details: bool,
    include_namespaces: bool,
    output: Path | None,
) -> None:
    """Export saved objects as Kibana's NDJSON (streamed; no trailing newline)."""
    registry = load_registry(registry_spec)
    parsed: list[dict[str, str]] = []
    for item in objects:
        type_name, sep, object_id = item.partition(":")
        if not sep or not type_name or not object_id:
            raise click.BadParameter(f"{item!r} is not TYPE:ID", param_hint="--object")
        parsed.append({"type": type_name, "id": object_id})
    with open_repository(url, registry, index, index_suffix) as repository:
        exporter = SavedObjectsExporter(repository, export_size_limit=limit, pause_gc=True)
        common: dict[str, Any] = {
            "include_references_deep": deep,
            "exclude_export_details": exclude_export_details,
            "include_namespaces": include_namespaces,
            "namespace": namespace,
        }
        try:
            if parsed:
                if types or search:
                    raise click.UsageError("--object cannot be combined with --type or --search")
                lines = exporter.export_by_objects(parsed, **common)
            else:
                lines = exporter.export_by_types(list(types), search=search, **common)
            sink: IO[bytes]
            with (
                open(output, "wb") if output else contextlib.nullcontext(sys.stdout.buffer)
            ) as sink:
                written = _write_lines(lines, sink, _show_progress(progress))
        except SavedObjectsError as exc:
            raise saved_objects_click_error(exc) from exc
    if output is not None:
        click.echo(f"exported {written} lines to {output}", err=True)


def _write_lines(lines: Iterator[str], sink: IO[bytes], progress: bool) -> int:
    count = 0
    with click.progressbar(
        lines,
        label="exporting",
        file=_progress_file(progress),
        show_pos=True,
    ) as bar:
        for line in bar:
            if count:
                sink.write(b"\n")
            sink.write(line.encode("utf-8"))
            count += 1
    return count


@click.command("import")
@_common
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--overwrite", is_flag=True, help="Overwrite conflicting objects.")
@click.option(
    "--create-new-copies", is_flag=True, help="New ids for every object; never conflicts."
)
@click.option(
    "--compatibility-mode", is_flag=True, help="Also create legacy URL aliases for re-ided objects."
)
@click.option(
    "--retries",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="JSON file with a retries array: run resolve_import_errors instead.",
)
def import_command(
    url: str | None,
    registry_spec: str,
    index: str,
    index_suffix: str,
    namespace: str | None,
    limit: int,
    progress: bool | None,
    file: Path,
    overwrite: bool,
    create_new_copies: bool,
    compatibility_mode: bool,
    retries: Path | None,
) -> None:
    """Import an NDJSON file; prints Kibana's response as JSON (exit 1 on errors)."""
    registry = load_registry(registry_spec)
    if file.suffix.lower() != ".ndjson":
        raise click.BadParameter(f"Invalid file extension {file.suffix}", param_hint="FILE")
    retry_list: list[Any] | None = None
    if retries is not None:
        try:
            retry_list = json.loads(retries.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise click.BadParameter(f"not JSON: {exc}", param_hint="--retries") from exc
        if not isinstance(retry_list, list):
            raise click.BadParameter("must hold a JSON array", param_hint="--retries")
        if overwrite:
            raise click.UsageError("--overwrite is per retry with --retries")
    size = file.stat().st_size
    with open_repository(url, registry, index, index_suffix) as repository:
        importer = SavedObjectsImporter(repository, import_size_limit=limit, pause_gc=True)
        with (
            file.open("rb") as handle,
            click.progressbar(
                length=size,
                label="reading",
                file=_progress_file(_show_progress(progress)),
            ) as bar,
        ):

            def lines() -> Iterator[bytes]:
                for line in handle:
                    bar.update(len(line))
                    yield line

            try:
                if retry_list is not None:
                    result = importer.resolve_import_errors(
                        lines(),
                        retry_list,
                        create_new_copies=create_new_copies,
                        compatibility_mode=compatibility_mode,
                        namespace=namespace,
                    )
                else:
                    result = importer.import_(
                        lines(),
                        overwrite=overwrite,
                        create_new_copies=create_new_copies,
                        compatibility_mode=compatibility_mode,
                        namespace=namespace,
                    )
            except SavedObjectsError as exc:
                raise saved_objects_click_error(exc) from exc
    # a lone surrogate (an id or title of a refused object) is written as its JSON escape
    text = json.dumps(result, indent=2, ensure_ascii=False)
    click.echo(text.encode("utf-8", "backslashreplace"))
    if not result["success"]:
        sys.exit(1)
