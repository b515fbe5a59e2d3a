"""Read es_archiver ``data.json`` files: raw documents exactly as Kibana stored them.

A file is a series of JSON records ``{"type": "doc"|"_doc", "value": {"index", "id",
"source"}}`` separated by blank lines (sometimes several, sometimes none at the end).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ArchivedDoc:
    index: str
    raw: dict[str, Any]


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    text = path.read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            return
        record, position = decoder.raw_decode(text, position)
        yield record


def read_docs(path: Path) -> list[ArchivedDoc]:
    docs = []
    for record in read_records(path):
        assert record["type"] in ("doc", "_doc"), record["type"]
        value = record["value"]
        docs.append(ArchivedDoc(value["index"], {"_id": value["id"], "_source": value["source"]}))
    return docs
