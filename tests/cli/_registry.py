"""The type registry the ``kbn-so`` tests name with ``--registry``.

``MODULE_SOURCE`` is the same registry as a module of its own, written into a test's
current directory to prove that every command finds a registry module there.
"""

from __future__ import annotations

from typing import Any

from kbn_saved_objects.types import SavedObjectTypeRegistry

MODULE_SOURCE = '''
from kbn_saved_objects.types import (
    SavedObjectsType,
    SavedObjectsTypeManagement,
    SavedObjectTypeRegistry,
)


def registry():
    """A function returning an unfrozen registry: the loader calls and freezes it."""
    types = SavedObjectTypeRegistry()
    types.register(
        SavedObjectsType(
            name="widget",
            namespace_type="single",
            mappings={"dynamic": False, "properties": {"title": {"type": "text"}}},
            management=SavedObjectsTypeManagement(importable_and_exportable=True),
        )
    )
    return types


REGISTRY = registry().freeze()
NOT_A_REGISTRY = 42
'''


_module: dict[str, Any] = {}
exec(compile(MODULE_SOURCE, "<tests.cli._registry>", "exec"), _module)

REGISTRY: SavedObjectTypeRegistry = _module["REGISTRY"]
NOT_A_REGISTRY = 42
