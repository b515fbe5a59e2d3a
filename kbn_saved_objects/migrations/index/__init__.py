"""The index migrator: Kibana's v2 migration algorithm as a state machine.

:mod:`.state` holds the immutable state, :mod:`.model` the pure transitions,
:mod:`.actions` the engine calls, :mod:`.readahead` what the loops may read early,
:mod:`.exclude_hooks` the types' ``exclude_on_upgrade`` hooks and :mod:`.runner` the loops
and the public API.
docs/index-migrations.md explains the paths and the guarantees.
"""

from kbn_saved_objects.migrations.index.exclude_hooks import ExcludeOnUpgradeContext
from kbn_saved_objects.migrations.index.runner import (
    IndexCheck,
    IndexMigrationResult,
    MigrationFailedError,
    MigrationOptions,
    MigrationReport,
    check,
    check_async,
    migrate,
    migrate_async,
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
