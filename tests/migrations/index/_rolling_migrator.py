"""The N+1 migrator job of a rolling upgrade, for the kill -9 tests: a ZDT run with the
conversion role that prints each new state and, on reaching the requested one, stops dead
(sleeps) so the parent can SIGKILL it exactly there.

    python -m tests.migrations.index._rolling_migrator URL PREFIX STATE[:N]
"""

from __future__ import annotations

import sys

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.migrations.index import MigrationOptions, migrate
from tests.migrations.index._helpers import pause_at
from tests.migrations.index._rolling_child import repository_config
from tests.migrations.index._rolling_registries import REGISTRIES


def main() -> None:
    url, prefix, stop_at = sys.argv[1:4]
    with Engine.connect(url) as engine:
        migrate(
            engine,
            REGISTRIES["n1"](),
            config=repository_config(prefix, "n1"),
            options=MigrationOptions(algorithm="zdt", batch_size=10, retry_base_delay=0.01),
            on_transition=pause_at(stop_at),
        )
    print("FINISHED", flush=True)


if __name__ == "__main__":
    main()
