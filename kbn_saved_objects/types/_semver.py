"""The slice of semantic versioning Kibana's type checks rely on.

Kibana uses the ``semver`` npm package: a version is ``MAJOR.MINOR.PATCH`` with an optional
pre-release and build part, an optional leading ``v``, no leading zeros, and every
comparison is by precedence, never by string (``10.10.0 > 10.9.0``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = r"0|[1-9]\d*"
_PRE_ID = r"(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)"
_SEMVER = re.compile(
    rf"^v?(?P<major>{_NUM})\.(?P<minor>{_NUM})\.(?P<patch>{_NUM})"
    rf"(?:-(?P<pre>{_PRE_ID}(?:\.{_PRE_ID})*))?"
    r"(?:\+[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*)?$"
)
_MAX_LENGTH = 256
_MAX_SAFE_INTEGER = 2**53 - 1


@dataclass(frozen=True, slots=True)
class SemVer:
    major: int
    minor: int
    patch: int
    prerelease: tuple[int | str, ...] = ()

    def __str__(self) -> str:
        core = f"{self.major}.{self.minor}.{self.patch}"
        if self.prerelease:
            return core + "-" + ".".join(str(part) for part in self.prerelease)
        return core

    def _key(self) -> tuple[int, int, int, int, tuple[tuple[int, int | str], ...]]:
        # A release sorts after its pre-releases; numeric identifiers sort before others.
        pre = tuple((0, p) if isinstance(p, int) else (1, p) for p in self.prerelease)
        return (self.major, self.minor, self.patch, 0 if self.prerelease else 1, pre)

    def __lt__(self, other: SemVer) -> bool:
        return self._key() < other._key()

    def __le__(self, other: SemVer) -> bool:
        return self._key() <= other._key()

    def __gt__(self, other: SemVer) -> bool:
        return self._key() > other._key()

    def __ge__(self, other: SemVer) -> bool:
        return self._key() >= other._key()


def parse_semver(value: object) -> SemVer | None:
    """The parsed version, or ``None`` when ``value`` is not a valid semver string."""
    if not isinstance(value, str) or len(value) > _MAX_LENGTH:
        return None
    match = _SEMVER.match(value.strip())
    if match is None:
        return None
    numbers = [int(match[part]) for part in ("major", "minor", "patch")]
    if any(number > _MAX_SAFE_INTEGER for number in numbers):
        return None
    pre = match["pre"]
    prerelease: tuple[int | str, ...] = ()
    if pre:
        prerelease = tuple(int(p) if p.isdigit() else p for p in pre.split("."))
    return SemVer(numbers[0], numbers[1], numbers[2], prerelease)


def is_valid_semver(value: object) -> bool:
    return parse_semver(value) is not None
