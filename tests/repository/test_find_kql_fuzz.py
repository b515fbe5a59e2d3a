"""Generated KQL through find on the real engine: results or a typed bad request, nothing else.

* Well-formed queries over text and keyword fields must reach the engine and be
  accepted by it, unless our own validation refuses them first (an unknown field).
* Well-formed queries over any field, and arbitrary KQL-like text, must either work or
  fail with a BadRequestError (KQLSyntaxError included). The engine may refuse a value of
  the wrong kind for a numeric or date field (``count: @``), as it does for Kibana; that
  arrives as a typed BadRequestError too. Any other exception fails the test.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbn_saved_objects.errors import BadRequestError
from kbn_saved_objects.repository import SavedObjectsRepository
from tests.repository.conftest import MULTIPLE, SINGLE
from tests.search.kql.strategies import ascii_words, kql_like_text, kql_queries

pytestmark = pytest.mark.engine

TEXT_FIELDS = [
    f"{SINGLE}.attributes.title",
    f"{MULTIPLE}.attributes.title",
    f"{MULTIPLE}.attributes.nested.a",
    f"{SINGLE}.attributes.nope",
    "type",
]
ALL_FIELDS = [*TEXT_FIELDS, f"{SINGLE}.attributes.count", f"{SINGLE}.updated_at"]

KEYWORD_IN_WILDCARD = re.compile(r"\*[^:()]*\\(and|or|not)\b", re.IGNORECASE)
"""A wildcard value with an escaped operator word (``title:* \\AND``) becomes the
``query_string`` ``* AND``, as Kibana's wildcard node builds it (only Lucene's special
characters are escaped, not words or spaces), and the engine refuses that query string
for Kibana as for us: a typed 400 either way, not a query this port gets wrong."""

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def find(repo: SavedObjectsRepository, kql: str) -> BadRequestError | None:
    try:
        repo.find(type=[SINGLE, MULTIPLE], filter=kql, per_page=1)
    except BadRequestError as error:
        return error
    return None


@FUZZ
@given(
    query=kql_queries(
        fields=st.sampled_from(TEXT_FIELDS), words=ascii_words(), value_only=False, nested=False
    )
)
def test_queries_on_text_fields_are_accepted_by_the_engine(
    repository: SavedObjectsRepository, query: str
) -> None:
    error = find(repository, query)
    refused_by_engine = error is not None and "engine_status" in error.metadata
    if refused_by_engine and KEYWORD_IN_WILDCARD.search(query):
        return  # refused by the engine in Kibana too: see KEYWORD_IN_WILDCARD
    assert not refused_by_engine, (query, error)


@FUZZ
@given(
    text=kql_queries(
        fields=st.sampled_from(ALL_FIELDS), words=ascii_words(), value_only=False, nested=False
    )
    | kql_like_text()
    | st.text(max_size=30)
)
def test_any_text_ends_in_results_or_a_typed_bad_request(
    repository: SavedObjectsRepository, text: str
) -> None:
    find(repository, text)
