"""A space as the spaces client hands it out, and the rules a new or changed space meets.

Pure: the clients in ``_async``/``_sync`` and the spaces extension share these, so a
space is validated, stored and read back the same way on every path. Validation messages
are Kibana's (the spaces API's body schema, ``[field]: message``) and raise
:class:`~kbn_saved_objects.errors.BadRequestError`, Kibana's 400.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kbn_saved_objects.errors import BadRequestError
from kbn_saved_objects.extensions.spaces.space_type import SPACE_TYPE
from kbn_saved_objects.repository.operations.find import FindOptions
from kbn_saved_objects.serialization import DEFAULT_NAMESPACE_STRING, SavedObject

__all__ = [
    "DEFAULT_MAX_SPACES",
    "DEFAULT_SPACE",
    "DEFAULT_SPACE_ID",
    "GET_ALL_PURPOSES",
    "MAX_SPACE_INITIALS",
    "SPACE_ID_PATTERN",
    "Space",
    "find_spaces_options",
    "validate_purpose",
    "validate_space",
    "validate_space_id",
]

DEFAULT_SPACE_ID = DEFAULT_NAMESPACE_STRING
SPACE_ID_PATTERN = re.compile(r"^[a-z0-9_\-]+$")
MAX_SPACE_INITIALS = 2
MAX_DISABLED_FEATURES = 100
DEFAULT_MAX_SPACES = 1000
"""Kibana's ``xpack.spaces.maxSpaces`` default: how many spaces exist at most, and how
many a listing returns."""
SOLUTIONS = ("es", "oblt", "security", "classic")
GET_ALL_PURPOSES = (
    "any",
    "copySavedObjectsIntoSpace",
    "findSavedObjects",
    "shareSavedObjectsIntoSpace",
)

_COLOR = re.compile(r"^#[a-zA-Z0-9]{6}$")


@dataclass(frozen=True, kw_only=True)
class Space:
    """One space. ``reserved`` is Kibana's ``_reserved``: the default space, which can be
    changed but never deleted. ``disabled_features`` and ``solution`` are carried for the
    applications that read them; the library itself does not act on them."""

    id: str
    name: str
    description: str | None = None
    initials: str | None = None
    color: str | None = None
    image_url: str | None = None
    disabled_features: tuple[str, ...] = ()
    solution: str | None = None
    reserved: bool = False

    def attributes(self) -> dict[str, Any]:
        """The stored attributes (Kibana's ``generateSpaceAttributes``): absent values are
        left out, so an update keeps what it does not mention; ``_reserved`` is never
        written from here (only the default space is created reserved)."""
        values = {
            "name": self.name,
            "description": self.description,
            "color": self.color,
            "initials": self.initials,
            "imageUrl": self.image_url,
            "disabledFeatures": list(self.disabled_features),
            "solution": self.solution or None,
        }
        return {key: value for key, value in values.items() if value is not None}

    def to_dict(self) -> dict[str, Any]:
        """The space as Kibana's spaces API returns it (camelCase, absent values left out)."""
        body: dict[str, Any] = {"id": self.id, **self.attributes()}
        body["disabledFeatures"] = list(self.disabled_features)
        if self.reserved:
            body["_reserved"] = True
        return body

    @classmethod
    def from_saved_object(cls, obj: SavedObject[Any]) -> Space:
        """Kibana's ``transformSavedObjectToSpace``."""
        return cls.from_attributes(obj.id, obj.attributes or {})

    @classmethod
    def from_attributes(cls, space_id: str, attributes: Mapping[str, Any]) -> Space:
        return cls(
            id=space_id,
            name=attributes.get("name") or "",
            description=attributes.get("description"),
            initials=attributes.get("initials"),
            color=attributes.get("color"),
            image_url=attributes.get("imageUrl"),
            disabled_features=tuple(attributes.get("disabledFeatures") or ()),
            solution=attributes.get("solution") or None,
            reserved=bool(attributes.get("_reserved", False)),
        )


DEFAULT_SPACE = Space(
    id=DEFAULT_SPACE_ID,
    name="Default",
    description="This is your default space!",
    color="#00bfb3",
    reserved=True,
)
"""The space Kibana creates at startup when it is missing."""


def validate_space_id(space_id: object) -> str:
    """Lowercase letters, digits, ``_`` and ``-``: a space id is a URL path segment
    (``/s/<id>``) and a raw-id prefix, so nothing else is accepted (``*`` included)."""
    if not isinstance(space_id, str):
        raise BadRequestError(f"[id]: expected value of type [string] but got [{_kind(space_id)}]")
    if not SPACE_ID_PATTERN.match(space_id):
        raise BadRequestError("[id]: must be lower case, a-z, 0-9, '_', and '-' are allowed")
    return space_id


def validate_space(space: Space) -> Space:
    """The checks of Kibana's space body schema, in its field order; the first failure
    raises."""
    validate_space_id(space.id)
    if len(space.name) < 1:
        raise BadRequestError(
            f"[name]: value has length [{len(space.name)}] but it must have a minimum "
            "length of [1]."
        )
    if space.initials is not None and len(space.initials) > MAX_SPACE_INITIALS:
        raise BadRequestError(
            f"[initials]: value has length [{len(space.initials)}] but it must have a "
            f"maximum length of [{MAX_SPACE_INITIALS}]."
        )
    if space.color is not None and not _COLOR.match(space.color):
        raise BadRequestError("[color]: must be a 6 digit hex color, starting with a #")
    if len(space.disabled_features) > MAX_DISABLED_FEATURES:
        raise BadRequestError(
            f"[disabledFeatures]: array size is [{len(space.disabled_features)}], but cannot "
            f"be greater than [{MAX_DISABLED_FEATURES}]"
        )
    if space.image_url and not space.image_url.startswith("data:image"):
        raise BadRequestError("[imageUrl]: must start with 'data:image'")
    if space.solution is not None and space.solution not in SOLUTIONS:
        raise BadRequestError(
            f"[solution]: expected one of [{', '.join(SOLUTIONS)}] but got [{space.solution}]"
        )
    return space


def validate_purpose(purpose: str) -> str:
    """``get_all``'s ``purpose``: what the caller means to do with the spaces, which
    decides (with a security layer) which spaces it is shown."""
    if purpose not in GET_ALL_PURPOSES:
        raise BadRequestError(f"unsupported space purpose: {purpose}")
    return purpose


def find_spaces_options(max_spaces: int, *, per_page: int | None = None) -> FindOptions:
    """The one search that lists spaces: every ``space`` object, sorted by name, at most
    ``max_spaces`` of them (Kibana never pages through spaces)."""
    return {
        "type": SPACE_TYPE,
        "page": 1,
        "per_page": max_spaces if per_page is None else per_page,
        "sort_field": "name.keyword",
    }


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list | tuple):
        return "Array"
    return type(value).__name__
