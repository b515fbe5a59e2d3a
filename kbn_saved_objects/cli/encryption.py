"""``kbn-so encryption rotate-key``: re-encrypt objects left on old keys, from the shell.

What Kibana's ``POST /api/encrypted_saved_objects/_rotate_key`` does, for a service built on
this library: every encryptable object still on a decryption-only key is re-encrypted with
the primary key (:class:`~kbn_saved_objects.extensions.encryption.EncryptionKeyRotation`),
and Kibana's ``{"total", "successful", "failed"}`` is printed as JSON.

Keys never go on the command line (where ``ps`` and shell history would show them): they
come from a JSON file in Kibana's settings shape (``--keys-file``, ``{"encryptionKey": ...,
"keyRotation": {"decryptionOnlyKeys": [...]}}``), or else from ``KBN_SO_ENCRYPTION_KEY``
and ``KBN_SO_DECRYPTION_ONLY_KEYS`` (a JSON array). Which types have encrypted attributes
is declared in code, so ``--encrypted-types`` names an ``EncryptedTypeRegistry`` as
``--registry`` names the type registry.

Exit codes, as the other commands: 0 done, 1 refused (bad keys, nothing to rotate from,
bad options) or some objects failed to be written, 4 engine unreachable. A run that is
interrupted loses nothing: run it again.
"""

from __future__ import annotations

import importlib
import io
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

import click

from kbn_saved_objects.cli._common import URL_HELP, connected_engine, load_registry
from kbn_saved_objects.extensions.encryption import (
    EncryptedTypeRegistry,
    EncryptionKeyRotation,
    EncryptionKeys,
    RotationProgress,
    SavedObjectsEncryptionExtension,
)
from kbn_saved_objects.extensions.encryption.key_rotation import DEFAULT_BATCH_SIZE
from kbn_saved_objects.repository import RepositoryConfig, SavedObjectsRepository
from kbn_saved_objects.repository.config import DEFAULT_INDEX

__all__ = ["ENV_DECRYPTION_ONLY_KEYS", "ENV_ENCRYPTION_KEY", "encryption"]

ENV_ENCRYPTION_KEY = "KBN_SO_ENCRYPTION_KEY"
ENV_DECRYPTION_ONLY_KEYS = "KBN_SO_DECRYPTION_ONLY_KEYS"


def load_encrypted_types(reference: str) -> EncryptedTypeRegistry:
    """``module:attribute`` -> an :class:`EncryptedTypeRegistry` (or a function returning
    one), loaded as ``--registry`` is (the current directory searched first)."""
    module_name, _, attribute = reference.partition(":")
    if not module_name or not attribute:
        raise click.BadParameter("expected module:attribute", param_hint="--encrypted-types")
    if os.getcwd() not in sys.path and "" not in sys.path:
        sys.path.insert(0, os.getcwd())
    importlib.invalidate_caches()
    try:
        value: Any = getattr(importlib.import_module(module_name), attribute)
        if callable(value) and not isinstance(value, EncryptedTypeRegistry):
            value = value()
    except Exception as exc:
        raise click.BadParameter(
            f"cannot load {reference}: {type(exc).__name__}: {exc}",
            param_hint="--encrypted-types",
        ) from exc
    if not isinstance(value, EncryptedTypeRegistry):
        raise click.BadParameter(
            f"{reference} is not an EncryptedTypeRegistry (nor a function returning one)",
            param_hint="--encrypted-types",
        )
    return value


def load_keys(keys_file: Path | None) -> EncryptionKeys:
    """The keys from ``keys_file``, else from the environment."""
    if keys_file is not None:
        try:
            config = json.loads(keys_file.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise click.BadParameter(f"not JSON: {exc}", param_hint="--keys-file") from exc
        if not isinstance(config, dict):
            raise click.BadParameter("must hold a JSON object", param_hint="--keys-file")
        return EncryptionKeys.from_config(config)
    old: Any = []
    raw = os.environ.get(ENV_DECRYPTION_ONLY_KEYS)
    if raw:
        try:
            old = json.loads(raw)
        except ValueError as exc:
            raise click.BadParameter(
                f"{ENV_DECRYPTION_ONLY_KEYS} must hold a JSON array of keys: {exc}"
            ) from exc
    config = {"keyRotation": {"decryptionOnlyKeys": old}}
    primary = os.environ.get(ENV_ENCRYPTION_KEY)
    if primary:
        config["encryptionKey"] = primary
    return EncryptionKeys.from_config(config)


@contextmanager
def _progress_bar(show: bool) -> Iterator[Any]:
    """A callback for each batch that draws a bar once the total is known."""
    sink: TextIO = sys.stderr if show else io.StringIO()
    state: dict[str, Any] = {"bar": None, "done": 0}

    def report(progress: RotationProgress) -> None:
        if state["bar"] is None:
            bar = click.progressbar(
                length=max(progress.result.total, 1), label="re-encrypting", file=sink
            )
            state["bar"] = bar.__enter__()
        step = min(progress.examined, progress.result.total) - state["done"]
        if step > 0:
            state["bar"].update(step)
            state["done"] += step

    try:
        yield report
    finally:
        if state["bar"] is not None:
            state["bar"].__exit__(None, None, None)


@click.group("encryption")
def encryption() -> None:
    """Encrypted attributes (Kibana's encryptedSavedObjects)."""


@encryption.command("rotate-key")
@click.option("--url", default=None, help=URL_HELP)
@click.option(
    "--registry",
    "registry_spec",
    required=True,
    help="module:attribute of a type registry (or a function returning one).",
)
@click.option(
    "--encrypted-types",
    "encrypted_spec",
    required=True,
    help="module:attribute of an EncryptedTypeRegistry (or a function returning one).",
)
@click.option(
    "--keys-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help=(
        'JSON {"encryptionKey": ..., "keyRotation": {"decryptionOnlyKeys": [...]}} '
        f"(default: {ENV_ENCRYPTION_KEY} and {ENV_DECRYPTION_ONLY_KEYS})."
    ),
)
@click.option("--type", "type_name", default=None, help="Only objects of this type.")
@click.option(
    "--batch-size",
    type=int,
    default=DEFAULT_BATCH_SIZE,
    show_default=True,
    help="Objects read and re-encrypted per batch (1..10000).",
)
@click.option(
    "--index", default=DEFAULT_INDEX, show_default=True, help="Default index of the repository."
)
@click.option("--index-suffix", default="", help="Index suffix of the repository config.")
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress on stderr (default: when stderr is a terminal).",
)
def rotate_key_command(
    url: str | None,
    registry_spec: str,
    encrypted_spec: str,
    keys_file: Path | None,
    type_name: str | None,
    batch_size: int,
    index: str,
    index_suffix: str,
    progress: bool | None,
) -> None:
    """Re-encrypt every object still on a decryption-only key with the primary key;
    prints {"total", "successful", "failed"} (exit 1 when some failed)."""
    registry = load_registry(registry_spec)
    encrypted_types = load_encrypted_types(encrypted_spec)
    keys = load_keys(keys_file)
    extension = SavedObjectsEncryptionExtension(registry, encrypted_types, keys)
    try:
        config = RepositoryConfig(default_index=index, index_suffix=index_suffix)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--index") from exc
    show = sys.stderr.isatty() if progress is None else progress
    with connected_engine(url) as engine, _progress_bar(show) as report:
        repository = SavedObjectsRepository(engine, registry, config=config)
        result = EncryptionKeyRotation(repository, extension).rotate(
            batch_size=batch_size, type=type_name, on_batch=report
        )
    click.echo(json.dumps(result.to_dict()))
    if result.failed:
        sys.exit(1)
