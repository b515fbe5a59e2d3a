"""Kibana-compatible NDJSON export and import of saved objects (spec 07).

* :class:`SavedObjectsExporter` / :class:`AsyncSavedObjectsExporter`: ``export_by_types``
  and ``export_by_objects`` yield NDJSON lines, streamed through a spill file;
* :class:`SavedObjectsImporter` / :class:`AsyncSavedObjectsImporter`: ``import_`` and
  ``resolve_import_errors`` return Kibana's response dict (``import_outcome`` and
  ``resolve_import_errors_outcome`` an :class:`ImportOutcome` to stream it from);
* :class:`SavedObjectsCopier` / :class:`AsyncSavedObjectsCopier`: ``copy_to_spaces`` and
  ``resolve_copy_to_spaces_errors``, Kibana's copy between spaces on top of the two;
* :mod:`~kbn_saved_objects.import_export.ndjson`: the file format on its own.

The pure rules live in :mod:`.export` and :mod:`.importing`; the engine calls are written
once, async, in ``_async`` (the ``_sync`` twin is generated).
"""

from kbn_saved_objects.import_export._async.copy_to_spaces import (
    SavedObjectsCopier as AsyncSavedObjectsCopier,
)
from kbn_saved_objects.import_export._async.exporter import (
    SavedObjectsExporter as AsyncSavedObjectsExporter,
)
from kbn_saved_objects.import_export._async.importer import (
    SavedObjectsImporter as AsyncSavedObjectsImporter,
)
from kbn_saved_objects.import_export._sync.copy_to_spaces import SavedObjectsCopier
from kbn_saved_objects.import_export._sync.exporter import ExportContext, SavedObjectsExporter
from kbn_saved_objects.import_export._sync.importer import SavedObjectsImporter
from kbn_saved_objects.import_export.copy_to_spaces import (
    CopyRequestError,
    CopySourceNotFoundError,
)
from kbn_saved_objects.import_export.errors import (
    ImportSizeExceededError,
    InvalidNdjsonError,
    SavedObjectsExportError,
    SavedObjectsImportError,
)
from kbn_saved_objects.import_export.export import DEFAULT_MAX_IMPORT_EXPORT_SIZE, ExportDetails
from kbn_saved_objects.import_export.importing import ImportOutcome, ImportRetry
from kbn_saved_objects.import_export.ndjson import dumps_line, dumps_lines, parse_ndjson

__all__ = [
    "DEFAULT_MAX_IMPORT_EXPORT_SIZE",
    "CopyRequestError",
    "CopySourceNotFoundError",
    "AsyncSavedObjectsCopier",
    "AsyncSavedObjectsExporter",
    "AsyncSavedObjectsImporter",
    "ExportContext",
    "ExportDetails",
    "ImportOutcome",
    "ImportRetry",
    "ImportSizeExceededError",
    "InvalidNdjsonError",
    "SavedObjectsCopier",
    "SavedObjectsExportError",
    "SavedObjectsExporter",
    "SavedObjectsImportError",
    "SavedObjectsImporter",
    "dumps_line",
    "dumps_lines",
    "parse_ndjson",
]
