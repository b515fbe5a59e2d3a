# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""The saved-objects service facade: setup, then start (Kibana's ``SavedObjectsService``).

A service is built once per process from an engine. During *setup* plugins (or the
application) register types and install extension factories; *start* freezes that and
hands out what requests use: a scoped client per request, built with the extensions that
request gets, plus repositories, importer and exporter factories and index names. Start
does no I/O: creating or migrating the indices stays an explicit step (the migrator, or
``setup_indices()`` on an internal repository).

This module is the async source; ``service/_sync/service.py`` is generated from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from kbn_saved_objects.engine._sync.engine import Engine
from kbn_saved_objects.errors import UnclassifiedError
from kbn_saved_objects.import_export._sync.exporter import SavedObjectsExporter
from kbn_saved_objects.import_export._sync.importer import SavedObjectsImporter
from kbn_saved_objects.import_export.export import DEFAULT_MAX_IMPORT_EXPORT_SIZE
from kbn_saved_objects.migrations import DocumentMigrator
from kbn_saved_objects.repository._sync.repository import SavedObjectsRepository
from kbn_saved_objects.repository.config import RepositoryConfig
from kbn_saved_objects.repository.context import DocumentMigration, MigratorHooks
from kbn_saved_objects.repository.extensions import ExtensionId, RepositoryExtensions
from kbn_saved_objects.serialization import SavedObjectsSerializer
from kbn_saved_objects.service._sync.client import SavedObjectsClient
from kbn_saved_objects.service.context import RequestContext
from kbn_saved_objects.service.setup import (
    ClientFactory,
    ClientFactoryOptions,
    SavedObjectsServiceSetup,
)
from kbn_saved_objects.types import SavedObjectTypeRegistry

__all__ = ["SavedObjectsService", "SavedObjectsServiceStart"]

NO_TYPES = "Empty or missing types for saved object repository!"


class SavedObjectsService:
    """One engine, one type registry, one configuration; :meth:`setup` then :meth:`start`.

    ``registry`` may be given (not yet frozen) to share one with other code; by default
    the service owns a fresh one. ``max_import_export_size`` is Kibana's
    ``savedObjects.maxImportExportSize``.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        config: RepositoryConfig | None = None,
        registry: SavedObjectTypeRegistry | None = None,
        migration: DocumentMigration | None = None,
        max_import_export_size: int = DEFAULT_MAX_IMPORT_EXPORT_SIZE,
    ) -> None:
        self.engine = engine
        self.config = config or RepositoryConfig()
        self.max_import_export_size = max_import_export_size
        self._migration = migration
        self._setup = SavedObjectsServiceSetup(
            registry if registry is not None else SavedObjectTypeRegistry(),
            self.config.default_index,
        )
        self._start: SavedObjectsServiceStart | None = None

    def setup(self) -> SavedObjectsServiceSetup:
        """The setup contract (the same one on every call)."""
        return self._setup

    def start(self) -> SavedObjectsServiceStart:
        """Freeze the registry and return the start contract (the same one on later
        calls). From here on every setup method raises."""
        if self._start is None:
            registry = self._setup.get_type_registry()
            if not registry.frozen:
                registry.freeze()
            migration = self._migration or MigratorHooks(DocumentMigrator(registry))
            self._setup.mark_started()
            self._start = SavedObjectsServiceStart(self, migration)
        return self._start


class SavedObjectsServiceStart:
    """The start contract: clients, repositories, importer/exporter, index names."""

    def __init__(self, service: SavedObjectsService, migration: DocumentMigration) -> None:
        self._service = service
        self._setup = service.setup()
        self._migration = migration
        self._registry = self._setup.get_type_registry()
        provider = self._setup.client_factory_provider
        self._client_factory: ClientFactory = (
            self._default_client_factory if provider is None else provider(self)
        )

    # --- clients -------------------------------------------------------------------

    def get_scoped_client(
        self,
        request: RequestContext,
        *,
        included_hidden_types: Sequence[str] = (),
        excluded_extensions: Sequence[ExtensionId] = (),
        excluded_wrappers: Sequence[str] = (),
    ) -> SavedObjectsClient:
        """The client of one request: each registered extension not in
        ``excluded_extensions`` is built for ``request``, the repository reaches the
        visible types plus ``included_hidden_types``, then the client wrappers not in
        ``excluded_wrappers`` are applied (highest priority innermost). Wrappers and a
        custom client factory must return objects with the client's methods."""
        extensions = self._setup.extensions_for(request, excluded_extensions)
        client = self._client_factory(
            ClientFactoryOptions(request, tuple(included_hidden_types), extensions)
        )
        return cast(SavedObjectsClient, self._setup.wrap(client, request, excluded_wrappers))

    def get_unsafe_internal_client(
        self,
        *,
        included_hidden_types: Sequence[str] = (),
        excluded_extensions: Sequence[ExtensionId] = (),
    ) -> SavedObjectsClient:
        """A client acting as the system: never a security extension (nobody to
        authorize), encryption and spaces built for a synthetic request in the default
        space. "Unsafe" because nothing checks what it is used for."""
        extensions = self._setup.internal_extensions(excluded_extensions)
        return SavedObjectsClient(
            self.create_internal_repository(included_hidden_types, extensions)
        )

    def _default_client_factory(self, options: ClientFactoryOptions) -> SavedObjectsClient:
        return SavedObjectsClient(
            self.create_scoped_repository(
                options.request, options.included_hidden_types, options.extensions
            )
        )

    # --- repositories ----------------------------------------------------------------

    def create_internal_repository(
        self,
        included_hidden_types: Sequence[str] = (),
        extensions: RepositoryExtensions | None = None,
    ) -> SavedObjectsRepository:
        """A repository with the service's own engine credentials and no extension
        unless given."""
        return self._create_repository(included_hidden_types, extensions)

    def create_scoped_repository(
        self,
        request: RequestContext,
        included_hidden_types: Sequence[str] = (),
        extensions: RepositoryExtensions | None = None,
    ) -> SavedObjectsRepository:
        """A repository for ``request`` with no extension unless given. The engine is
        the service's: per-user engine credentials are not modelled, so "scoped" is
        about the extensions the request brings."""
        return self._create_repository(included_hidden_types, extensions)

    def _create_repository(
        self, included_hidden_types: Sequence[str], extensions: RepositoryExtensions | None
    ) -> SavedObjectsRepository:
        registry = self._registry
        missing = [name for name in included_hidden_types if name not in registry]
        if missing:
            raise UnclassifiedError(
                f"Missing mappings for saved objects types: '{', '.join(missing)}'"
            )
        allowed = {t.name for t in registry.get_all_types() if not t.hidden}
        if not allowed.union(included_hidden_types):
            raise UnclassifiedError(NO_TYPES)
        extensions = extensions or RepositoryExtensions()
        return SavedObjectsRepository(
            self._service.engine,
            registry,
            config=self._service.config,
            migration=self._migration,
            include_hidden_types=set(included_hidden_types),
            extensions=extensions,
        )

    # --- import and export -----------------------------------------------------------

    def create_serializer(self) -> SavedObjectsSerializer:
        return SavedObjectsSerializer(self._registry)

    def create_exporter(self, client: SavedObjectsClient) -> SavedObjectsExporter:
        """An exporter reading through ``client`` (so in its request's space, with its
        checks), limited to ``max_import_export_size`` objects."""
        return SavedObjectsExporter(client, export_size_limit=self._service.max_import_export_size)

    def create_importer(
        self, client: SavedObjectsClient, *, import_size_limit: int | None = None
    ) -> SavedObjectsImporter:
        """An importer writing through ``client``; ``import_size_limit`` defaults to
        ``max_import_export_size``."""
        limit = (
            self._service.max_import_export_size if import_size_limit is None else import_size_limit
        )
        return SavedObjectsImporter(client, import_size_limit=limit)

    # --- types and indices -----------------------------------------------------------

    def get_type_registry(self) -> SavedObjectTypeRegistry:
        return self._registry

    def get_default_index(self) -> str:
        return self._service.config.default_index

    def get_index_for_type(self, type: str) -> str:
        """The index alias the type lives in: its ``index_pattern``, else the default."""
        definition = self._registry.get_type(type)
        index = definition.index_pattern if definition is not None else None
        return index or self.get_default_index()

    def get_indices_for_types(self, types: Sequence[str]) -> list[str]:
        return list(dict.fromkeys(self.get_index_for_type(name) for name in types))

    def get_all_indices(self) -> list[str]:
        """Every index alias the registered types live in, the default one first."""
        names = [self.get_default_index(), *(t.index_pattern or "" for t in self._registry)]
        return list(dict.fromkeys(name for name in names if name))
