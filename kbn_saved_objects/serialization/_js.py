"""JavaScript truthiness, which Kibana's serializer rules are written in."""

from __future__ import annotations

__all__ = ["js_truthy"]


def js_truthy(value: object) -> bool:
    """``False`` for ``None``, ``False``, ``0``, ``NaN`` and ``''``; ``True`` otherwise.

    Unlike Python, every list and dict -- empty ones included -- is truthy.
    """
    if value is None or value is False:
        return False
    kind = type(value)
    if kind is dict or kind is list or value is True:
        return True
    if isinstance(value, str):
        return value != ""
    if isinstance(value, int | float):
        return value == value and value != 0  # NaN != NaN
    return True
