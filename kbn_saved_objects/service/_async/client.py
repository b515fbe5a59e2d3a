"""The request-scoped saved-objects client (Kibana's ``SavedObjectsClient``).

A thin delegate: every method hands its arguments, unchanged, to a repository that was
built for one request with that request's extensions. It adds no rule of its own --
authorization, encryption and the active space are the extensions' business, applied
inside the repository's operations -- so whatever holds a client (an HTTP route, the
importer and exporter, a CLI command) passes exactly the same checks. It has the
repository's method names and signatures, which is what lets the importer and exporter
take either.

This module is the async source; ``service/_sync/client.py`` is generated from it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from typing import Any, Unpack

from kbn_saved_objects.repository._async.point_in_time_finder import AsyncPointInTimeFinder
from kbn_saved_objects.repository._async.repository import AsyncSavedObjectsRepository
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.operations import bulk_create as bulk_create_op
from kbn_saved_objects.repository.operations import bulk_delete as bulk_delete_op
from kbn_saved_objects.repository.operations import bulk_get as bulk_get_op
from kbn_saved_objects.repository.operations import bulk_update as bulk_update_op
from kbn_saved_objects.repository.operations import change_access_control as access_control_op
from kbn_saved_objects.repository.operations import check_conflicts as check_conflicts_op
from kbn_saved_objects.repository.operations import (
    collect_multi_namespace_references as references_op,
)
from kbn_saved_objects.repository.operations import create as create_op
from kbn_saved_objects.repository.operations import delete as delete_op
from kbn_saved_objects.repository.operations import disable_legacy_url_aliases as disable_aliases_op
from kbn_saved_objects.repository.operations import find as find_op
from kbn_saved_objects.repository.operations import get as get_op
from kbn_saved_objects.repository.operations import point_in_time as pit_op
from kbn_saved_objects.repository.operations import remove_references_to as remove_references_op
from kbn_saved_objects.repository.operations import resolve as resolve_op
from kbn_saved_objects.repository.operations import search as search_op
from kbn_saved_objects.repository.operations import update as update_op
from kbn_saved_objects.repository.operations import update_objects_spaces as spaces_op
from kbn_saved_objects.repository.results import (
    BulkDeleteResponse,
    CheckConflictsResponse,
    CollectMultiNamespaceReferencesResponse,
    FindResponse,
    RemoveReferencesToResponse,
    ResolveResponse,
    SavedObjectsBulkResolveResponse,
    SavedObjectsBulkResponse,
    UpdateObjectsSpacesResponse,
)
from kbn_saved_objects.serialization import SavedObject

__all__ = ["AsyncSavedObjectsClient"]


class AsyncSavedObjectsClient:
    """The saved-objects API of one request, over ``repository``.

    Kibana's client API: the repository's calls except the ones only the system makes
    (``delete_by_namespace``, ``increment_counter``, ``disable_legacy_url_aliases``,
    ``setup_indices``); those stay on the repository.
    """

    def __init__(self, repository: AsyncSavedObjectsRepository) -> None:
        self.repository = repository

    @property
    def context(self) -> RepositoryContext:
        """The repository's context (type registry, document migration, scope): what the
        importer and exporter read besides the calls."""
        return self.repository.context

    def get_current_namespace(self, namespace: str | None = None) -> str | None:
        """The namespace id a call with ``namespace`` would act in (``None``: default)."""
        return self.repository.get_current_namespace(namespace)

    def as_scoped_to_namespace(self, namespace: str) -> AsyncSavedObjectsClient:
        """The same client acting in ``namespace`` (Kibana's ``asScopedToNamespace``).

        With a spaces extension, the extension is moved to ``namespace`` (the other
        extensions stay) and the client acts there; without one, the repository is
        scoped to ``namespace``, which a repository already scoped elsewhere refuses."""
        context = self.repository.context
        spaces = context.extensions.spaces
        if spaces is None:
            return AsyncSavedObjectsClient(self.repository.as_scoped_to_namespace(namespace))
        extensions = dataclasses.replace(
            context.extensions, spaces=spaces.as_scoped_to_namespace(namespace)
        )
        repository = AsyncSavedObjectsRepository(
            self.repository.engine,
            context.registry,
            config=context.config,
            migration=context.migration,
            include_hidden_types=context.include_hidden_types,
            extensions=extensions,
        )
        return AsyncSavedObjectsClient(repository)

    # --- single objects ------------------------------------------------------------

    async def create(
        self, type: str, attributes: Any, **options: Unpack[create_op.CreateOptions]
    ) -> SavedObject[Any]:
        return await self.repository.create(type, attributes, **options)

    async def get(
        self, type: str, id: str, **options: Unpack[get_op.GetOptions]
    ) -> SavedObject[Any]:
        return await self.repository.get(type, id, **options)

    async def resolve(
        self, type: str, id: str, **options: Unpack[resolve_op.ResolveOptions]
    ) -> ResolveResponse:
        return await self.repository.resolve(type, id, **options)

    async def bulk_resolve(
        self,
        objects: Sequence[resolve_op.BulkResolveObject],
        **options: Unpack[resolve_op.ResolveOptions],
    ) -> SavedObjectsBulkResolveResponse:
        return await self.repository.bulk_resolve(objects, **options)

    # --- find and point-in-time -----------------------------------------------------

    async def find(self, **options: Unpack[find_op.FindOptions]) -> FindResponse:
        return await self.repository.find(**options)

    async def search(
        self,
        type: str | Sequence[str],
        body: Mapping[str, Any],
        *,
        namespaces: Sequence[str] | None = None,
        **options: Unpack[search_op.SearchOptions],
    ) -> dict[str, Any]:
        return await self.repository.search(type, body, namespaces=namespaces, **options)

    async def open_point_in_time_for_type(
        self, type: str | Sequence[str], **options: Unpack[pit_op.OpenPointInTimeOptions]
    ) -> str:
        return await self.repository.open_point_in_time_for_type(type, **options)

    async def close_point_in_time(self, id: str) -> dict[str, Any]:
        return await self.repository.close_point_in_time(id)

    def create_point_in_time_finder(
        self, *, keep_alive: str = "2m", **options: Unpack[find_op.FindOptions]
    ) -> AsyncPointInTimeFinder:
        return self.repository.create_point_in_time_finder(keep_alive=keep_alive, **options)

    # --- bulk create, check_conflicts, bulk_get --------------------------------------

    async def bulk_create(
        self,
        objects: Sequence[bulk_create_op.BulkCreateObject],
        **options: Unpack[bulk_create_op.BulkCreateOptions],
    ) -> SavedObjectsBulkResponse[Any]:
        return await self.repository.bulk_create(objects, **options)

    def bulk_create_batches(
        self,
        batches: Iterable[Sequence[bulk_create_op.BulkCreateObject]],
        **options: Unpack[bulk_create_op.BulkCreateOptions],
    ) -> AsyncIterator[SavedObjectsBulkResponse[Any]]:
        return self.repository.bulk_create_batches(batches, **options)

    async def check_conflicts(
        self,
        objects: Sequence[check_conflicts_op.CheckConflictsObject],
        **options: Unpack[check_conflicts_op.CheckConflictsOptions],
    ) -> CheckConflictsResponse:
        return await self.repository.check_conflicts(objects, **options)

    def check_conflicts_batches(
        self,
        batches: Iterable[Sequence[check_conflicts_op.CheckConflictsObject]],
        **options: Unpack[check_conflicts_op.CheckConflictsOptions],
    ) -> AsyncIterator[CheckConflictsResponse]:
        return self.repository.check_conflicts_batches(batches, **options)

    async def bulk_get(
        self,
        objects: Sequence[bulk_get_op.BulkGetObject],
        **options: Unpack[bulk_get_op.BulkGetOptions],
    ) -> SavedObjectsBulkResponse[Any]:
        return await self.repository.bulk_get(objects, **options)

    # --- update, delete, references --------------------------------------------------

    async def update(
        self, type: str, id: str, attributes: Any, **options: Unpack[update_op.UpdateOptions]
    ) -> SavedObject[Any]:
        return await self.repository.update(type, id, attributes, **options)

    async def bulk_update(
        self,
        objects: Sequence[bulk_update_op.BulkUpdateObject],
        **options: Unpack[bulk_update_op.BulkUpdateOptions],
    ) -> SavedObjectsBulkResponse[Any]:
        return await self.repository.bulk_update(objects, **options)

    async def delete(self, type: str, id: str, **options: Unpack[delete_op.DeleteOptions]) -> None:
        await self.repository.delete(type, id, **options)

    async def bulk_delete(
        self,
        objects: Sequence[bulk_delete_op.BulkDeleteObject],
        **options: Unpack[bulk_delete_op.BulkDeleteOptions],
    ) -> BulkDeleteResponse:
        return await self.repository.bulk_delete(objects, **options)

    async def remove_references_to(
        self, type: str, id: str, **options: Unpack[remove_references_op.RemoveReferencesToOptions]
    ) -> RemoveReferencesToResponse:
        return await self.repository.remove_references_to(type, id, **options)

    # --- sharing across spaces -------------------------------------------------------

    async def update_objects_spaces(
        self,
        objects: Sequence[spaces_op.UpdateObjectsSpacesObject],
        spaces_to_add: Sequence[str],
        spaces_to_remove: Sequence[str],
        **options: Unpack[spaces_op.UpdateObjectsSpacesOptions],
    ) -> UpdateObjectsSpacesResponse:
        return await self.repository.update_objects_spaces(
            objects, spaces_to_add, spaces_to_remove, **options
        )

    async def disable_legacy_url_aliases(
        self, aliases: Sequence[disable_aliases_op.LegacyUrlAliasTarget]
    ) -> SavedObjectsBulkResponse[Any]:
        return await self.repository.disable_legacy_url_aliases(aliases)

    async def change_ownership(
        self,
        objects: Sequence[access_control_op.ChangeAccessControlObject],
        **options: Unpack[access_control_op.ChangeOwnershipOptions],
    ) -> access_control_op.ChangeAccessControlResponse:
        return await self.repository.change_ownership(objects, **options)

    async def change_access_mode(
        self,
        objects: Sequence[access_control_op.ChangeAccessControlObject],
        **options: Unpack[access_control_op.ChangeAccessModeOptions],
    ) -> access_control_op.ChangeAccessControlResponse:
        return await self.repository.change_access_mode(objects, **options)

    async def collect_multi_namespace_references(
        self,
        objects: Sequence[references_op.CollectMultiNamespaceReferencesObject],
        **options: Unpack[references_op.CollectMultiNamespaceReferencesOptions],
    ) -> CollectMultiNamespaceReferencesResponse:
        return await self.repository.collect_multi_namespace_references(objects, **options)
