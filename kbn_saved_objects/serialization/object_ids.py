"""How saved objects are identified and named: Kibana's ``SavedObjectsUtils`` helpers.

Plugin code written against Kibana uses these to make ids, to tell a generated id from a
chosen one, to follow an object whose id changed when its type became shareable, to move
between namespace ids and strings, to answer a find that has nothing to search, and to
show an object's name. Here they are plain functions:

* ``generateId()`` -- :func:`generate_id`;
* ``isRandomId(id)`` -- :func:`is_random_id`;
* ``getConvertedObjectId(namespace, type, id)`` -- :func:`converted_object_id`;
* ``namespaceIdToString`` / ``namespaceStringToId`` -- :func:`namespace_id_to_string` /
  :func:`namespace_string_to_id`;
* ``createEmptyFindResponse({page, perPage})`` -- :func:`create_empty_find_response`;
* ``getName(savedObject, nameAttribute)`` -- :func:`saved_object_name`.

``getMigrationFunction`` has no counterpart: a legacy migration here is a function or a
:class:`~kbn_saved_objects.types.LegacyMigration`, and the document migrator reads both.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from kbn_saved_objects.serialization.namespaces import (
    namespace_id_to_string,
    namespace_string_to_id,
)
from kbn_saved_objects.serialization.raw_ids import converted_object_id
from kbn_saved_objects.serialization.saved_object import SavedObject

if TYPE_CHECKING:
    from kbn_saved_objects.repository.results import FindResponse

__all__ = [
    "FIND_DEFAULT_PAGE",
    "FIND_DEFAULT_PER_PAGE",
    "converted_object_id",
    "create_empty_find_response",
    "generate_id",
    "is_random_id",
    "namespace_id_to_string",
    "namespace_string_to_id",
    "saved_object_name",
]

FIND_DEFAULT_PAGE = 1
FIND_DEFAULT_PER_PAGE = 20

_UUID = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
    r"|00000000-0000-0000-0000-000000000000",
    re.IGNORECASE,
)


def generate_id() -> str:
    """A new random object id: a UUID v4, as ``create`` makes when no id is given."""
    return str(uuid.uuid4())


def is_random_id(object_id: object) -> bool:
    """Whether ``object_id`` looks generated rather than chosen: an RFC 4122 UUID of
    versions 1 to 5 in any letter case, or the nil UUID. Anything that is not a string
    is not.
    """
    return isinstance(object_id, str) and _UUID.fullmatch(object_id) is not None


def create_empty_find_response(
    *, page: int = FIND_DEFAULT_PAGE, per_page: int = FIND_DEFAULT_PER_PAGE
) -> FindResponse:
    """The page ``find`` answers when there is nothing to search (no type the caller
    may see): ``total`` 0, no objects, the requested paging echoed."""
    # Imported here: the response model belongs to the repository, which builds on this
    # package; importing it at module level would load the whole repository with it.
    from kbn_saved_objects.repository.results import FindResponse

    return FindResponse(page=page, per_page=per_page, total=0, saved_objects=[])


def saved_object_name(
    saved_object: SavedObject[Any] | Mapping[str, Any], name_attribute: str | None = None
) -> str:
    """The name to show for an object: its ``name_attribute`` attribute when the type
    declares one and the object has it, else its ``name``, else its ``title``, else ``""``.

    ``saved_object`` is a :class:`~kbn_saved_objects.serialization.SavedObject` or a
    document with an ``attributes`` key. Attribute models are read by their aliases (the
    names stored in the index). Values are returned as stored, as in Kibana.
    """
    attributes: Any
    if isinstance(saved_object, SavedObject):
        attributes = saved_object.attributes
    else:
        attributes = saved_object.get("attributes")
    if isinstance(attributes, BaseModel):
        attributes = attributes.model_dump(by_alias=True)
    if not isinstance(attributes, Mapping):
        attributes = {}
    fallback = attributes.get("name")
    if fallback is None:
        fallback = attributes.get("title")
    if fallback is None:
        fallback = ""
    if name_attribute:
        value = attributes.get(name_attribute)
        if value is not None:
            return value  # type: ignore[no-any-return]
    return fallback  # type: ignore[no-any-return]
