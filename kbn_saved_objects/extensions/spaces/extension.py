"""The spaces extension: the request decides the space, not the caller (spec 08 §6).

Kibana's spaces plugin gives each request's repository a ``SavedObjectsSpacesExtension``
built from the space in the request's URL. The repository asks it two questions: which
namespace a call acts in (always the active space: a caller that names one is refused)
and which namespaces a search may cover (the active space by default; ``*`` becomes
every space that exists and that the caller may search).

The second question needs the engine (which spaces exist), so it is a *sub-operation*:
a generator that yields the search over ``space`` objects and is driven by whatever
drives the calling operation (``yield from``). The extension itself does no I/O, like
every operation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from kbn_saved_objects.errors import ForbiddenError, UnclassifiedError
from kbn_saved_objects.extensions.spaces.space import DEFAULT_MAX_SPACES, find_spaces_options
from kbn_saved_objects.extensions.spaces.space_type import SPACE_TYPE, space_type
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.repository.operations import find as find_op
from kbn_saved_objects.serialization import ALL_NAMESPACES_STRING, namespace_string_to_id
from kbn_saved_objects.types import SavedObjectTypeRegistry

if TYPE_CHECKING:
    from kbn_saved_objects.service.context import RequestContext
    from kbn_saved_objects.service.setup import SavedObjectsServiceSetup

__all__ = [
    "NAMESPACE_FROM_CALLER",
    "SavedObjectsSpacesExtension",
    "SearchableSpacesFilter",
    "SpacesExtensionBuilder",
    "enable_spaces",
]

NAMESPACE_FROM_CALLER = (
    "Namespace cannot be specified by the caller when the spaces extension is enabled. "
    "Spaces currently determines the namespace."
)

SearchableSpacesFilter = Callable[["RequestContext", Sequence[str]], Sequence[str]]
"""``(request, space_ids) -> the ids the request may search``: Kibana's
``findSavedObjects`` purpose, where a security layer keeps the spaces in which the user
holds both ``login:`` and ``saved_object:config/find``. It may raise (Kibana's 403, with
its audit record) or return nothing, which the extension turns into that 403."""


class SavedObjectsSpacesExtension:
    """The spaces extension of one request (Kibana's ``SavedObjectsSpacesExtension``).

    ``spaces_context`` is a repository context that reaches the hidden ``space`` type
    without any extension (Kibana reads spaces with its internal repository);
    ``searchable_spaces`` narrows ``*`` to the spaces this request may search.
    """

    def __init__(
        self,
        active_space_id: str,
        spaces_context: RepositoryContext,
        *,
        max_spaces: int = DEFAULT_MAX_SPACES,
        searchable_spaces: Callable[[Sequence[str]], Sequence[str]] | None = None,
    ) -> None:
        if not isinstance(active_space_id, str) or not active_space_id:
            raise UnclassifiedError("spaceId is required")
        if not spaces_context.is_allowed(SPACE_TYPE):
            raise ValueError(
                "the spaces context must include the hidden 'space' type "
                "(include_hidden_types={'space'})"
            )
        self.active_space_id = active_space_id
        self.spaces_context = spaces_context
        self.max_spaces = max_spaces
        self.searchable_spaces = searchable_spaces

    def get_current_namespace(self, namespace: str | None) -> str | None:
        """The active space as a namespace id (``None`` for the default space). Any
        namespace the caller names is refused with Kibana's (unclassified) error, since
        the request already decided where the call acts."""
        if namespace:
            raise UnclassifiedError(NAMESPACE_FROM_CALLER)
        return namespace_string_to_id(self.active_space_id)

    def get_searchable_namespaces(self, namespaces: Sequence[str] | None) -> Operation[list[str]]:
        """A sub-operation: ``None`` -> the active space; ``[]`` -> ``[]`` (the caller
        decides what an empty list means); otherwise the spaces that exist and may be
        searched -- all of them for ``*``, else the requested ones among them (others
        are dropped silently). A request that may search no space raises
        :class:`ForbiddenError`."""
        if namespaces is None:
            return [self.active_space_id]
        if not namespaces:
            return []
        available = yield from self.available_space_ids()
        if ALL_NAMESPACES_STRING in namespaces:
            return available
        known = set(available)
        return [namespace for namespace in namespaces if namespace in known]

    def available_space_ids(self) -> Operation[list[str]]:
        """The ids of the spaces that exist (sorted by name, as Kibana lists them), kept
        to those the request may search when a filter is set."""
        response = yield from find_op.find(
            self.spaces_context, find_spaces_options(self.max_spaces)
        )
        ids = [obj.id for obj in response.saved_objects]
        if self.searchable_spaces is None:
            return ids
        allowed = set(self.searchable_spaces(ids))
        ids = [space_id for space_id in ids if space_id in allowed]
        if not ids:
            raise ForbiddenError()
        return ids

    def as_scoped_to_namespace(self, namespace: str) -> SavedObjectsSpacesExtension:
        """The same extension with ``namespace`` as its active space."""
        return SavedObjectsSpacesExtension(
            namespace,
            self.spaces_context,
            max_spaces=self.max_spaces,
            searchable_spaces=self.searchable_spaces,
        )


class SpacesExtensionBuilder:
    """Builds each request's spaces extension (the factory ``set_spaces_extension`` takes).

    ``spaces_context`` returns the context spaces are read with; it is called once, on
    the first request (after the service started, when the registry is frozen).
    """

    def __init__(
        self,
        spaces_context: Callable[[], RepositoryContext],
        *,
        max_spaces: int = DEFAULT_MAX_SPACES,
        searchable_spaces: SearchableSpacesFilter | None = None,
    ) -> None:
        self._spaces_context = spaces_context
        self._context: RepositoryContext | None = None
        self.max_spaces = max_spaces
        self.searchable_spaces = searchable_spaces

    def __call__(
        self, type_registry: SavedObjectTypeRegistry, request: RequestContext
    ) -> SavedObjectsSpacesExtension:
        if self._context is None:
            self._context = self._spaces_context()
        narrow = self.searchable_spaces
        bound = None if narrow is None else (lambda ids: narrow(request, ids))
        return SavedObjectsSpacesExtension(
            request.space_id, self._context, max_spaces=self.max_spaces, searchable_spaces=bound
        )


class _HasContext(Protocol):
    context: RepositoryContext


class _Start(Protocol):
    def create_internal_repository(
        self, included_hidden_types: Sequence[str] = ...
    ) -> _HasContext: ...


class _Service(Protocol):
    def setup(self) -> SavedObjectsServiceSetup: ...

    def start(self) -> _Start: ...


def enable_spaces(
    service: _Service,
    *,
    max_spaces: int = DEFAULT_MAX_SPACES,
    searchable_spaces: SearchableSpacesFilter | None = None,
) -> SpacesExtensionBuilder:
    """Do what Kibana's spaces plugin does at setup: register the ``space`` type and set
    the spaces extension factory. Call it during setup, before ``service.start()``;
    spaces are then read through the service's internal repository (with ``space``
    included), the request decides the space of every scoped client."""
    setup = service.setup()
    setup.register_type(space_type)
    factory = SpacesExtensionBuilder(
        lambda: service.start().create_internal_repository([SPACE_TYPE]).context,
        max_spaces=max_spaces,
        searchable_spaces=searchable_spaces,
    )
    setup.set_spaces_extension(factory)
    return factory
