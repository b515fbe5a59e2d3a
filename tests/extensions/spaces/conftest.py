"""The started service of tests/service, with spaces s1 and s2 (and default)."""

from tests.service.conftest import (  # noqa: F401 - fixtures
    async_so_start,
    async_spaces_client,
    so_start,
    spaces_client,
)
