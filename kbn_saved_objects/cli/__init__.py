"""The ``kbn-so`` command line.

Built with click (a well-kept CLI framework) so that sub-commands, help texts and exit
codes behave as users of other tools expect. A user never sees a Python traceback for a
problem of their input or their engine: the top-level group turns those into one-line
errors (exit 1, or 4 when the engine did not answer); only a bug keeps its traceback.
"""

from __future__ import annotations

import io
import os
import sys
from typing import Any

import click

from kbn_saved_objects import __version__
from kbn_saved_objects.cli._common import click_error_for
from kbn_saved_objects.cli.bench import bench_command
from kbn_saved_objects.cli.copy import copy_to_space_command
from kbn_saved_objects.cli.demo import demo
from kbn_saved_objects.cli.encryption import encryption
from kbn_saved_objects.cli.engine import engine
from kbn_saved_objects.cli.import_export import export_command, import_command
from kbn_saved_objects.cli.migrate import migrate_command
from kbn_saved_objects.cli.serve import serve_command
from kbn_saved_objects.cli.types import types_command


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush into a closed pipe
    does not print an error of its own."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):  # not a real file (tests)
        pass


class _Commands(click.Group):
    """The ``kbn-so`` group: sub-commands run inside one handler for known problems."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.ClickException:
            raise
        except BrokenPipeError:
            _quiet_stdout()  # `kbn-so export | head`: the reader left, nothing to report
            ctx.exit(1)
        except Exception as exc:
            error = click_error_for(exc)
            if error is None:
                raise
            raise error from exc


@click.group(cls=_Commands)
@click.version_option(__version__, prog_name="kbn-so")
def main() -> None:
    """Saved objects on Elasticsearch and OpenSearch, from the command line."""


main.add_command(engine)
main.add_command(demo)
main.add_command(migrate_command)
main.add_command(export_command)
main.add_command(import_command)
main.add_command(copy_to_space_command)
main.add_command(encryption)
main.add_command(serve_command)
main.add_command(types_command)
main.add_command(bench_command)

__all__ = ["main"]
