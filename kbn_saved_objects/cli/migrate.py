"""``kbn-so migrate``: run, check or inspect index migrations from the command line.

    kbn-so migrate --registry myapp.types:registry [--dry-run] [--batch-size N] [--json]
    kbn-so migrate check  --registry myapp.types:registry   # exit 3 when outdated
    kbn-so migrate status --registry myapp.types:registry

Output is one plain ``key=value`` line per state transition (or one JSON object per line
with ``--json``) so logs stay greppable; on a terminal a progress bar follows the document
loops instead. Exit codes: 0 done / up to date, 1 a migration failed, 2 bad usage,
3 ``check`` found work to do, 4 the engine could not be reached or answered an error.

The engine is ``--url``, else ``KBN_SO_ENGINE_URL``, else the node recorded by
``kbn-so engine start`` (:func:`~kbn_saved_objects.cli._common.provide_cli_engine`, the
order every command follows); the registry is loaded by
:func:`~kbn_saved_objects.cli._common.load_registry`, as for ``import`` and ``export``.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any, Literal, TypeVar

import click

from kbn_saved_objects.cli._common import (
    EXIT_ENGINE,
    URL_HELP,
    connected_engine,
    load_registry,
)
from kbn_saved_objects.errors import SavedObjectsError
from kbn_saved_objects.migrations.index import (
    IndexCheck,
    MigrationOptions,
    MigrationReport,
    State,
    check,
    migrate,
)
from kbn_saved_objects.repository.config import DEFAULT_INDEX, RepositoryConfig
from kbn_saved_objects.types import SavedObjectTypeRegistry

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_OUTDATED = 3

F = TypeVar("F", bound=Callable[..., Any])

_LOOP_STATES = {
    "OUTDATED_DOCUMENTS_SEARCH_READ",
    "OUTDATED_DOCUMENTS_TRANSFORM",
    "TRANSFORMED_DOCUMENTS_BULK_INDEX",
    "REINDEX_SOURCE_TO_TEMP_READ",
    "REINDEX_SOURCE_TO_TEMP_TRANSFORM",
    "REINDEX_SOURCE_TO_TEMP_INDEX_BULK",
}


def _common(func: F) -> F:
    options = [
        click.option(
            "--registry",
            "registry_ref",
            required=True,
            help="module:attr of a SavedObjectTypeRegistry (or a function returning one).",
        ),
        click.option(
            "--url",
            default=None,
            help=URL_HELP,
        ),
        click.option("--index", "index", default=DEFAULT_INDEX, show_default=True),
        click.option("--version", "version", default=None, help="Target version (X.Y.Z)."),
        click.option("--allow-kibana-indices", is_flag=True, default=False),
        click.option("--json", "as_json", is_flag=True, default=False, help="JSON lines output."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _setup(
    registry_ref: str, index: str, version: str | None, allow_kibana_indices: bool
) -> tuple[SavedObjectTypeRegistry, RepositoryConfig]:
    registry = load_registry(registry_ref)
    try:
        config = RepositoryConfig(
            default_index=index,
            index_suffix=f"_{version}" if version else "",
            allow_kibana_indices=allow_kibana_indices,
        )
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--index") from exc
    return registry, config


class _Printer:
    """Transition lines, or a progress bar over the document loops on a terminal."""

    def __init__(self, as_json: bool, tty: bool) -> None:
        self.as_json = as_json
        self.tty = tty and not as_json
        self.bar: Any = None
        self.shown = 0
        self.started = time.monotonic()

    def _rate(self, processed: int | None) -> str | None:
        elapsed = time.monotonic() - self.started
        if processed is None or elapsed <= 0:
            return None
        return f"{processed / elapsed:,.0f} docs/s"

    def __call__(self, old: State, new: State, took: float) -> None:
        if self.as_json:
            click.echo(
                json.dumps(
                    {
                        "event": "transition",
                        "index": new.prefix,
                        "from": str(old.control_state),
                        "to": str(new.control_state),
                        "tookMs": round(took),
                        "processed": new.processed,
                        "total": new.total,
                    }
                )
            )
            return
        if self.tty and str(new.control_state) in _LOOP_STATES and new.total:
            if self.bar is None:
                # click's bar: done/total (show_pos), ETA, and the rate as the "item" text
                self.started = time.monotonic()
                self.bar = click.progressbar(
                    length=new.total,
                    label=f"{new.prefix} documents",
                    show_pos=True,
                    show_eta=True,
                    item_show_func=self._rate,
                )
                self.bar.__enter__()
                self.shown = 0
            self.bar.update(new.processed - self.shown, current_item=new.processed)
            self.shown = new.processed
            return
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
        line = (
            f"index={new.prefix} from={old.control_state} to={new.control_state} took_ms={took:.0f}"
        )
        if new.total is not None:
            line += f" processed={new.processed} total={new.total}"
        click.echo(line)
        for entry in new.logs:
            if entry.level in ("warning", "error"):
                click.echo(f"index={new.prefix} level={entry.level} {entry.message}", err=True)


def _print_report(report: MigrationReport, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps({"event": "report", **report.to_dict()}))
        return
    for result in report.results:
        line = (
            f"index={result.prefix} status={result.status} kind={result.kind} "
            f"dest={result.dest_index} processed={result.processed} written={result.written} "
            f"discarded={result.discarded} elapsed_ms={result.elapsed_ms} "
            f"docs_per_s={result.docs_per_s:.0f}"
        )
        click.echo(line)
        for item in result.types:
            click.echo(
                f"index={result.prefix} type={item.name} total={item.total} "
                f"migrated={item.migrated} unchanged={item.unchanged} discarded={item.discarded}"
            )
        if result.reason:
            click.echo(f"index={result.prefix} reason: {result.reason}", err=True)
    click.echo(f"result={'ok' if report.ok else 'failed'} elapsed_ms={report.elapsed_ms}")


def _plan(item: IndexCheck, algorithm: str = "v2") -> str:
    zdt = algorithm == "zdt"
    if item.current_index is None:
        created = f"{item.prefix}_1" if zdt else f"{item.prefix}_{item.version}_001"
        return f"fresh install: create {created} and its aliases"
    if item.up_to_date:
        return "nothing to do"
    steps = []
    if item.unknown_documents:
        verb = "are deleted" if zdt else "block it"
        steps.append(f"{len(item.unknown_documents)}+ documents of unknown types {verb}")
    if item.mappings != "match":
        changed = f" ({', '.join(item.changed_types)})" if item.changed_types else ""
        where = (
            "in place (refused if a field's type changed: zero downtime never reindexes)"
            if zdt
            else f"in place if the engine accepts them, else reindex into "
            f"{item.prefix}_{item.version}_001"
        )
        steps.append(f"update mappings [{item.mappings}]{changed}: {where}")
    if item.outdated_documents:
        steps.append(f"transform {item.outdated_documents} outdated documents")
    if not item.version_alias_done:
        steps.append(f"add alias {item.prefix}_{item.version}")
    return "; ".join(steps)


def _print_checks(
    checks: list[IndexCheck], as_json: bool, *, plan: bool, algorithm: str = "v2"
) -> None:
    for item in checks:
        if as_json:
            entry = {"event": "check", **item.to_dict(), "plan": _plan(item, algorithm)}
            click.echo(json.dumps(entry))
            continue
        click.echo(
            f"index={item.prefix} current={item.current_index} version={item.version} "
            f"up_to_date={str(item.up_to_date).lower()} mappings={item.mappings} "
            f"outdated={item.outdated_documents} unknown={len(item.unknown_documents)} "
            f"documents={item.documents} aliases={','.join(item.aliases) or '-'} "
            f"write_blocked={str(item.write_blocked).lower()}"
        )
        if plan:
            click.echo(f"index={item.prefix} plan: {_plan(item, algorithm)}")


@click.group("migrate", invoke_without_command=True)
@click.option("--registry", "registry_ref", default=None, help="module:attr of the type registry.")
@click.option(
    "--url",
    default=None,
    help=URL_HELP,
)
@click.option(
    "--index", "index", default=DEFAULT_INDEX, show_default=True, help="Main index alias."
)
@click.option("--version", "version", default=None, help="Target version (X.Y.Z).")
@click.option("--allow-kibana-indices", is_flag=True, default=False)
@click.option("--dry-run", is_flag=True, default=False, help="Only say what would be done.")
@click.option("--batch-size", type=click.IntRange(min=1), default=1000, show_default=True)
@click.option(
    "--max-batch-bytes", type=click.IntRange(min=1024), default=100 * 1024 * 1024, show_default=True
)
@click.option(
    "--max-read-batch-bytes",
    type=click.IntRange(min=1024),
    default=512 * 1024 * 1024,
    show_default=True,
)
@click.option("--retry-attempts", type=click.IntRange(min=0), default=15, show_default=True)
@click.option(
    "--retry-timeout",
    type=click.FloatRange(min=0),
    default=300.0,
    show_default=True,
    help="Seconds a failing step may keep retrying before the run fails.",
)
@click.option("--discard-unknown-objects", is_flag=True, default=False)
@click.option("--discard-corrupt-objects", is_flag=True, default=False)
@click.option(
    "--algorithm",
    type=click.Choice(["v2", "zdt"]),
    default="v2",
    show_default=True,
    help="v2 (every replica stopped; reindexes when mappings demand it) or zdt (zero "
    "downtime: additive mappings only, documents converted while replicas serve).",
)
@click.option(
    "--convert-documents/--no-convert-documents",
    default=True,
    show_default=True,
    help="zdt: run the document-conversion phase (the migrator job's role).",
)
@click.option(
    "--zdt-sync-delay",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    help="zdt: seconds to wait after each migrationState change in _meta.",
)
@click.option("--json", "as_json", is_flag=True, default=False, help="JSON lines output.")
@click.pass_context
def migrate_command(
    ctx: click.Context,
    registry_ref: str | None,
    url: str | None,
    index: str,
    version: str | None,
    allow_kibana_indices: bool,
    dry_run: bool,
    batch_size: int,
    max_batch_bytes: int,
    max_read_batch_bytes: int,
    retry_attempts: int,
    retry_timeout: float,
    discard_unknown_objects: bool,
    discard_corrupt_objects: bool,
    algorithm: Literal["v2", "zdt"],
    convert_documents: bool,
    zdt_sync_delay: float,
    as_json: bool,
) -> None:
    """Migrate the saved-object indices of a type registry (Kibana's v2 or zero-downtime
    algorithm)."""
    if ctx.invoked_subcommand is not None:
        return
    if registry_ref is None:
        raise click.UsageError("--registry is required")
    registry, config = _setup(registry_ref, index, version, allow_kibana_indices)
    options = MigrationOptions(
        version=version,
        batch_size=batch_size,
        max_batch_bytes=max_batch_bytes,
        max_read_batch_bytes=max_read_batch_bytes,
        retry_attempts=retry_attempts,
        retry_timeout=retry_timeout,
        discard_unknown_objects=discard_unknown_objects,
        discard_corrupt_objects=discard_corrupt_objects,
        algorithm=algorithm,
        zdt_convert_documents=convert_documents,
        zdt_sync_delay=zdt_sync_delay,
        pause_gc=True,  # a one-off process: the collector's pause harms no one else
    )
    with connected_engine(url) as engine:
        try:
            if dry_run:
                checks = check(engine, registry, config=config, options=options)
                _print_checks(checks, as_json, plan=True, algorithm=algorithm)
                return
            report = migrate(
                engine,
                registry,
                config=config,
                options=options,
                on_transition=_Printer(as_json, sys.stdout.isatty()),
                raise_on_failure=False,
            )
        except ValueError as exc:
            raise click.UsageError(str(exc)) from exc
        except SavedObjectsError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_ENGINE)
    _print_report(report, as_json)
    sys.exit(EXIT_OK if report.ok else EXIT_FAILED)


def _read_only(
    registry_ref: str, url: str | None, index: str, version: str | None, allow: bool
) -> list[IndexCheck]:
    registry, config = _setup(registry_ref, index, version, allow)
    with connected_engine(url) as engine:
        try:
            return check(engine, registry, config=config, options=MigrationOptions(version=version))
        except ValueError as exc:
            raise click.UsageError(str(exc)) from exc
        except SavedObjectsError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_ENGINE)


@migrate_command.command("check")
@_common
def check_command(
    registry_ref: str,
    url: str | None,
    index: str,
    version: str | None,
    allow_kibana_indices: bool,
    as_json: bool,
) -> None:
    """Exit 3 when mappings or documents are outdated (or an index is missing); writes nothing."""
    checks = _read_only(registry_ref, url, index, version, allow_kibana_indices)
    _print_checks(checks, as_json, plan=True)
    sys.exit(EXIT_OK if all(item.up_to_date for item in checks) else EXIT_OUTDATED)


@migrate_command.command("status")
@_common
def status_command(
    registry_ref: str,
    url: str | None,
    index: str,
    version: str | None,
    allow_kibana_indices: bool,
    as_json: bool,
) -> None:
    """Which index each alias points to, its aliases, documents and write block."""
    checks = _read_only(registry_ref, url, index, version, allow_kibana_indices)
    for item in checks:
        if as_json:
            click.echo(json.dumps({"event": "status", **item.to_dict()}))
        else:
            click.echo(
                f"index={item.prefix} current={item.current_index} "
                f"aliases={','.join(item.aliases) or '-'} documents={item.documents} "
                f"write_blocked={str(item.write_blocked).lower()} "
                f"other_indices={','.join(item.other_indices) or '-'} "
                f"up_to_date={str(item.up_to_date).lower()}"
            )


__all__ = ["migrate_command"]
