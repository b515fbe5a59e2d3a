"""Read-only inspection of an index: what a migration would do (``check``/``status``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.migrations.index import actions
from kbn_saved_objects.migrations.index.model import diff_mappings
from kbn_saved_objects.migrations.index.state import State
from kbn_saved_objects.repository.operation import Operation


@dataclass(frozen=True)
class IndexCheck:
    """What a migration of one index would do, found without writing anything."""

    prefix: str
    version: str
    current_index: str | None
    version_alias_done: bool
    mappings: str  # "missing" | "match" | "types_added" | "types_changed" | "incomplete"
    changed_types: tuple[str, ...] = ()
    outdated_documents: int = 0
    unknown_documents: tuple[tuple[str, str], ...] = ()
    write_blocked: bool = False
    documents: int = 0
    aliases: tuple[str, ...] = ()
    other_indices: tuple[str, ...] = field(default_factory=tuple)

    @property
    def up_to_date(self) -> bool:
        return (
            self.current_index is not None
            and self.version_alias_done
            and self.mappings == "match"
            and self.outdated_documents == 0
            and not self.unknown_documents
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.prefix,
            "version": self.version,
            "currentIndex": self.current_index,
            "versionAliasDone": self.version_alias_done,
            "mappings": self.mappings,
            "changedTypes": list(self.changed_types),
            "outdatedDocuments": self.outdated_documents,
            "unknownDocuments": [list(d) for d in self.unknown_documents],
            "writeBlocked": self.write_blocked,
            "documents": self.documents,
            "aliases": list(self.aliases),
            "otherIndices": list(self.other_indices),
            "upToDate": self.up_to_date,
        }


def inspect_index(state: State) -> Operation[IndexCheck]:
    indices: Mapping[str, Any] = yield actions.get_indices([state.prefix, f"{state.prefix}_*"])
    current = None
    for name, body in (indices or {}).items():
        if state.prefix in ((body or {}).get("aliases") or {}):
            current = name
    others = tuple(sorted(name for name in indices or {} if name != current))
    if current is None:
        return IndexCheck(state.prefix, state.version, None, False, "missing", other_indices=others)
    body = indices[current]
    aliases = tuple(sorted(body.get("aliases") or {}))
    verdict, types = diff_mappings(body.get("mappings") or {}, state.target_mappings)
    outdated = yield rq.count(current, state.outdated_query)
    total = yield rq.count(current)
    unknown = yield from actions.unknown_documents(current, state)
    docs = tuple(unknown.value)
    blocks = ((body.get("settings") or {}).get("index") or {}).get("blocks") or {}
    return IndexCheck(
        prefix=state.prefix,
        version=state.version,
        current_index=current,
        version_alias_done=state.version_alias in aliases,
        mappings=verdict,
        changed_types=types,
        outdated_documents=int(outdated["count"]),
        unknown_documents=docs,
        write_blocked=str(blocks.get("write")).lower() == "true",
        documents=int(total["count"]),
        aliases=aliases,
        other_indices=others,
    )
