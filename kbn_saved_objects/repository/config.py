"""How a repository names its indices and stamps its documents.

The default index is *not* Kibana's ``.kibana``: writing into Kibana's own indices from
another service corrupts them (Kibana's migrator owns their mappings and documents), so
pointing the library at ``.kibana*`` requires ``allow_kibana_indices=True``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

DEFAULT_INDEX = "kbn_saved_objects"

Refresh = bool | Literal["wait_for"]


def utc_now_iso() -> str:
    """ISO-8601 UTC with milliseconds and ``Z``, as Kibana stamps ``updated_at``."""
    now = datetime.now(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


@dataclass(frozen=True)
class RepositoryConfig:
    """Index naming and document stamping.

    ``default_index`` holds every type without an ``index_pattern``. ``index_suffix``
    (Kibana uses ``_<stack version>``) is appended to every index name a write targets;
    writes send ``require_alias=true``, so they fail instead of auto-creating an index.
    ``current_user`` returns the user profile id stamped into ``created_by``/``updated_by``
    (no stamp when it returns ``None``); a repository with a security extension stamps
    that extension's user instead, as Kibana does. ``clock`` returns the time stamp of an operation.
    """

    default_index: str = DEFAULT_INDEX
    index_suffix: str = ""
    allow_kibana_indices: bool = False
    refresh: Refresh = "wait_for"
    current_user: Callable[[], str | None] = field(default=lambda: None)
    clock: Callable[[], str] = field(default=utc_now_iso)
    require_alias: bool = True
    max_retries: int = 3
    """Retries of idempotent reads on engine unavailability or 429 (writes never retry)."""

    def __post_init__(self) -> None:
        self.check_index_name(self.default_index)

    def check_index_name(self, name: str) -> str:
        if name.startswith(".kibana") and not self.allow_kibana_indices:
            raise ValueError(
                f"index {name!r} belongs to Kibana; writing into Kibana's indices corrupts "
                "them. Pass allow_kibana_indices=True to RepositoryConfig to do it anyway."
            )
        if not name or name != name.lower() or name.startswith(("_", "-", "+")):
            raise ValueError(f"invalid index name {name!r}")
        return name
