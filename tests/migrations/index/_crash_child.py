"""A migrator process for the crash test: it prints each new state and, on reaching the
requested one, stops dead (sleeps) so the parent can SIGKILL it exactly there.

    python -m tests.migrations.index._crash_child URL PREFIX VERSION REGISTRY STATE[:N] BATCH
"""

from __future__ import annotations

import sys

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.migrations.index import MigrationOptions, migrate
from tests.migrations.index import _registries
from tests.migrations.index._helpers import config, pause_at


def main() -> None:
    url, prefix, version, registry_name, stop_at, batch = sys.argv[1:7]
    with Engine.connect(url) as engine:
        migrate(
            engine,
            getattr(_registries, registry_name),
            config=config(prefix, version),
            options=MigrationOptions(batch_size=int(batch), retry_base_delay=0.01),
            on_transition=pause_at(stop_at),
        )
    print("FINISHED", flush=True)


if __name__ == "__main__":
    main()
