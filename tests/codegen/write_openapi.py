"""Write the HTTP API's OpenAPI document to ``docs/openapi.json``.

The document is generated from the routes (:func:`kbn_saved_objects.http.openapi.openapi_json`,
no engine needed) and committed, so readers and client generators have it without
running the app. ``--check`` fails when the committed file differs from what the routes
say now (``tests/http/test_openapi.py`` does the same in the pure test run).

    python tests/codegen/write_openapi.py          # rewrite docs/openapi.json
    python tests/codegen/write_openapi.py --check  # fail if it is stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "docs" / "openapi.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is stale")
    args = parser.parse_args(argv)
    from kbn_saved_objects.http.openapi import openapi_json

    text = openapi_json()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(
                f"{TARGET.relative_to(ROOT)} is stale: run python tests/codegen/write_openapi.py",
                file=sys.stderr,
            )
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
