"""``kbn-so encryption rotate-key`` as a user runs it: keys from a file or the
environment, Kibana's summary, exit codes, and a run killed with SIGKILL then resumed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kbn_saved_objects.cli import main
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.extensions.encryption import (
    ROTATION_NOT_CONFIGURED,
    EncryptionKeyRotation,
)
from kbn_saved_objects.repository import RepositoryConfig, SavedObjectsRepository
from tests._paths import REPO_ROOT
from tests.extensions.encryption._sync.test_key_rotation import on_old_keys, seed
from tests.extensions.encryption.conftest import (
    HIDDEN,
    MULTIPLE,
    NEW_KEY,
    OLD_KEY_A,
    OLD_KEY_B,
    SINGLE,
    make_extension,
)

pytestmark = pytest.mark.engine

CONFTEST = "tests.extensions.encryption.conftest"
KEYS = {"encryptionKey": NEW_KEY, "keyRotation": {"decryptionOnlyKeys": [OLD_KEY_A, OLD_KEY_B]}}


@pytest.fixture
def keys_file(tmp_path: Path) -> Path:
    path = tmp_path / "keys.json"
    path.write_text(json.dumps(KEYS))
    return path


def arguments(url: str, config: RepositoryConfig, *extra: str) -> list[str]:
    return [
        "encryption",
        "rotate-key",
        "--url",
        url,
        "--registry",
        f"{CONFTEST}:build_type_registry",
        "--encrypted-types",
        f"{CONFTEST}:build_encrypted_types",
        "--index",
        config.default_index,
        "--index-suffix",
        config.index_suffix,
        *extra,
    ]


def run(args: list[str], env: dict[str, str] | None = None) -> Result:
    clean = {"KBN_SO_ENCRYPTION_KEY": None, "KBN_SO_DECRYPTION_ONLY_KEYS": None}
    return CliRunner().invoke(main, args, env={**clean, **(env or {})}, catch_exceptions=False)


def test_rotates_with_a_keys_file(
    repository: SavedObjectsRepository,
    so_config: RepositoryConfig,
    kbn_engine_url: str,
    keys_file: Path,
) -> None:
    seed(repository, make_extension(OLD_KEY_A), SINGLE, 2, namespaces=("sales",))
    seed(repository, make_extension(OLD_KEY_B), HIDDEN, 1)
    seed(repository, make_extension(NEW_KEY), MULTIPLE, 1)
    result = run(
        arguments(kbn_engine_url, so_config, "--keys-file", str(keys_file), "--batch-size", "2")
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"total": 4, "successful": 3, "failed": 0}
    assert on_old_keys(repository) == []


def test_keys_from_the_environment_and_one_type(
    repository: SavedObjectsRepository, so_config: RepositoryConfig, kbn_engine_url: str
) -> None:
    seed(repository, make_extension(OLD_KEY_A), SINGLE)
    seed(repository, make_extension(OLD_KEY_A), MULTIPLE)
    env = {
        "KBN_SO_ENCRYPTION_KEY": NEW_KEY,
        "KBN_SO_DECRYPTION_ONLY_KEYS": json.dumps([OLD_KEY_A]),
    }
    result = run(arguments(kbn_engine_url, so_config, "--type", MULTIPLE, "--progress"), env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"total": 1, "successful": 1, "failed": 0}
    assert "re-encrypting" in result.stderr
    assert [o.type for o in on_old_keys(repository)] == [SINGLE]


def test_failed_objects_exit_1(
    repository: SavedObjectsRepository,
    so_config: RepositoryConfig,
    kbn_engine_url: str,
    keys_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed(repository, make_extension(OLD_KEY_A), SINGLE, 2)
    monkeypatch.setattr(EncryptionKeyRotation, "_write", lambda self, repo, updates, batch: 0)
    result = run(arguments(kbn_engine_url, so_config, "--keys-file", str(keys_file)))
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"total": 2, "successful": 0, "failed": 2}


@pytest.mark.parametrize(
    ("keys", "env", "message"),
    [
        ({"encryptionKey": NEW_KEY}, {}, ROTATION_NOT_CONFIGURED),
        (
            {"encryptionKey": "short"},
            {},
            "[encryptionKey]: value has length [5] but it must have a minimum length of [32].",
        ),
        (
            None,
            {"KBN_SO_ENCRYPTION_KEY": NEW_KEY, "KBN_SO_DECRYPTION_ONLY_KEYS": NEW_KEY},
            "KBN_SO_DECRYPTION_ONLY_KEYS must hold a JSON array of keys",
        ),
        (None, {"KBN_SO_ENCRYPTION_KEY": NEW_KEY}, ROTATION_NOT_CONFIGURED),
    ],
    ids=["no-old-keys", "short-key", "env-not-json", "env-no-old-keys"],
)
def test_refused_keys(
    repository: SavedObjectsRepository,
    so_config: RepositoryConfig,
    kbn_engine_url: str,
    tmp_path: Path,
    keys: dict[str, object] | None,
    env: dict[str, str],
    message: str,
) -> None:
    extra: list[str] = []
    if keys is not None:
        path = tmp_path / "keys.json"
        path.write_text(json.dumps(keys))
        extra = ["--keys-file", str(path)]
    result = run(arguments(kbn_engine_url, so_config, *extra), env)
    assert result.exit_code in (1, 2)
    assert message in result.output


def test_bad_options(
    so_config: RepositoryConfig, kbn_engine_url: str, keys_file: Path, tmp_path: Path
) -> None:
    result = run(
        arguments(kbn_engine_url, so_config, "--keys-file", str(keys_file), "--batch-size", "0")
    )
    assert result.exit_code == 1
    assert "Value must be equal to or greater than [1]." in result.output
    args = arguments(kbn_engine_url, so_config, "--keys-file", str(keys_file))
    args[args.index("--encrypted-types") + 1] = f"{CONFTEST}:build_type_registry"
    result = run(args)
    assert result.exit_code == 2
    assert "is not an EncryptedTypeRegistry" in result.output
    args[args.index("--encrypted-types") + 1] = "no_colon"
    assert run(args).exit_code == 2
    args[args.index("--encrypted-types") + 1] = "no_such_module_here:x"
    assert "cannot load" in run(args).output
    not_json = tmp_path / "bad.json"
    not_json.write_text("[")
    result = run(arguments(kbn_engine_url, so_config, "--keys-file", str(not_json)))
    assert result.exit_code == 2
    assert "not JSON" in result.output
    not_object = tmp_path / "list.json"
    not_object.write_text("[]")
    result = run(arguments(kbn_engine_url, so_config, "--keys-file", str(not_object)))
    assert "must hold a JSON object" in result.output


def test_an_unreachable_engine_exits_4(so_config: RepositoryConfig, keys_file: Path) -> None:
    result = run(arguments("http://127.0.0.1:9", so_config, "--keys-file", str(keys_file)))
    assert result.exit_code == 4


def test_a_rotation_killed_with_sigkill_finishes_on_the_next_run(
    repository: SavedObjectsRepository,
    so_config: RepositoryConfig,
    kbn_engine_url: str,
    keys_file: Path,
) -> None:
    seed(repository, make_extension(OLD_KEY_A), SINGLE, 6, namespaces=("sales",))
    seed(repository, make_extension(OLD_KEY_B), MULTIPLE, 6, namespaces=("sales", "ops"))
    args = arguments(kbn_engine_url, so_config, "--keys-file", str(keys_file), "--batch-size", "1")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    env.pop("KBN_SO_ENCRYPTION_KEY", None)
    process = subprocess.Popen(
        [sys.executable, "-c", "from kbn_saved_objects.cli import main; main()", *args],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while len(on_old_keys(repository)) > 9 and time.monotonic() < deadline:
            assert process.poll() is None, "the rotation ended before it could be killed"
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    time.sleep(0.2)  # a write the engine had already received still lands
    repository.engine.perform(rq.refresh(f"{so_config.default_index}*"))  # and is counted
    remaining = len(on_old_keys(repository))
    assert 0 < remaining < 12
    result = run(arguments(kbn_engine_url, so_config, "--keys-file", str(keys_file)))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"total": 12, "successful": remaining, "failed": 0}
    assert on_old_keys(repository) == []
