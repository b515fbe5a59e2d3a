"""What differs between the engine versions the suite runs on, shown on the real engine.

Run once per engine (``make test`` runs OpenSearch 2.19 and 3.x; ``KBN_SO_ENGINE_URL``
any other): each test states what this engine does and that the library copes.
"""

from __future__ import annotations

import warnings

import pytest

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.engine.flavors import as_sent
from kbn_saved_objects.mappings import EngineCapabilities, build_index_mappings
from kbn_saved_objects.types import SavedObjectsType, SavedObjectTypeRegistry
from tests.migrations.index._helpers import run, seed, widgets
from tests.migrations.index._registries import registry_v1, registry_v3

pytestmark = pytest.mark.engine


def test_version_field_reads_back_as_sent(kbn_engine: Engine, kbn_index_prefix: str) -> None:
    """``typeMigrationVersion`` is a ``version`` field where the engine has the type;
    OpenSearch 3 reports it back with ``"index": true``, which must not count as a change."""
    registry = SavedObjectTypeRegistry()
    registry.register(
        SavedObjectsType(
            name="thing",
            namespace_type="single",
            mappings={"properties": {"a": {"type": "keyword"}}},
        )
    )
    info = kbn_engine.info
    capabilities = EngineCapabilities(supports_version_field=info.supports_version_field)
    index = f"{kbn_index_prefix}-versions"
    sent = build_index_mappings(registry.freeze(), capabilities=capabilities, main_index=index)
    kbn_engine.perform(rq.create_index(index, mappings=sent[index]))
    stored = kbn_engine.perform(rq.get_mapping(index))[index]["mappings"]["properties"]
    field = sent[index]["properties"]["typeMigrationVersion"]
    expected_type = "version" if info.supports_version_field else "keyword"
    assert field["type"] == expected_type
    if info.is_opensearch and info.major >= 3:
        assert stored["typeMigrationVersion"] == {**field, "index": True}
    else:
        assert stored["typeMigrationVersion"] == field
    assert as_sent(stored["typeMigrationVersion"]) == field


def test_no_deprecation_warnings(kbn_engine: Engine, kbn_index_prefix: str) -> None:
    """A fresh install, a reindex-path migration (PIT, bulk, clone, aliases, tasks) and a
    no-op run draw no deprecation warning from this engine, and end on the no-op path."""
    prefix = f"{kbn_index_prefix}-so"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert run(kbn_engine, registry_v1(), prefix, "1.0.0").ok
        seed(kbn_engine, prefix, widgets(30))
        assert run(kbn_engine, registry_v3(), prefix, "3.0.0", batch_size=10).ok
        steps: list[str] = []
        assert run(kbn_engine, registry_v3(), prefix, "3.0.0", steps).ok
    engine_warnings = [str(w.message) for w in caught if "deprecat" in str(w.message).lower()]
    assert engine_warnings == []
    assert "UPDATE_TARGET_MAPPINGS_PROPERTIES" not in steps
