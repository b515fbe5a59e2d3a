"""``may_share_raw_id`` never misses a collision, and spares ordinary ids (no engine).

The property: ``may_share_raw_id`` is true exactly when another object of a registered
type (or the same type in another space) could be stored at the same raw id -- so no
blind write goes without the read that protects the other object, and no write reads
for nothing.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.helpers.raw_id_collisions import may_share_raw_id
from tests.repository.conftest import AGNOSTIC, MULTIPLE, MULTIPLE_ISOLATED, SINGLE

TYPES = [SINGLE, MULTIPLE, MULTIPLE_ISOLATED, AGNOSTIC]
PARTS = st.sampled_from([*TYPES, "a", "b", "default"])
IDS = st.lists(PARTS, min_size=1, max_size=3).map(":".join)
NAMESPACES = st.sampled_from([None, *TYPES, "a", "b"])


def owner(ctx: RepositoryContext, type_name: str, namespace: str | None) -> tuple[str, str | None]:
    return (type_name, namespace if ctx.registry.is_single_namespace(type_name) else None)


def readings(ctx: RepositoryContext, raw_id: str) -> set[tuple[str, str | None]]:
    """Every (type, namespace id) whose object could be stored at ``raw_id``, by brute
    force: each registered type, each namespace the raw id could start with, and each id
    it could end with, kept when they generate exactly ``raw_id``."""
    cuts = [i for i, char in enumerate(raw_id) if char == ":"]
    namespaces: list[str | None] = [None, *(raw_id[:i] for i in cuts if i > 0)]
    ids = [raw_id[i + 1 :] for i in cuts if raw_id[i + 1 :]]
    return {
        owner(ctx, type_name, namespace)
        for type_name in TYPES
        for namespace in namespaces
        for object_id in ids
        if ctx.serializer.generate_raw_id(namespace, type_name, object_id) == raw_id
    }


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(type_name=st.sampled_from(TYPES), namespace=NAMESPACES, object_id=IDS)
def test_a_raw_id_with_another_reading_is_always_flagged(
    offline_context: RepositoryContext, type_name: str, namespace: str | None, object_id: str
) -> None:
    ctx = offline_context
    own = owner(ctx, type_name, namespace)
    raw_id = ctx.serializer.generate_raw_id(own[1], type_name, object_id)
    others = readings(ctx, raw_id) - {own}
    assert may_share_raw_id(ctx, type_name, own[1], raw_id) == bool(others), (raw_id, others)


def test_ordinary_raw_ids_need_no_read(offline_context: RepositoryContext) -> None:
    ctx = offline_context
    cases = [
        (SINGLE, None, "abc"),
        (SINGLE, "marketing", "abc"),
        (MULTIPLE, None, "abc"),
        (AGNOSTIC, None, "5e4f-uuid"),
        (MULTIPLE, None, "a:b"),  # ':' in an id, but 'shared:a' is no prefix
    ]
    for type_name, namespace, object_id in cases:
        raw_id = ctx.serializer.generate_raw_id(namespace, type_name, object_id)
        assert not may_share_raw_id(ctx, type_name, namespace, raw_id), raw_id
    shared = [
        (MULTIPLE, None, f"{SINGLE}:victim"),  # = SINGLE 'victim' in space 'shared'
        (SINGLE, MULTIPLE, "victim"),
        (SINGLE, SINGLE, "v"),  # = SINGLE 'isolated:v' of the default space
    ]
    for type_name, namespace, object_id in shared:
        raw_id = ctx.serializer.generate_raw_id(namespace, type_name, object_id)
        assert may_share_raw_id(ctx, type_name, namespace, raw_id), raw_id
