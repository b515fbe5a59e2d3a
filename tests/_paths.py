"""Where the shared reference material lives: ``../shared`` beside the checkout.

CI lays a copy of ``shared/`` next to the fresh clone, as on a developer's machine.
``KBN_SO_SHARED_DIR`` overrides the location. A missing folder is an error, never a skip.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = Path(os.environ.get("KBN_SO_SHARED_DIR", REPO_ROOT.parent / "shared")).resolve()
FIXTURES_DIR = SHARED_DIR / "fixtures"
KIBANA_FIXTURES = FIXTURES_DIR / "kibana"
OSD_FIXTURES = FIXTURES_DIR / "opensearch-dashboards"


def require_fixtures() -> Path:
    if not FIXTURES_DIR.is_dir():
        raise RuntimeError(
            f"shared fixtures not found at {FIXTURES_DIR}: put the project's shared/ folder "
            "beside the checkout or set KBN_SO_SHARED_DIR"
        )
    return FIXTURES_DIR
