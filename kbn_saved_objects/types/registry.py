"""The type registry: the one place that knows every saved-object type.

Types are registered during setup, then the registry is frozen; from then on it is a
read-only catalogue that the serializer, the mappings builder, the repository and the
migrators share. Lookups answer exactly as Kibana's ``SavedObjectTypeRegistry`` does,
including for names that were never registered (an unknown type counts as
single-namespace, which decides how its raw ids are built).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator

from kbn_saved_objects.errors import TypeRegistrationError
from kbn_saved_objects.types._semver import parse_semver
from kbn_saved_objects.types.definition import NamespaceType, SavedObjectsType
from kbn_saved_objects.types.legacy_url_alias import legacy_url_alias_type
from kbn_saved_objects.types.validation import resolve_provided_definitions, validate_type

__all__ = ["SavedObjectTypeRegistry"]

_MULTI = (NamespaceType.MULTIPLE, NamespaceType.MULTIPLE_ISOLATED)

_CORE_TYPES: tuple[SavedObjectsType, ...] = (legacy_url_alias_type,)
"""The types Kibana core registers itself before any plugin's (``registerCoreObjectTypes``)."""


class SavedObjectTypeRegistry:
    """Registered saved-object types, in registration order.

    ``legacy_types`` are retired type names (Kibana ships them as ``removed_types.json``)
    that can never be registered again. ``stack_version``, when given, is the product
    version legacy migrations and ``convert_to_multi_namespace_type_version`` may not
    exceed.

    Like Kibana core, the registry brings its own ``legacy-url-alias`` type: :meth:`freeze`
    adds it (first, where Kibana core puts it) so that conversions, imports with
    ``compatibility_mode``, ``resolve`` and the alias clean-up of deletes and unsharing
    always have it. Registering :data:`legacy_url_alias_type` (or an equal copy, such as
    another registry's) yourself stays harmless; another definition under its name is
    refused as a duplicate. ``core_types=False`` models a bare registry holding only what
    the caller registers (tests of a single type, or a stack older than the alias type's
    8.2.0 migration).

    ``access_control_enabled=False`` turns Kibana 9.x object access control off, as
    Kibana does when no security plugin can enforce it: every type is registered with
    ``supports_access_control=False``, and the serializer drops the ``accessControl``
    field of stored documents when it reads them. It is on by default, as in Kibana.
    """

    def __init__(
        self,
        *,
        legacy_types: Iterable[str] = (),
        stack_version: str | None = None,
        core_types: bool = True,
        access_control_enabled: bool = True,
    ) -> None:
        if stack_version is not None and parse_semver(stack_version) is None:
            raise TypeRegistrationError(f"Invalid stack version: {stack_version!r}")
        self._types: dict[str, SavedObjectsType] = {}
        self._legacy_types = frozenset(legacy_types)
        self._stack_version = stack_version
        self._core_types = {t.name: t for t in _CORE_TYPES} if core_types else {}
        self._access_control_enabled = access_control_enabled
        self._frozen = False
        # Names by namespace type, filled when frozen: the predicates below answer every
        # object of every operation, so they become one set lookup.
        self._agnostic: frozenset[str] | None = None
        self._multi: frozenset[str] | None = None
        self._not_single: frozenset[str] | None = None

    # -- setup ---------------------------------------------------------------------------

    def register(self, definition: SavedObjectsType) -> None:
        """Add a type; raise :class:`TypeRegistrationError` if it is invalid or taken.

        ``supports_access_control`` is only allowed on ``multiple``/``multiple-isolated``
        types, and is registered as ``False`` when access control is disabled.
        """
        if self._frozen:
            raise TypeRegistrationError(
                "cannot call `register` after the registry is frozen",
                metadata={"type": getattr(definition, "name", None)},
            )
        name = getattr(definition, "name", None)
        core = self._core_types.get(name) if isinstance(name, str) else None
        if core is not None and definition != core and name not in self._types:
            raise TypeRegistrationError(
                f"Type '{name}' is already registered", metadata={"type": name}
            )
        validate_type(
            definition,
            registered=self._types,
            legacy_types=self._legacy_types,
            stack_version=self._stack_version,
        )
        if definition.supports_access_control and not self._access_control_enabled:
            definition = dataclasses.replace(definition, supports_access_control=False)
        self._types[definition.name] = definition

    def freeze(self) -> SavedObjectTypeRegistry:
        """Close registration: add the core types not registered yet (first, validated
        like any other), resolve provider functions, validate them, lock the registry.

        Idempotent; on an error nothing changes and the registry stays open. Returns the
        registry so setup code can end with ``registry.freeze()``.
        """
        if self._frozen:
            return self
        missing = [t for t in self._core_types.values() if t.name not in self._types]
        for core in missing:
            validate_type(
                core,
                registered={},
                legacy_types=self._legacy_types,
                stack_version=self._stack_version,
            )
        resolved: dict[str, SavedObjectsType] = {}
        for name, definition in [*((t.name, t) for t in missing), *self._types.items()]:
            replacements = resolve_provided_definitions(
                definition, stack_version=self._stack_version
            )
            resolved[name] = dataclasses.replace(definition, **replacements)
        self._types = resolved
        kinds = {name: definition.namespace_type for name, definition in resolved.items()}
        self._agnostic = frozenset(n for n, k in kinds.items() if k == NamespaceType.AGNOSTIC)
        self._multi = frozenset(n for n, k in kinds.items() if k in _MULTI)
        self._not_single = frozenset(n for n, k in kinds.items() if k != NamespaceType.SINGLE)
        self._frozen = True
        return self

    @property
    def frozen(self) -> bool:
        return self._frozen

    def is_access_control_enabled(self) -> bool:
        """Whether object access control is on (the constructor's switch): the serializer
        keeps a stored ``accessControl`` field only then."""
        return self._access_control_enabled

    @property
    def stack_version(self) -> str | None:
        """The product version given at construction; the document migrator's default."""
        return self._stack_version

    # -- catalogue -----------------------------------------------------------------------

    def get_type(self, name: str) -> SavedObjectsType | None:
        return self._types.get(name)

    def get_all_types(self) -> list[SavedObjectsType]:
        """Every type, in registration order (a new list each call)."""
        return list(self._types.values())

    def get_visible_types(self) -> list[SavedObjectsType]:
        """Types that are not ``hidden``."""
        return [t for t in self._types.values() if not t.hidden]

    def get_visible_to_http_apis_types(self) -> list[SavedObjectsType]:
        """Types whose ``hidden_from_http_apis`` is not set (``hidden`` is not considered)."""
        return [t for t in self._types.values() if not t.hidden_from_http_apis]

    def get_importable_and_exportable_types(self) -> list[SavedObjectsType]:
        return [t for t in self._types.values() if self.is_importable_and_exportable(t.name)]

    def get_legacy_types(self) -> list[str]:
        return sorted(self._legacy_types)

    def __contains__(self, name: object) -> bool:
        return name in self._types

    def __iter__(self) -> Iterator[SavedObjectsType]:
        return iter(list(self._types.values()))

    def __len__(self) -> int:
        return len(self._types)

    # -- predicates (an unregistered name answers like Kibana) ---------------------------

    def is_namespace_agnostic(self, name: str) -> bool:
        if self._agnostic is not None:
            return name in self._agnostic
        definition = self._types.get(name)
        return definition is not None and definition.namespace_type == NamespaceType.AGNOSTIC

    def is_multi_namespace(self, name: str) -> bool:
        """``multiple`` or ``multiple-isolated``."""
        if self._multi is not None:
            return name in self._multi
        definition = self._types.get(name)
        return definition is not None and definition.namespace_type in _MULTI

    def is_single_namespace(self, name: str) -> bool:
        """Neither agnostic nor multi -- so ``True`` for an unregistered type."""
        if self._not_single is not None:
            return name not in self._not_single
        definition = self._types.get(name)
        return definition is None or definition.namespace_type == NamespaceType.SINGLE

    def is_shareable(self, name: str) -> bool:
        """Only ``multiple`` objects can be shared to more spaces."""
        definition = self._types.get(name)
        return definition is not None and definition.namespace_type == NamespaceType.MULTIPLE

    def is_hidden(self, name: str) -> bool:
        definition = self._types.get(name)
        return definition is not None and definition.hidden

    def is_hidden_from_http_apis(self, name: str) -> bool:
        definition = self._types.get(name)
        return definition is not None and bool(definition.hidden_from_http_apis)

    def is_importable_and_exportable(self, name: str) -> bool:
        definition = self._types.get(name)
        return (
            definition is not None
            and definition.management is not None
            and definition.management.importable_and_exportable
        )

    def supports_access_control(self, name: str) -> bool:
        """Whether objects of this type carry an owner and an access mode: the type opted
        in and access control is enabled. ``False`` for an unregistered type."""
        definition = self._types.get(name)
        return definition is not None and definition.supports_access_control

    def get_index(self, name: str) -> str | None:
        """The type's own ``index_pattern``; ``None`` means the main saved-objects index."""
        definition = self._types.get(name)
        return None if definition is None else definition.index_pattern

    def get_name_attribute(self, name: str) -> str:
        """The attribute holding an object's display name, ``'unknown'`` when not declared."""
        definition = self._types.get(name)
        return (definition.name_attribute if definition else None) or "unknown"
