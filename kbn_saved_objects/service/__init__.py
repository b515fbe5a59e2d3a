"""The saved-objects service facade and the request-scoped client (spec 08 §7-8).

Build a :class:`SavedObjectsService` (or :class:`AsyncSavedObjectsService`) over an
engine, declare types and extension factories on ``service.setup()``, then
``service.start()`` hands out a :class:`SavedObjectsClient` per request
(``get_scoped_client(RequestContext(...))``), repositories, and the importer/exporter
working through a client.
"""

from kbn_saved_objects.service._async.client import AsyncSavedObjectsClient
from kbn_saved_objects.service._async.service import (
    AsyncSavedObjectsService,
    AsyncSavedObjectsServiceStart,
)
from kbn_saved_objects.service._sync.client import SavedObjectsClient
from kbn_saved_objects.service._sync.service import (
    SavedObjectsService,
    SavedObjectsServiceStart,
)
from kbn_saved_objects.service.context import RequestContext
from kbn_saved_objects.service.setup import (
    ClientFactory,
    ClientFactoryOptions,
    ClientFactoryProvider,
    ClientWrapperFactory,
    ClientWrapperOptions,
    ExtensionFactory,
    SavedObjectsServiceSetup,
)

__all__ = [
    "AsyncSavedObjectsClient",
    "AsyncSavedObjectsService",
    "AsyncSavedObjectsServiceStart",
    "ClientFactory",
    "ClientFactoryOptions",
    "ClientFactoryProvider",
    "ClientWrapperFactory",
    "ClientWrapperOptions",
    "ExtensionFactory",
    "RequestContext",
    "SavedObjectsClient",
    "SavedObjectsService",
    "SavedObjectsServiceSetup",
    "SavedObjectsServiceStart",
]
