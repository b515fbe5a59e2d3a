"""The semver subset type checks rely on: validity and precedence, never string order."""

from __future__ import annotations

import pytest

from kbn_saved_objects.types._semver import SemVer, is_valid_semver, parse_semver


@pytest.mark.parametrize(
    "value", ["1.2.3", "10.0.0", "v1.2.3", "1.2.3-alpha.1", "1.2.3+build.5", " 8.8.0 "]
)
def test_valid(value: str) -> None:
    assert is_valid_semver(value)


@pytest.mark.parametrize(
    "value",
    ["1.2", "01.2.3", "1.2.3.4", "bar", "", "9.-2.0", None, 7, "1.2.3-01", "9007199254740992.0.0"],
)
def test_invalid(value: object) -> None:
    assert not is_valid_semver(value)


def test_precedence() -> None:
    def v(text: str) -> SemVer:
        parsed = parse_semver(text)
        assert parsed is not None
        return parsed

    assert v("10.10.0") > v("10.9.0")
    assert v("8.10.0") >= v("8.10.0")
    assert v("8.9.9") < v("8.10.0")
    assert v("1.0.0-alpha") < v("1.0.0")
    assert v("1.0.0-alpha") < v("1.0.0-alpha.1") < v("1.0.0-beta") < v("1.0.0-beta.2")
    assert v("1.0.0-2") < v("1.0.0-10") < v("1.0.0-rc")
    assert v("1.0.0+build") <= v("1.0.0")
    assert str(v("v1.2.3-rc.1+x")) == "1.2.3-rc.1"
