"""Everything an operation needs besides its arguments, gathered once per repository.

Operations are pure generators (see :mod:`.operation`); the context is their read-only
view of the world: the frozen type registry, the serializer, index naming, the engine's
flavor, the document-migration hooks and the namespace the repository is scoped to.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from kbn_saved_objects.engine.flavors import EngineInfo
from kbn_saved_objects.errors import BadRequestError
from kbn_saved_objects.mappings.indices import index_types_map
from kbn_saved_objects.migrations import DocumentMigrator
from kbn_saved_objects.repository.config import RepositoryConfig
from kbn_saved_objects.repository.extensions import RepositoryExtensions
from kbn_saved_objects.serialization import (
    ALL_NAMESPACES_STRING,
    DEFAULT_NAMESPACE_STRING,
    SavedObjectDoc,
    SavedObjectsSerializer,
)
from kbn_saved_objects.types import SavedObjectTypeRegistry


def _namespace_id(namespace: str | None) -> str | None:
    """``"default"`` and ``None`` are the same space; any other string is itself (an empty
    one included: it is refused later, with its own error)."""
    return None if namespace == DEFAULT_NAMESPACE_STRING else namespace


class DocumentMigration(Protocol):
    """What the repository asks of the document migrator.

    ``for_read`` brings a stored document to the latest version (downgrading through the
    forward-compatibility schema when it is newer); ``for_write`` upgrades an incoming
    document and refuses one newer than the registry knows.
    """

    def for_read(self, doc: SavedObjectDoc) -> SavedObjectDoc: ...

    def for_write(self, doc: SavedObjectDoc) -> SavedObjectDoc: ...


class MigratorHooks:
    """The document migrator as the repository uses it: reads may downgrade a document
    written by a newer model version, writes refuse one."""

    def __init__(self, migrator: DocumentMigrator) -> None:
        self.migrator = migrator

    def for_read(self, doc: SavedObjectDoc) -> SavedObjectDoc:
        return self.migrator.migrate(doc, allow_downgrade=True)

    def for_write(self, doc: SavedObjectDoc) -> SavedObjectDoc:
        return self.migrator.migrate(doc)


class NoMigration:
    """Documents pass unchanged: for registries without model versions or migrations."""

    def for_read(self, doc: SavedObjectDoc) -> SavedObjectDoc:
        return doc

    def for_write(self, doc: SavedObjectDoc) -> SavedObjectDoc:
        return doc


@dataclass(frozen=True)
class RepositoryContext:
    registry: SavedObjectTypeRegistry
    config: RepositoryConfig
    engine: EngineInfo
    migration: DocumentMigration = field(default_factory=NoMigration)
    include_hidden_types: frozenset[str] = frozenset()
    namespace: str | None = None
    """The namespace string this repository is scoped to (``None``: not scoped)."""
    extensions: RepositoryExtensions = field(default_factory=RepositoryExtensions)
    """Security, encryption and spaces hooks the operations call (none by default)."""
    serializer: SavedObjectsSerializer = field(init=False)
    _index_types: dict[str, tuple[frozenset[str], frozenset[str]]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        if not self.registry.frozen:
            raise ValueError("freeze the type registry before building a repository")
        object.__setattr__(self, "serializer", SavedObjectsSerializer(self.registry))
        by_index: dict[str, tuple[set[str], set[str]]] = {}
        for definition in self.registry.get_all_types():
            types, single = by_index.setdefault(self.index_for(definition.name), (set(), set()))
            types.add(definition.name)
            if self.registry.is_single_namespace(definition.name):
                single.add(definition.name)
        index_types = {
            index: (frozenset(types), frozenset(single))
            for index, (types, single) in by_index.items()
        }
        object.__setattr__(self, "_index_types", index_types)
        for alias in self.index_aliases():
            self.config.check_index_name(alias)

    def scoped_to(self, namespace: str | None) -> RepositoryContext:
        """The same context in ``namespace``; a spaces extension is scoped there too, as
        Kibana's ``asScopedToNamespace`` does, so the active space is the scope."""
        spaces = self.extensions.spaces
        if spaces is None or namespace is None:
            return dataclasses.replace(self, namespace=namespace)
        extensions = dataclasses.replace(
            self.extensions, spaces=spaces.as_scoped_to_namespace(namespace)
        )
        return dataclasses.replace(self, namespace=namespace, extensions=extensions)

    def without_extensions(self) -> RepositoryContext:
        """This context with no extension: for the searches and writes an operation makes
        on its own behalf (Kibana's ``disableExtensions``), after it authorized the call."""
        extensions = self.extensions
        if (
            extensions.security is None
            and extensions.encryption is None
            and extensions.spaces is None
        ):
            return self
        return dataclasses.replace(self, extensions=RepositoryExtensions())

    def namespace_option(self, namespace: str | None) -> str | None:
        """The namespace an operation was asked for, defaulting to the scope.

        A scoped repository refuses a *different* namespace rather than silently ignoring
        it (Kibana's spaces layer refuses too; without it Kibana ignores the scope).
        """
        if namespace is None:
            return self.namespace
        error = self.scope_error([namespace], "options.namespace")
        if error is not None:
            raise error
        return namespace

    def scope_error(self, namespaces: Iterable[str | None], option: str) -> BadRequestError | None:
        """The refusal for namespace strings a scoped repository may not reach, or ``None``.

        Every namespace-bearing option of every operation goes through here (the call's
        ``namespace``, ``find``'s ``namespaces`` and ``type_to_namespaces_map``,
        ``initial_namespaces``, per-object ``namespaces``/``namespace`` of bulk calls, the
        space ``delete_by_namespace`` empties...). A repository scoped to a space reaches
        that space and nothing else: not another space, and not ``"*"``, which means every
        space. ``None`` in ``namespaces`` stands for the default space. An unscoped
        repository may reach any namespace (the operation's own rules still apply).
        """
        if self.namespace is None:
            return None
        scope = _namespace_id(self.namespace)
        for namespace in namespaces:
            if namespace == ALL_NAMESPACES_STRING or _namespace_id(namespace) != scope:
                return BadRequestError(
                    reason=f"this repository is scoped to namespace {self.namespace!r}; "
                    f"{option} cannot reach {namespace!r}",
                    metadata={"scope": self.namespace, "namespace": namespace},
                )
        return None

    def current_user_profile_uid(self) -> str | None:
        """Who writes, for ``created_by``/``updated_by``: the security extension's user
        when there is one (Kibana's ``getCurrentUserProfileUid``), else the
        configuration's ``current_user``."""
        security = self.extensions.security
        if security is not None:
            user = security.get_current_user()
            return user.profile_uid if user is not None else None
        return self.config.current_user()

    def is_allowed(self, type_name: str) -> bool:
        """Registered and visible, or hidden but explicitly included."""
        definition = self.registry.get_type(type_name)
        if definition is None:
            return False
        return not definition.hidden or type_name in self.include_hidden_types

    def allowed_types(self, type_names: Iterable[str] | None = None) -> list[str]:
        names = (
            [t.name for t in self.registry.get_all_types()] if type_names is None else type_names
        )
        return [name for name in names if self.is_allowed(name)]

    def index_alias(self, type_name: str) -> str:
        """The alias (without suffix) a type lives in."""
        return self.registry.get_index(type_name) or self.config.default_index

    def index_for(self, type_name: str) -> str:
        """Where operations on ``type_name`` read and write (Kibana's ``getIndexForType``)."""
        return self.index_alias(type_name) + self.config.index_suffix

    def indices_for(self, type_names: Iterable[str]) -> list[str]:
        return list(dict.fromkeys(self.index_for(name) for name in type_names))

    def types_sharing_index(self, type_name: str) -> tuple[frozenset[str], frozenset[str]]:
        """Every registered type stored in ``type_name``'s index, and the single-namespace
        ones among them: the objects whose raw ids can meet in one ``_id`` space."""
        return self._index_types.get(self.index_for(type_name), (frozenset(), frozenset()))

    def index_aliases(self) -> list[str]:
        return list(index_types_map(self.registry, main_index=self.config.default_index))
