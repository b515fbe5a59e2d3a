"""Semver comparisons for the migrator's hot path.

Every decision the migrator takes compares version strings (``typeMigrationVersion``,
``coreMigrationVersion``, transform versions) by semver precedence, never as text
(``10.10.0 > 10.9.0``). Documents carry a handful of distinct version strings, so each is
parsed once and its sort key cached; a comparison is then a tuple comparison.
"""

from __future__ import annotations

from typing import TypeAlias

from kbn_saved_objects.types._semver import parse_semver

__all__ = [
    "InvalidVersion",
    "VersionKey",
    "is_greater",
    "max_version",
    "semver_gt",
    "version_key",
]

VersionKey: TypeAlias = tuple[int, int, int, int, tuple[tuple[int, int | str], ...]]

_KEYS: dict[str, VersionKey] = {}
_MAX_CACHED = 10_000  # bounded: a corrupt index could hold any number of distinct strings


class InvalidVersion(Exception):
    """A version field that is not a semver; the migrator reports it with the document."""

    def __init__(self, value: object) -> None:
        super().__init__(f"Invalid Version: {value}")
        self.value = value


def version_key(value: object) -> VersionKey:
    """The precedence key of ``value``; raise :class:`InvalidVersion` if it is not semver."""
    if type(value) is str:
        cached = _KEYS.get(value)
        if cached is not None:
            return cached
    parsed = parse_semver(value)
    if parsed is None:
        raise InvalidVersion(value)
    # A release sorts after its pre-releases; numeric identifiers before alphanumeric ones.
    key: VersionKey = (
        parsed.major,
        parsed.minor,
        parsed.patch,
        0 if parsed.prerelease else 1,
        tuple((0, p) if isinstance(p, int) else (1, p) for p in parsed.prerelease),
    )
    if len(_KEYS) < _MAX_CACHED:
        _KEYS[value] = key  # type: ignore[index]  # parse_semver accepted it: a str
    return key


def semver_gt(a: object, b: object) -> bool:
    return a != b and version_key(a) > version_key(b)


def is_greater(a: object, b: object) -> bool:
    """Kibana's ``isGreater``: ``a`` is set, and ``b`` is unset or older than ``a``.

    "Set" is JavaScript truthiness, so an empty ``typeMigrationVersion`` counts as unset.
    """
    if not a:
        return False
    if not b:
        return True
    return a != b and version_key(a) > version_key(b)


def max_version(*versions: str | None) -> str | None:
    """The highest of the set versions, ``None`` when none is set."""
    best: str | None = None
    for version in versions:
        if version and (best is None or version_key(version) > version_key(best)):
            best = version
    return best
