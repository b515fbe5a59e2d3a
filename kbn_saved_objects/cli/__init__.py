"""The ``kbn-so`` command line.

Built with click (a well-kept CLI framework) so that sub-commands, help texts and exit
codes behave as users of other tools expect.
"""

from __future__ import annotations

import click

from kbn_saved_objects import __version__
from kbn_saved_objects.cli.demo import demo
from kbn_saved_objects.cli.engine import engine
from kbn_saved_objects.cli.import_export import export_command, import_command
from kbn_saved_objects.cli.migrate import migrate_command


@click.group()
@click.version_option(__version__, prog_name="kbn-so")
def main() -> None:
    """Saved objects on Elasticsearch and OpenSearch, from the command line."""


main.add_command(engine)
main.add_command(demo)
main.add_command(migrate_command)
main.add_command(export_command)
main.add_command(import_command)

__all__ = ["main"]
