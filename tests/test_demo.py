"""The README's main command, `kbn-so demo`, end to end on the session's engine."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kbn_saved_objects.cli import main
from kbn_saved_objects.engine.discovery import ENV_URL

pytestmark = pytest.mark.engine


def test_demo_prints_what_it_did(kbn_engine_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_URL, kbn_engine_url)
    result = CliRunner().invoke(main, ["demo", "--documents", "40"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "index migrator, fresh install: kbn_so_demo: patched (fresh)" in out
    assert "bulk_create: 40 dashboards in one call" in out
    assert "0 errors" in out
    assert "NotFoundError: Saved object [config/1.0.0] not found" in out
    assert "point-in-time finder over marketing: 40 dashboards" in out
    assert "40 outdated documents" in out
    assert "d1 after the upgrade: layout='grid'" in out
    assert "second run: kbn_so_demo: patched (unnecessary), 0 written" in out
