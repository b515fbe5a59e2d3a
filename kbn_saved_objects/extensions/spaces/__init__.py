"""Spaces: the ``space`` type, the spaces client and the spaces extension (spec 08 §6).

``enable_spaces(service)`` does at setup what Kibana's spaces plugin does: registers the
``space`` type and gives every scoped client a spaces extension for its request's space.
:class:`SpacesClient` / :class:`AsyncSpacesClient` create, list, change and delete
spaces (deleting a space deletes its objects).
"""

from kbn_saved_objects.extensions.spaces._async.client import AsyncSpacesClient
from kbn_saved_objects.extensions.spaces._sync.client import SpacesClient
from kbn_saved_objects.extensions.spaces.extension import (
    NAMESPACE_FROM_CALLER,
    SavedObjectsSpacesExtension,
    SearchableSpacesFilter,
    SpacesExtensionBuilder,
    enable_spaces,
)
from kbn_saved_objects.extensions.spaces.space import (
    DEFAULT_MAX_SPACES,
    DEFAULT_SPACE,
    DEFAULT_SPACE_ID,
    SPACE_ID_PATTERN,
    Space,
    validate_space,
    validate_space_id,
)
from kbn_saved_objects.extensions.spaces.space_type import SPACE_TYPE, SpaceAttributes, space_type

__all__ = [
    "DEFAULT_MAX_SPACES",
    "DEFAULT_SPACE",
    "DEFAULT_SPACE_ID",
    "NAMESPACE_FROM_CALLER",
    "SPACE_ID_PATTERN",
    "SPACE_TYPE",
    "AsyncSpacesClient",
    "SavedObjectsSpacesExtension",
    "SearchableSpacesFilter",
    "Space",
    "SpaceAttributes",
    "SpacesClient",
    "SpacesExtensionBuilder",
    "enable_spaces",
    "space_type",
    "validate_space",
    "validate_space_id",
]
