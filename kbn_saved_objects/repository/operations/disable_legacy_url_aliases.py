"""``disable_legacy_url_aliases``: stop old ids from leading anywhere (spec 05 §5.3).

An alias is disabled, not deleted, so that the create preflight, ``resolve`` and
``collect_multi_namespace_references`` all ignore it while its history (resolve counter,
last resolved) stays for an administrator to read. Kibana's spaces plugin does this with a
``bulkUpdate`` of ``{disabled: true}``; so do we.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypedDict

from kbn_saved_objects.errors import ForbiddenError, SavedObjectsError
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.extensions import (
    LegacyUrlAliasTarget as AuthorizeAliasTarget,
)
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.repository.operations.bulk_update import BulkUpdateObject, bulk_update
from kbn_saved_objects.repository.results import SavedObjectsBulkResponse
from kbn_saved_objects.serialization import legacy_url_alias_id
from kbn_saved_objects.types import LEGACY_URL_ALIAS_TYPE

__all__ = ["LegacyUrlAliasTarget", "disable_legacy_url_aliases"]


class LegacyUrlAliasTarget(TypedDict):
    """Which alias: the old id ``source_id`` of ``target_type`` in ``target_space``."""

    target_space: str
    target_type: str
    source_id: str


def disable_legacy_url_aliases(
    ctx: RepositoryContext, aliases: Sequence[LegacyUrlAliasTarget]
) -> Operation[SavedObjectsBulkResponse[Any]]:
    """One entry per alias, in input order: the updated alias, or its error (404 for an
    alias that does not exist). A repository scoped to a space may only disable that
    space's aliases."""
    for alias in aliases:
        ctx.namespace_option(alias["target_space"])
    security = ctx.extensions.security
    if security is not None:
        # Kibana's spaces client authorizes the aliases themselves, then writes them with
        # its internal repository: the write below is not the caller's bulk update
        try:
            security.authorize_disable_legacy_url_aliases(
                [
                    AuthorizeAliasTarget(a["target_space"], a["target_type"], a["source_id"])
                    for a in aliases
                ]
            )
        except SavedObjectsError as error:
            raise ForbiddenError(f"Unable to disable aliases: {error.message}") from error
    updates: list[BulkUpdateObject] = [
        {
            "type": LEGACY_URL_ALIAS_TYPE,
            "id": legacy_url_alias_id(
                alias["target_space"], alias["target_type"], alias["source_id"]
            ),
            "attributes": {"disabled": True},
        }
        for alias in aliases
    ]
    return (yield from bulk_update(ctx.without_extensions(), updates, {}))
