"""Copy saved objects to other spaces, as Kibana's spaces plugin does (spec 09 §3.11).

Kibana's ``copySavedObjectsToSpaces`` and ``resolveCopySavedObjectsToSpacesConflicts``
are export followed by import: the requested objects (and, if asked, everything they
reference) are exported from the source space once, held in memory (at most the
import/export limit), and imported into each destination space in turn, each space
answered on its own. A space whose import is refused as a whole gets an empty failure
answer carrying the error; the other spaces go on.

This module is the async source; ``import_export/_sync/copy_to_spaces.py`` is generated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kbn_saved_objects.errors import SavedObjectsError
from kbn_saved_objects.import_export._async.exporter import SavedObjectsExporter
from kbn_saved_objects.import_export._async.importer import SavedObjectsImporter
from kbn_saved_objects.import_export.copy_to_spaces import (
    eligible_objects,
    empty_failure_response,
    ineligible_types,
    not_found_error,
    objects_for_space,
    space_result,
    validate_copy_request,
    validate_resolve_copy_request,
)
from kbn_saved_objects.import_export.errors import SavedObjectsExportError
from kbn_saved_objects.import_export.export import DEFAULT_MAX_IMPORT_EXPORT_SIZE
from kbn_saved_objects.import_export.importing import ImportRetry, new_id
from kbn_saved_objects.import_export.ndjson import dumps_line, parse_ndjson
from kbn_saved_objects.repository._async.repository import AsyncSavedObjectsRepository

__all__ = ["SavedObjectsCopier"]

if TYPE_CHECKING:  # the client's module imports this one (through the service)
    from kbn_saved_objects.service._async.client import AsyncSavedObjectsClient


class SavedObjectsCopier:
    """Copies objects between spaces through an exporter and an importer on one
    repository.

    The repository must be unscoped to reach other spaces: a repository scoped to a
    space refuses every other space (``BadRequestError``, nothing read or written), as
    it does for every other call. ``import_export_size_limit`` is Kibana's
    ``savedObjects.maxImportExportSize``, applied to the export and to each import;
    ``id_generator`` makes new copies' ids deterministic in tests.
    """

    def __init__(
        self,
        repository: AsyncSavedObjectsRepository | AsyncSavedObjectsClient,
        *,
        import_export_size_limit: int = DEFAULT_MAX_IMPORT_EXPORT_SIZE,
        id_generator: Callable[[], str] = new_id,
    ) -> None:
        self.repository = repository
        self.exporter = SavedObjectsExporter(repository, export_size_limit=import_export_size_limit)
        self.importer = SavedObjectsImporter(
            repository, import_size_limit=import_export_size_limit, id_generator=id_generator
        )

    async def copy_to_spaces(
        self,
        objects: Sequence[Mapping[str, Any]],
        spaces: Sequence[str],
        *,
        namespace: str | None = None,
        include_references: bool = False,
        overwrite: bool = False,
        create_new_copies: bool = True,
        compatibility_mode: bool = False,
        refresh: bool | str | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> dict[str, dict[str, Any]]:
        """Copy ``objects`` (``[{type, id}]``) from ``namespace`` (the source space;
        ``None``: the repository's own) into each of ``spaces``, in order.

        Returns ``{space: {success, successCount, successResults?, errors?}}``. The
        defaults are the Kibana route's: new copies (new ids, no conflicts), so
        ``overwrite`` and ``compatibility_mode`` need ``create_new_copies=False``.
        Without new copies, objects already in a destination space are left out of
        its import. ``progress`` is called with each space id once it is done.

        Raises :class:`~kbn_saved_objects.import_export.copy_to_spaces.CopyRequestError`
        for a malformed request,
        :class:`~kbn_saved_objects.import_export.copy_to_spaces.CopySourceNotFoundError`
        (404) when a requested object is not in the source space, and the scope's
        ``BadRequestError``; in each case nothing is written.
        """
        checked, space_ids = validate_copy_request(
            objects,
            spaces,
            overwrite=overwrite,
            create_new_copies=create_new_copies,
            compatibility_mode=compatibility_mode,
        )
        self._check_scope(namespace, space_ids, "spaces")
        exported = await self._export(
            checked, namespace, include_references, include_namespaces=not create_new_copies
        )
        response: dict[str, dict[str, Any]] = {}
        options = {
            "overwrite": overwrite,
            "create_new_copies": create_new_copies,
            "compatibility_mode": compatibility_mode,
            "refresh": refresh,
        }
        for space_id in space_ids:
            lines = [dumps_line(obj) for obj in objects_for_space(exported, space_id)]
            response[space_id] = await self._into_space(space_id, lines, None, options)
            if progress is not None:
                progress(space_id)
        return response

    async def resolve_copy_to_spaces_errors(
        self,
        objects: Sequence[Mapping[str, Any]],
        retries: Mapping[str, Sequence[Mapping[str, Any]]],
        *,
        namespace: str | None = None,
        include_references: bool = False,
        create_new_copies: bool = True,
        compatibility_mode: bool = False,
        refresh: bool | str | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> dict[str, dict[str, Any]]:
        """Retry a copy: export ``objects`` from ``namespace`` again, then for each
        space of ``retries`` (``{space: [{type, id, overwrite?, destinationId?,
        createNewCopy?, ignoreMissingReferences?}]}``) resolve the import errors there
        with that space's retries. Only retried objects are written, as in
        ``resolve_import_errors``; the answer has the shape of :meth:`copy_to_spaces`.
        """
        checked, per_space = validate_resolve_copy_request(
            objects,
            retries,
            create_new_copies=create_new_copies,
            compatibility_mode=compatibility_mode,
        )
        self._check_scope(namespace, list(per_space), "retries")
        exported = await self._export(checked, namespace, include_references, False)
        response: dict[str, dict[str, Any]] = {}
        options = {
            "create_new_copies": create_new_copies,
            "compatibility_mode": compatibility_mode,
            "refresh": refresh,
        }
        lines = [dumps_line(obj) for obj in exported]
        for space_id, space_retries in per_space.items():
            response[space_id] = await self._into_space(space_id, lines, space_retries, options)
            if progress is not None:
                progress(space_id)
        return response

    async def _into_space(
        self,
        space_id: str,
        lines: list[str],
        retries: Sequence[ImportRetry] | None,
        options: dict[str, Any],
    ) -> dict[str, Any]:
        """One destination space's answer: the import of ``lines`` there (or its
        ``resolve_import_errors`` with ``retries``); a space that fails as a whole gets
        Kibana's empty failure answer and the other spaces go on."""
        try:
            if retries is None:
                answer = await self.importer.import_(lines, namespace=space_id, **options)
            else:
                answer = await self.importer.resolve_import_errors(
                    lines, retries, namespace=space_id, **options
                )
        except SavedObjectsError as exc:
            return empty_failure_response([exc])
        return space_result(answer)

    def _check_scope(self, namespace: str | None, space_ids: list[str], option: str) -> None:
        """Refuse, before anything is read, a source or destination a scoped repository
        may not reach."""
        context = self.repository.context
        if namespace is not None:
            error = context.scope_error([namespace], "options.namespace")
            if error is not None:
                raise error
        error = context.scope_error(space_ids, option)
        if error is not None:
            raise error

    async def _export(
        self,
        objects: list[dict[str, str]],
        namespace: str | None,
        include_references: bool,
        include_namespaces: bool,
    ) -> list[dict[str, Any]]:
        """The objects a copy writes: exported from the source space, without the
        namespace-agnostic types and the objects already in every space."""
        lines = self.exporter.export_by_objects(
            objects,
            include_references_deep=include_references,
            exclude_export_details=True,
            include_namespaces=include_namespaces,
            namespace=namespace,
        )
        try:
            exported = [obj for _, obj in parse_ndjson([line async for line in lines])]
        except SavedObjectsExportError as exc:
            error = not_found_error(exc)
            if error is exc:
                raise
            raise error from exc
        return eligible_objects(exported, ineligible_types(self.repository.context.registry))
