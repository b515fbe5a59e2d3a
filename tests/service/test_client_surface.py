"""The request-scoped client offers every public repository operation.

A method the repository gains and the client lacks is a call that can only be made
around the client's checks; this keeps the two lists equal.
"""

from __future__ import annotations

import inspect

import pytest

from kbn_saved_objects.repository import AsyncSavedObjectsRepository, SavedObjectsRepository
from kbn_saved_objects.service import AsyncSavedObjectsClient, SavedObjectsClient

# Repository members that are not operations a request may perform.
NOT_OPERATIONS = {
    "setup_indices",  # index creation belongs to the service's start, not to a request
    "delete_by_namespace",  # used by the spaces client when a space is deleted
    "increment_counter",  # internal to usage counters in Kibana, not on its client
    "get_current_namespace",
}


@pytest.mark.parametrize(
    ("repository", "client"),
    [
        (AsyncSavedObjectsRepository, AsyncSavedObjectsClient),
        (SavedObjectsRepository, SavedObjectsClient),
    ],
)
def test_every_repository_operation_is_on_the_client(repository: type, client: type) -> None:
    operations = {
        name
        for name, member in inspect.getmembers(repository, inspect.isfunction)
        if not name.startswith("_") and name not in NOT_OPERATIONS
    }
    missing = sorted(name for name in operations if not hasattr(client, name))
    assert missing == []
