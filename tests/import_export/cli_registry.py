"""The registry ``kbn-so import/export --registry`` loads in the CLI tests."""

from tests.import_export.conftest import build_registry

REGISTRY = build_registry()
NOT_A_REGISTRY = object()
