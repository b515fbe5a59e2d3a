"""The saved object the migration benchmarks are made of: a Kibana dashboard of about
1 KB (title, description, ``panelsJSON``/``optionsJSON``, ``kibanaSavedObjectMeta``, two
panel references, namespaces, timestamps), as a raw ``_source``, and the backfill its
model versions share."""

from __future__ import annotations

import json
from typing import Any

TYPE = "dashboard"
PANELS = json.dumps(
    [
        {
            "panelIndex": str(i),
            "gridData": {"x": 24 * (i % 2), "y": 15 * (i // 2), "w": 24, "h": 15, "i": str(i)},
            "version": "8.8.0",
            "panelRefName": f"panel_{i}",
            "embeddableConfig": {"enhancements": {}},
        }
        for i in range(2)
    ]
)
OPTIONS = json.dumps({"useMargins": True, "syncColors": False, "hidePanelTitles": False})
SEARCH_SOURCE = json.dumps({"query": {"query": "", "language": "kuery"}, "filter": []})
DESCRIPTION = "Overview of web traffic: requests, bytes and response codes per host."


def dashboard_source(i: int, type_version: str) -> dict[str, Any]:
    """Dashboard number ``i`` as stored, at ``typeMigrationVersion`` ``type_version``."""
    return {
        "type": TYPE,
        TYPE: {
            "title": f"[Logs] Web traffic {i}",
            "description": DESCRIPTION,
            "panelsJSON": PANELS,
            "optionsJSON": OPTIONS,
            "version": 1,
            "kibanaSavedObjectMeta": {"searchSourceJSON": SEARCH_SOURCE},
        },
        "references": [
            {"name": f"panel_{p}", "type": "visualization", "id": f"vis-{i}-{p}"} for p in range(2)
        ],
        "namespaces": ["default"],
        "managed": False,
        "coreMigrationVersion": "8.8.0",
        "typeMigrationVersion": type_version,
        "updated_at": "2024-05-02T09:41:12.345Z",
        "created_at": "2024-05-02T09:41:12.345Z",
    }


def backfill_time_restore(document: dict[str, Any], context: Any) -> dict[str, Any]:
    return {"attributes": {"timeRestore": False, "refreshInterval": {"pause": True, "value": 0}}}
