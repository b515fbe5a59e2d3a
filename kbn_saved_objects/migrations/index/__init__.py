"""The index migrator: Kibana's v2 migration algorithm as a state machine.

:mod:`.state` holds the immutable state, :mod:`.model` the pure transitions,
:mod:`.actions` the engine calls, :mod:`.readahead` what the loops may read early,
:mod:`.exclude_hooks` the types' ``exclude_on_upgrade`` hooks, :mod:`.options` and
:mod:`.report` what a run is given and produces, :mod:`.inspection` the read-only check,
and ``_async/driver`` the loops (the sync ``_sync/driver`` is generated from it, with
:mod:`kbn_saved_objects._tasks` the only flavor-specific code).
docs/index-migrations.md explains the paths and the guarantees.
"""

from kbn_saved_objects.migrations.index._async.driver import check_async, migrate_async
from kbn_saved_objects.migrations.index._sync.driver import check, migrate
from kbn_saved_objects.migrations.index.exclude_hooks import ExcludeOnUpgradeContext
from kbn_saved_objects.migrations.index.inspection import IndexCheck
from kbn_saved_objects.migrations.index.options import MigrationOptions
from kbn_saved_objects.migrations.index.report import (
    IndexMigrationResult,
    MigrationFailedError,
    MigrationReport,
)
from kbn_saved_objects.migrations.index.state import ControlState, State

__all__ = [
    "ControlState",
    "ExcludeOnUpgradeContext",
    "IndexCheck",
    "IndexMigrationResult",
    "MigrationFailedError",
    "MigrationOptions",
    "MigrationReport",
    "State",
    "check",
    "check_async",
    "migrate",
    "migrate_async",
]
