"""What a migration run is given: its options and one initial state per index."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kbn_saved_objects.engine.flavors import EngineInfo
from kbn_saved_objects.mappings import EngineCapabilities, build_index_mappings
from kbn_saved_objects.mappings.build import current_virtual_version
from kbn_saved_objects.migrations.document import DocumentMigrator, outdated_documents_clause
from kbn_saved_objects.migrations.document._versions import max_version
from kbn_saved_objects.migrations.index.state import Algorithm, ControlState, State
from kbn_saved_objects.repository.config import RepositoryConfig
from kbn_saved_objects.types import SavedObjectTypeRegistry
from kbn_saved_objects.types._semver import parse_semver


@dataclass(frozen=True)
class MigrationOptions:
    """Kibana's ``migrations.*`` settings that this port honours.

    ``version`` names the target (``<prefix>_<version>_001``, alias ``<prefix>_<version>``);
    by default it is read from ``RepositoryConfig.index_suffix`` (``"_1.2.0"``), then from the
    registry's ``stack_version``. The discard flags are booleans, not Kibana's version
    strings: a CLI run is already a one-off decision for one version.
    """

    version: str | None = None
    batch_size: int = 1000
    max_batch_bytes: int = 100 * 1024 * 1024
    max_read_batch_bytes: int = 512 * 1024 * 1024
    retry_attempts: int = 15
    retry_base_delay: float = 1.0
    retry_timeout: float | None = 300.0
    """How long, in seconds, the run keeps retrying a step the engine keeps failing
    (unreachable, 503, a timeout) before it fails naming the last error; ``None`` leaves only
    ``retry_attempts`` as the bound. Kibana has no such bound: its 15 attempts back off
    2, 4, 8, 16, 32 then 64 s, about 12 minutes of waiting for an engine that is gone. Five
    minutes still rides out an engine restart or a master election (seconds to a minute) and
    tells a user at a terminal within minutes that the engine is down. The time spent in the
    requests themselves is not counted (each is bounded by the client's request timeout)."""
    discard_unknown_objects: bool = False
    discard_corrupt_objects: bool = False
    server_side_copy: bool = True
    """Copy with a sliced ``_reindex`` when no document of the source needs a transform."""
    write_concurrency: int = 2
    """Bulk requests sent at once for one batch (each is indexed on its own write thread)."""
    pause_gc: bool = False
    """Pause Python's cyclic garbage collector during the run (process-wide, so opt-in:
    ``kbn-so migrate`` does it); about a quarter less Python time per document."""
    algorithm: Algorithm = "v2"
    """``"v2"``: Kibana's classic algorithm (a reindex when mappings demand it; every
    replica of the previous release stopped). ``"zdt"``: zero downtime, for rolling
    upgrades (additive mappings only, documents converted in place while old and new
    replicas keep serving); see docs/rolling-upgrades.md."""
    zdt_convert_documents: bool = True
    """ZDT: run the document-conversion phase after the index state update (Kibana gives
    that role to one migrator job, ``migrations.zdt.runOnRoles``). A service's replicas
    that migrate at start-up pass ``False`` and leave conversion to ``kbn-so migrate``."""
    zdt_sync_delay: float = 0.0
    """ZDT: seconds to wait after marking the conversion started and after recording it
    done, so that instances which read ``_meta.migrationState`` see it (Kibana's
    ``metaPickupSyncDelaySec``, 120 s there). This library's repository reads no ``_meta``,
    so nothing needs the wait unless your own instances do."""


def resolve_version(
    registry: SavedObjectTypeRegistry, config: RepositoryConfig, options: MigrationOptions
) -> str:
    candidates = [options.version, config.index_suffix.lstrip("_") or None, registry.stack_version]
    for candidate in candidates:
        if candidate:
            if parse_semver(candidate) is None:
                raise ValueError(f"migration version {candidate!r} is not X.Y.Z")
            return candidate
    raise ValueError(
        "no migration version: pass MigrationOptions(version=...), set "
        "RepositoryConfig.index_suffix to '_<version>' or give the registry a stack_version"
    )


def outdated_query_for(migrator: DocumentMigrator, type_names: Iterable[str]) -> dict[str, Any]:
    """The outdated-documents query restricted to one index's types.

    A type without any transform never makes a document outdated; with no such type at all
    the query is ``match_none`` (an empty ``bool.should`` would match every document).
    """
    type_versions = migrator.migration_versions(include_deferred=False)
    core_versions = migrator.migration_versions(include_deferred=False, kind="core")
    clauses = [
        outdated_documents_clause(
            name, type_version=type_versions.get(name), core_version=core_versions.get(name)
        )
        for name in type_names
        if name in type_versions or name in core_versions
    ]
    return {"bool": {"should": clauses}} if clauses else {"match_none": {}}


def initial_states(
    info: EngineInfo,
    registry: SavedObjectTypeRegistry,
    config: RepositoryConfig,
    options: MigrationOptions,
    migrator: DocumentMigrator,
) -> list[State]:
    version = resolve_version(registry, config, options)
    capabilities = EngineCapabilities(supports_version_field=info.supports_version_field)
    all_mappings = build_index_mappings(
        registry, capabilities=capabilities, main_index=config.default_index
    )
    known = tuple(sorted(t.name for t in registry.get_all_types()))
    latest = migrator.migration_versions(include_deferred=False)
    doc_versions = {
        definition.name: max_version(
            current_virtual_version(definition), latest.get(definition.name)
        )
        or "0.0.0"
        for definition in registry.get_all_types()
    }
    states = []
    for prefix, mappings in all_mappings.items():
        config.check_index_name(prefix)
        type_names = tuple(sorted(mappings["_meta"]["mappingVersions"]))
        states.append(
            State(
                control_state=ControlState.INIT,
                prefix=prefix,
                version=version,
                target_mappings=mappings,
                index_type_names=type_names,
                known_type_names=known,
                removed_type_names=tuple(registry.get_legacy_types()),
                outdated_query=outdated_query_for(migrator, type_names),
                batch_size=options.batch_size,
                max_batch_size=options.batch_size,
                max_batch_bytes=options.max_batch_bytes,
                max_read_batch_bytes=options.max_read_batch_bytes,
                retry_attempts=options.retry_attempts,
                retry_base_delay=options.retry_base_delay,
                retry_timeout=options.retry_timeout,
                discard_unknown_objects=options.discard_unknown_objects,
                discard_corrupt_objects=options.discard_corrupt_objects,
                server_side_copy=options.server_side_copy,
                write_concurrency=max(1, options.write_concurrency),
                algorithm=options.algorithm,
                doc_versions=tuple(sorted((n, doc_versions[n]) for n in type_names)),
                convert_documents=options.zdt_convert_documents,
                sync_delay=options.zdt_sync_delay,
            )
        )
    return states
