"""The saved-objects repository (Kibana's saved-objects client), sync and async."""

from kbn_saved_objects.repository._async.repository import AsyncSavedObjectsRepository
from kbn_saved_objects.repository._sync.repository import SavedObjectsRepository
from kbn_saved_objects.repository.config import DEFAULT_INDEX, RepositoryConfig
from kbn_saved_objects.repository.context import DocumentMigration, NoMigration

__all__ = [
    "DEFAULT_INDEX",
    "AsyncSavedObjectsRepository",
    "DocumentMigration",
    "NoMigration",
    "RepositoryConfig",
    "SavedObjectsRepository",
]
