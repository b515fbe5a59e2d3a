"""Which index each type lives in.

A type is stored in the index named by its ``index_pattern``, or in the main index
(``.kibana``) when it has none. These names are aliases: the physical indices behind them
are the index migrator's business. Each index gets its own mappings, holding only the
types stored in it.
"""

from __future__ import annotations

from kbn_saved_objects.errors import TypeRegistrationError
from kbn_saved_objects.types import SavedObjectTypeRegistry

__all__ = ["KNOWN_SAVED_OBJECT_INDICES", "MAIN_SAVED_OBJECT_INDEX", "index_types_map"]

MAIN_SAVED_OBJECT_INDEX = ".kibana"

KNOWN_SAVED_OBJECT_INDICES = (
    ".kibana",
    ".kibana_task_manager",
    ".kibana_alerting_cases",
    ".kibana_ingest",
    ".kibana_security_solution",
    ".kibana_analytics",
    ".kibana_usage_counters",
)
"""The aliases Kibana 8.8+ splits its types over (Kibana's ``MAIN_SAVED_OBJECT_INDEX`` etc.)."""


def index_types_map(
    registry: SavedObjectTypeRegistry, *, main_index: str = MAIN_SAVED_OBJECT_INDEX
) -> dict[str, list[str]]:
    """``{index alias: sorted type names}`` for every registered type (``_meta.indexTypesMap``).

    Raises :class:`TypeRegistrationError` when two types of the same index both define a
    ``convert_to_alias_script`` (the migrator can only run one).
    """
    types_by_index: dict[str, list[str]] = {}
    script_owner: dict[str, str] = {}
    for definition in registry.get_all_types():
        index = definition.index_pattern or main_index
        types_by_index.setdefault(index, []).append(definition.name)
        if definition.convert_to_alias_script:
            if index in script_owner:
                raise TypeRegistrationError(
                    "convertToAliasScript has been defined more than once for index pattern "
                    f'"{index}"',
                    metadata={"type": definition.name},
                )
            script_owner[index] = definition.name
    return {index: sorted(names) for index, names in types_by_index.items()}
