"""Object access control in the type registry: the switch and the per-type opt-in.

Follows current Kibana ``main``:
``src/core/packages/saved-objects/base-server-internal/src/saved_objects_type_registry.ts``
and its ``saved_objects_type_registry.test.ts`` (``describe('supports access control')``;
the stored versions read on 2026-12-07): only ``multiple``/``multiple-isolated`` types
may set ``supportsAccessControl``, a registry with access control disabled registers
every type without it, and ``supportsAccessControl(type)`` answers from the registered
type. How the serializer uses the switch is in ``tests/serialization/test_access_control.py``.
"""

from __future__ import annotations

import pytest

from kbn_saved_objects.errors import TypeRegistrationError
from kbn_saved_objects.types import SavedObjectsType, SavedObjectTypeRegistry


def so_type(name: str, namespace_type: str = "single", opt_in: bool = False) -> SavedObjectsType:
    return SavedObjectsType(
        name=name,
        namespace_type=namespace_type,  # type: ignore[arg-type]
        mappings={"properties": {}},
        supports_access_control=opt_in,
    )


def test_registry_keeps_the_opt_in_when_enabled() -> None:
    reg = SavedObjectTypeRegistry(core_types=False)
    assert reg.is_access_control_enabled() is True
    reg.register(so_type("typeAC", "multiple", opt_in=True))
    reg.register(so_type("typeNAC", "multiple"))
    reg.freeze()
    assert reg.get_type("typeAC").supports_access_control is True  # type: ignore[union-attr]
    assert reg.get_type("typeNAC").supports_access_control is False  # type: ignore[union-attr]
    assert reg.supports_access_control("typeAC") is True
    assert reg.supports_access_control("typeNAC") is False
    assert reg.supports_access_control("unknownType") is False


@pytest.mark.parametrize("namespace_type", ["agnostic", "single"])
def test_registry_refuses_the_opt_in_on_other_namespace_types(namespace_type: str) -> None:
    reg = SavedObjectTypeRegistry(core_types=False)
    with pytest.raises(TypeRegistrationError) as caught:
        reg.register(so_type("typeAC", namespace_type, opt_in=True))
    assert caught.value.message == (
        "Type typeAC: Cannot specify 'supportsAccessControl' as 'true' unless 'namespaceType'"
        " is either 'multiple' or 'multiple-isolated'."
    )
    assert "typeAC" not in reg


def test_registry_refuses_the_opt_in_even_when_disabled() -> None:
    reg = SavedObjectTypeRegistry(core_types=False, access_control_enabled=False)
    with pytest.raises(TypeRegistrationError, match="Cannot specify 'supportsAccessControl'"):
        reg.register(so_type("t", opt_in=True))


def test_a_disabled_registry_drops_the_opt_in() -> None:
    reg = SavedObjectTypeRegistry(core_types=False, access_control_enabled=False)
    reg.register(so_type("typeAC", "multiple-isolated", opt_in=True))
    reg.register(so_type("typeNAC"))
    reg.freeze()
    assert reg.is_access_control_enabled() is False
    assert reg.get_type("typeAC").supports_access_control is False  # type: ignore[union-attr]
    assert reg.supports_access_control("typeAC") is False
    assert reg.supports_access_control("typeNAC") is False
