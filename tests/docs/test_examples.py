"""Every ``python`` code block of the README and of docs/ runs, as written, on the real engine.

A guide whose examples do not run teaches the wrong thing, so each Markdown file's blocks
are executed in order in one namespace (a later block may use what an earlier one
defined), as a reader would paste them. Two things are adapted, both invisible to the
reader: an engine URL on 127.0.0.1 becomes the test engine's, the blocks run in a
temporary working directory (files they write land there), and the indices a file created
are deleted after it (the test engine may be shared). A block that must not run
(a sketch, or output) is written as ``text`` or another language, never as ``python``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.repository.config import DEFAULT_INDEX
from tests._paths import REPO_ROOT

pytestmark = pytest.mark.engine

PAGES = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
LOCAL_URL = re.compile(r"http://127\.0\.0\.1:\d+")


def python_blocks(page: Path) -> list[str]:
    return BLOCK.findall(page.read_text(encoding="utf-8"))


def index_names(engine: Engine) -> set[str]:
    return set(engine.perform(rq.get_index("*", ignore_unavailable=True)))


def named_in(page: Path, names: set[str]) -> list[str]:
    """The indices among ``names`` that the page's examples made: each starts with an
    index name quoted in the page (``"my_service"`` makes ``my_service_001``). Other
    tests may create indices on the same engine meanwhile; those are left alone."""
    quoted = set(re.findall(r'"([a-z0-9][a-z0-9_.-]*)"', page.read_text(encoding="utf-8")))
    quoted.add(DEFAULT_INDEX)  # where a repository without a configuration writes
    return sorted(
        name
        for name in names
        if not name.startswith("kbn-so-") and any(name.startswith(q) for q in quoted)
    )


@pytest.fixture
def clean_indices(kbn_engine: Engine, page: Path) -> Iterator[None]:
    before = index_names(kbn_engine)
    yield
    created = named_in(page, index_names(kbn_engine) - before)
    if created:
        kbn_engine.perform(rq.delete_index(created, ignore_unavailable=True))


@pytest.mark.parametrize(
    "page",
    [p for p in PAGES if python_blocks(p)],
    ids=lambda p: p.relative_to(REPO_ROOT).as_posix(),
)
@pytest.mark.usefixtures("clean_indices")
def test_the_examples_run(
    page: Path, kbn_engine_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem.replace('-', '_')}"}
    for number, block in enumerate(python_blocks(page), start=1):
        source = LOCAL_URL.sub(kbn_engine_url, block)
        code = compile(source, f"{page.name} block {number}", "exec")
        exec(code, namespace)
