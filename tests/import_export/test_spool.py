"""The import's spools: objects out of memory, read back exactly, in any chunking."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kbn_saved_objects.import_export.importing import ImportOutcome, import_response
from kbn_saved_objects.import_export.spool import ObjectSpool

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
objects = st.dictionaries(st.text(), json_values, max_size=5)


@settings(max_examples=60, deadline=None)
@given(st.lists(objects, max_size=30), st.integers(1, 64), st.integers(0, 256))
def test_a_spool_reads_back_what_was_appended(
    items: list[dict[str, Any]], read_bytes: int, in_memory: int
) -> None:
    with ObjectSpool(max_memory_bytes=in_memory) as spool:
        for item in items:
            spool.append(item)
        assert len(spool) == len(items)
        chunks = list(spool.chunks(read_bytes))
        assert [obj for chunk in chunks for obj in chunk] == items
        assert all(chunks)  # no empty chunk
        assert list(spool) == items  # and again: reading does not consume


def test_readers_are_independent_and_appending_after_reading_works() -> None:
    with ObjectSpool(max_memory_bytes=0) as spool:  # on disk from the first byte
        for n in range(5):
            spool.append({"n": n})
        first, second = iter(spool), iter(spool)
        assert [next(first), next(second), next(first)] == [{"n": 0}, {"n": 0}, {"n": 1}]
        spool.append({"n": 5})
        assert [obj["n"] for obj in spool] == [0, 1, 2, 3, 4, 5]


def test_an_object_larger_than_a_read_is_read_whole() -> None:
    big = {"attributes": {"text": "x" * 10_000}}
    with ObjectSpool() as spool:
        spool.append({"a": 1})
        spool.append(big)
        spool.append({"b": 2})
        chunks = list(spool.chunks(read_bytes=100))
        assert [obj for chunk in chunks for obj in chunk] == [{"a": 1}, big, {"b": 2}]
        assert all(chunks)


entries = st.fixed_dictionaries(
    {"type": st.sampled_from(["dashboard", "search"]), "id": st.text(min_size=1)},
    optional={"meta": st.fixed_dictionaries({"title": st.text()}), "overwrite": st.just(True)},
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(entries, max_size=20),
    st.lists(st.fixed_dictionaries({"id": st.text(), "error": objects}), max_size=3),
    st.lists(objects, max_size=2),
)
def test_the_streamed_answer_is_the_response_dict(
    successes: list[dict[str, Any]], errors: list[dict[str, Any]], warnings: list[dict[str, Any]]
) -> None:
    with ImportOutcome(errors=errors, warnings=warnings) as outcome:
        outcome.add_successes(successes)
        streamed = b"".join(outcome.iter_json())
        expected = import_response(successes, errors, warnings)
        assert json.loads(streamed) == expected
        assert list(json.loads(streamed)) == list(expected)  # Kibana's key order
        assert outcome.to_response() == expected


def test_sorting_successes_back_to_file_order() -> None:
    with ImportOutcome() as outcome:
        outcome.add_successes([{"type": "t", "id": "b"}, {"type": "t", "id": "a"}])
        order = {"t:a": 0, "t:b": 1}
        outcome.sort_successes(lambda e: order[f"{e['type']}:{e['id']}"])
        assert [e["id"] for e in outcome.success_results] == ["a", "b"]
