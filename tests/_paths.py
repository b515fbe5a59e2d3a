"""Where the test fixtures live: ``tests/fixtures`` inside the checkout.

The files are real saved objects and raw ``.kibana`` documents published by Kibana and
OpenSearch Dashboards, carried into the repository with their origin
(``tests/fixtures/README.md``) so that a clone stands alone: no test reads anything
outside the checkout.
"""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURES_DIR = REPO_ROOT / "tests" / "fixtures"
KIBANA_FIXTURES = FIXTURES_DIR / "kibana"
OSD_FIXTURES = FIXTURES_DIR / "opensearch-dashboards"


def require_fixtures() -> Path:
    if not FIXTURES_DIR.is_dir():
        raise RuntimeError(f"test fixtures not found at {FIXTURES_DIR}: the checkout is incomplete")
    return FIXTURES_DIR
