"""Where a repository built for a request acts, decided in one place.

Kibana's repository asks its spaces extension for the namespace of every call. Until
this library's repository operations do the same (the extension hooks of issue #17), the
service gets the same effect the way Kibana's ``asScopedToNamespace`` does: a repository
built with a spaces extension is *scoped* to that extension's active space, so every call
acts there and a call naming another namespace (or ``*``) is refused. Once the
repository consults the extension itself, this function is the one thing to retire.
"""

from __future__ import annotations

from kbn_saved_objects.repository.extensions import RepositoryExtensions
from kbn_saved_objects.serialization import namespace_id_to_string

__all__ = ["request_scope"]


def request_scope(extensions: RepositoryExtensions) -> str | None:
    """The namespace string a repository with ``extensions`` is scoped to: the spaces
    extension's active space, or ``None`` (unscoped) without a spaces extension."""
    if extensions.spaces is None:
        return None
    return namespace_id_to_string(extensions.spaces.get_current_namespace(None))
