"""Find results are built in one step from the hit's document: the same model as wrapping
a saved object and copying it with the hit's score and sort (``from_saved_object``)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from kbn_saved_objects.repository.results import FindResult, FoundDocument
from kbn_saved_objects.serialization import saved_object_from_doc

DOC_KEYS = ["type", "id", "namespaces", "originId", "attributes", "references", "managed"]
DOC_KEYS += ["version", "updated_at", "coreMigrationVersion", "typeMigrationVersion", "other"]


@given(
    st.lists(st.sampled_from(DOC_KEYS), unique=True),
    st.none() | st.floats(allow_nan=False),
    st.none() | st.lists(st.integers(), max_size=2),
)
def test_find_results_equal_copied_saved_objects(
    keys: list[str], score: float | None, sort: list[Any] | None
) -> None:
    doc: Any = {key: f"value of {key}" for key in keys}
    for _ in range(2):  # the second one takes the cached key order
        built = FoundDocument(doc, score, sort).to_result()
        copied = FindResult.from_saved_object(saved_object_from_doc(doc), score, sort)
        assert type(built) is FindResult
        assert list(built.__dict__.items()) == list(copied.__dict__.items())
        assert built.model_fields_set == copied.model_fields_set
