"""The examples of docs/evolving-types.md run as written."""

from __future__ import annotations

import re

from tests._paths import REPO_ROOT


def test_guide_examples_run() -> None:
    text = (REPO_ROOT / "docs" / "evolving-types.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    definition, _migrator_calls, test_kit = blocks
    namespace: dict[str, object] = {}
    exec(definition, namespace)
    exec(test_kit, namespace)
