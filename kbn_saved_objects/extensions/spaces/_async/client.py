"""The spaces client: create, read, update and delete spaces (Kibana's ``SpacesClient``).

Spaces are ``space`` saved objects read and written through a repository that includes
that hidden type and is *not* scoped to a space (Kibana's spaces client works on the
internal repository). Deleting a space deletes what is in it first, as Kibana does.
Authorization (which spaces a user may see or manage) is not decided here: Kibana's
security plugin wraps this client for that.

This module is the async source; ``extensions/spaces/_sync/client.py`` is generated.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from kbn_saved_objects.errors import BadRequestError, ConflictError, NotFoundError
from kbn_saved_objects.extensions.spaces.space import (
    DEFAULT_MAX_SPACES,
    DEFAULT_SPACE,
    DEFAULT_SPACE_ID,
    Space,
    find_spaces_options,
    validate_purpose,
    validate_space,
)
from kbn_saved_objects.extensions.spaces.space_type import SPACE_TYPE
from kbn_saved_objects.repository._async.repository import AsyncSavedObjectsRepository

__all__ = ["AsyncSpacesClient", "MAX_SPACES_EXCEEDED"]

MAX_SPACES_EXCEEDED = (
    "Unable to create Space, this exceeds the maximum number of spaces set by the "
    "xpack.spaces.maxSpaces setting"
)


class AsyncSpacesClient:
    """Spaces over ``repository``, which must include the hidden ``space`` type and be
    unscoped (``include_hidden_types={"space"}``; the service's
    ``create_internal_repository(["space"])`` is one). ``max_spaces`` is Kibana's
    ``xpack.spaces.maxSpaces``."""

    def __init__(
        self, repository: AsyncSavedObjectsRepository, *, max_spaces: int = DEFAULT_MAX_SPACES
    ) -> None:
        if not repository.context.is_allowed(SPACE_TYPE):
            raise ValueError(
                "the spaces client needs a repository that includes the hidden 'space' type"
            )
        if repository.context.namespace is not None:
            raise ValueError("the spaces client needs a repository that is not scoped to a space")
        self.repository = repository
        self.max_spaces = max_spaces

    async def get_all(self, purpose: str = "any") -> list[Space]:
        """Every space, sorted by name (at most ``max_spaces``). ``purpose`` is one of
        Kibana's (``any``, ``copySavedObjectsIntoSpace``, ``findSavedObjects``,
        ``shareSavedObjectsIntoSpace``); anything else is a 400."""
        validate_purpose(purpose)
        response = await self.repository.find(**find_spaces_options(self.max_spaces))
        return [Space.from_saved_object(obj) for obj in response.saved_objects]

    async def get(self, space_id: str) -> Space:
        """One space; a missing one raises :class:`NotFoundError`."""
        return Space.from_saved_object(await self.repository.get(SPACE_TYPE, space_id))

    async def create(self, space: Space) -> Space:
        """Create ``space`` (its name trimmed). Refused with a 400 when it is invalid or
        when ``max_spaces`` spaces exist, with a 409 when its id is taken."""
        validate_space(space)
        count = await self.repository.find(**find_spaces_options(self.max_spaces, per_page=0))
        if count.total >= self.max_spaces:
            raise BadRequestError(MAX_SPACES_EXCEEDED)
        attributes = dataclasses.replace(space, name=space.name.strip()).attributes()
        try:
            created = await self.repository.create(SPACE_TYPE, attributes, id=space.id)
        except ConflictError as exc:
            raise ConflictError(
                f"A space with the identifier {space.id} already exists.",
                metadata={"id": space.id},
            ) from exc
        return Space.from_saved_object(created)

    async def update(self, space_id: str, space: Space) -> Space:
        """Replace the given attributes of space ``space_id`` (its id never changes; the
        id in ``space`` is only validated). A name equal to the stored one is kept as
        stored, a new one is trimmed. A missing space raises :class:`NotFoundError`."""
        validate_space(space)
        existing = await self.repository.get(SPACE_TYPE, space_id)
        stored: dict[str, Any] = dict(existing.attributes or {})
        name = space.name if space.name == stored.get("name") else space.name.strip()
        attributes = dataclasses.replace(space, name=name).attributes()
        if space_id == DEFAULT_SPACE_ID and space.solution:
            attributes["solutionSetupRequired"] = False
        await self.repository.update(SPACE_TYPE, space_id, attributes)
        return Space.from_attributes(space_id, {**stored, **attributes})

    async def delete(self, space_id: str) -> None:
        """Delete a space and everything in it: its single-namespace objects go, shared
        objects leave it (and go when it was their last space), aliases into it go
        (``delete_by_namespace``); then the space itself. The reserved default space is
        refused with a 400; a missing space raises :class:`NotFoundError`."""
        existing = Space.from_saved_object(await self.repository.get(SPACE_TYPE, space_id))
        if existing.reserved:
            raise BadRequestError(f"The {space_id} space cannot be deleted because it is reserved.")
        refresh = self.repository.context.config.refresh is not False
        await self.repository.delete_by_namespace(space_id, refresh=refresh)
        await self.repository.delete(SPACE_TYPE, space_id)

    async def ensure_default_space(self) -> Space:
        """Create the reserved default space when it is missing (Kibana does this at
        startup); another process creating it meanwhile is not an error."""
        try:
            return await self.get(DEFAULT_SPACE_ID)
        except NotFoundError:
            pass
        attributes = {**DEFAULT_SPACE.attributes(), "_reserved": True}
        try:
            created = await self.repository.create(SPACE_TYPE, attributes, id=DEFAULT_SPACE_ID)
        except ConflictError:
            return await self.get(DEFAULT_SPACE_ID)
        return Space.from_saved_object(created)
