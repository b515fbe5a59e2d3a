"""delete, bulk_delete, delete_by_namespace, remove_references_to and alias deletion driven
with canned answers: the requests they send and how they read unusual answers."""

from __future__ import annotations

import logging
from typing import Any

import orjson
import pytest

from kbn_saved_objects.engine.requests import Request
from kbn_saved_objects.errors import (
    ConflictError,
    EngineUnavailableError,
    NotFoundError,
    UnclassifiedError,
)
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.helpers.legacy_url_aliases import (
    AliasTarget,
    delete_legacy_url_aliases,
)
from kbn_saved_objects.repository.operation import run_offline
from kbn_saved_objects.repository.operations.bulk_delete import bulk_delete
from kbn_saved_objects.repository.operations.delete import delete
from kbn_saved_objects.repository.operations.delete_by_namespace import delete_by_namespace
from kbn_saved_objects.repository.operations.remove_references_to import remove_references_to
from kbn_saved_objects.search.query import single_type_clause as type_namespace_clause
from kbn_saved_objects.types import LEGACY_URL_ALIAS_TYPE
from tests.repository.conftest import AGNOSTIC, HIDDEN, MULTIPLE, SINGLE


def body(request: Request) -> Any:
    return orjson.loads(request.body or b"")


def test_delete_request(offline_context: RepositoryContext) -> None:
    result, sent = run_offline(
        delete(offline_context, SINGLE, "d", {"namespace": "a"}), [{"result": "deleted"}]
    )
    assert result is None
    (request,) = sent
    assert request.method == "DELETE"
    assert request.path == "/offline-so_1/_doc/a%3Aisolated%3Ad"
    assert request.params == {"refresh": "wait_for"}
    assert request.not_found_ok


def test_unexpected_delete_answer(offline_context: RepositoryContext) -> None:
    with pytest.raises(UnclassifiedError) as caught:
        run_offline(delete(offline_context, SINGLE, "d", {}), [{"result": "noop"}])
    assert caught.value.message == (
        'Unexpected Elasticsearch DELETE response: {"type":"isolated","id":"d",'
        '"response":{"body":{"result":"noop"},"statusCode":200}}'
    )


def test_unverifiable_404_in_the_preflight_is_not_found(
    offline_context: RepositoryContext,
) -> None:
    unverified = EngineUnavailableError(metadata={"engine_status": 404})
    with pytest.raises(NotFoundError):
        run_offline(delete(offline_context, MULTIPLE, "d", {}), [unverified])
    with pytest.raises(EngineUnavailableError):
        run_offline(delete(offline_context, MULTIPLE, "d", {}), [EngineUnavailableError()])


def test_multi_namespace_delete_is_guarded_by_the_preflight_read(
    offline_context: RepositoryContext,
) -> None:
    """An object shared to another space between the check and the delete must not be
    deleted without ``force``: the DELETE carries the read's _seq_no/_primary_term."""
    preflight = {
        "found": True,
        "_seq_no": 7,
        "_primary_term": 2,
        "_source": {"type": MULTIPLE, "namespaces": ["default"]},
    }
    raced = ConflictError(metadata={"engine_status": 409})
    with pytest.raises(ConflictError):
        run_offline(delete(offline_context, MULTIPLE, "d", {}), [preflight, raced])
    _, sent = run_offline(
        delete(offline_context, MULTIPLE, "d", {}),
        [preflight, {"result": "deleted"}, {"deleted": 0, "failures": []}],
    )
    assert sent[1].method == "DELETE"
    assert sent[1].params is not None
    assert sent[1].params["if_seq_no"] == "7"
    assert sent[1].params["if_primary_term"] == "2"


def test_alias_deletion_is_one_request_and_never_raises(
    offline_context: RepositoryContext, caplog: pytest.LogCaptureFixture
) -> None:
    targets = [
        AliasTarget(MULTIPLE, "a", ["x", "y"], inclusive=True),
        AliasTarget(MULTIPLE, "b", [], inclusive=False),
        AliasTarget(MULTIPLE, "c", [], inclusive=True),  # nothing to do
        AliasTarget(MULTIPLE, "d", ["*"], inclusive=True),  # refused, logged
    ]
    with caplog.at_level(logging.ERROR, "kbn_saved_objects.repository"):
        _, sent = run_offline(
            delete_legacy_url_aliases(offline_context, targets), [EngineUnavailableError()]
        )
    (request,) = sent
    assert request.path == "/offline-so_1/_update_by_query"
    assert request.params == {"refresh": "false", "conflicts": "proceed"}
    sent_body = body(request)
    assert sent_body["script"]["params"]["targets"] == {
        MULTIPLE: {
            "a": {"namespaces": ["x", "y"], "inclusive": True},
            "b": {"namespaces": [], "inclusive": False},
        }
    }
    messages = [record.getMessage() for record in caplog.records]
    assert any('shared/d: "namespaces" cannot include the * string' in m for m in messages)
    assert any("shared/a, shared/b: Service Unavailable" in m for m in messages)


def test_bulk_delete_without_shared_objects_skips_the_mget(
    offline_context: RepositoryContext,
) -> None:
    answer = {
        "items": [
            {"delete": {"result": "deleted", "status": 200}},
            {"delete": {"result": "not_found", "status": 404}},
        ]
    }
    response, sent = run_offline(
        bulk_delete(
            offline_context,
            [
                {"type": SINGLE, "id": "a"},
                {"type": AGNOSTIC, "id": "b"},
                {"type": HIDDEN, "id": "c"},
            ],
            {"refresh": False},
        ),
        [answer],
    )
    (request,) = sent
    assert request.path == "/_bulk"
    assert request.params == {"refresh": "false", "require_alias": "true"}
    lines = [orjson.loads(line) for line in (request.body or b"").splitlines()]
    assert lines == [
        {"delete": {"_id": "isolated:a", "_index": "offline-so_1"}},
        {"delete": {"_id": "global:b", "_index": "offline-so_1"}},
    ]
    assert [s.success for s in response.statuses] == [True, False, False]
    assert response.statuses[1].error is not None
    assert response.statuses[1].error["statusCode"] == 404
    assert response.statuses[2].error is not None
    assert response.statuses[2].error["statusCode"] == 400


def test_delete_by_namespace_request(offline_context: RepositoryContext) -> None:
    answer = {"total": 0, "updated": 0, "deleted": 0, "failures": []}
    result, sent = run_offline(delete_by_namespace(offline_context, "gone", {}), [answer])
    assert result == answer
    (request,) = sent
    # hidden and other-index types are included; refresh is not sent unless given
    assert request.path == "/offline-so_1,offline-other_1/_update_by_query"
    assert request.params == {"conflicts": "proceed"}
    assert request.not_found_ok
    sent_body = body(request)
    assert sent_body["script"]["params"] == {"namespace": "gone"}
    alias_filter, types = sent_body["query"]["bool"]["filter"]
    assert alias_filter["bool"]["should"][0] == {
        "term": {f"{LEGACY_URL_ALIAS_TYPE}.targetNamespace": "gone"}
    }
    matched_types = [c["bool"]["must"][0]["term"]["type"] for c in types["bool"]["should"]]
    assert AGNOSTIC not in matched_types
    assert HIDDEN in matched_types
    assert matched_types[-1] == LEGACY_URL_ALIAS_TYPE


def test_remove_references_to_request_and_failures(offline_context: RepositoryContext) -> None:
    result, sent = run_offline(
        remove_references_to(offline_context, "tag", "t1", {"namespace": "a"}), [{"updated": 3}]
    )
    assert result.updated == 3
    (request,) = sent
    assert request.params == {"refresh": "true", "conflicts": "proceed"}
    references, types = body(request)["query"]["bool"]["filter"]
    assert references["bool"]["should"][0]["nested"]["path"] == "references"
    single = type_namespace_clause(offline_context.registry, SINGLE, ["a"])
    assert single in types["bool"]["should"]
    with pytest.raises(ConflictError) as caught:
        run_offline(
            remove_references_to(offline_context, "tag", "t1", {}),
            [{"updated": 1, "failures": [{"cause": "x"}]}],
        )
    assert caught.value.message == "Saved object [tag/t1] conflict"


@pytest.mark.parametrize(
    ("type_name", "namespaces", "expected"),
    [
        (
            MULTIPLE,
            ["marketing", "sales"],
            {
                "bool": {
                    "must": [
                        {"term": {"type": MULTIPLE}},
                        {"terms": {"namespaces": ["marketing", "sales", "*"]}},
                    ],
                    "must_not": [{"exists": {"field": "namespace"}}],
                }
            },
        ),
        (
            MULTIPLE,
            ["*"],
            {
                "bool": {
                    "must": [{"term": {"type": MULTIPLE}}],
                    "must_not": [{"exists": {"field": "namespace"}}],
                }
            },
        ),
        (
            SINGLE,
            ["marketing", "default"],
            {
                "bool": {
                    "must": [{"term": {"type": SINGLE}}],
                    "should": [
                        {"terms": {"namespace": ["marketing"]}},
                        {"bool": {"must_not": [{"exists": {"field": "namespace"}}]}},
                    ],
                    "minimum_should_match": 1,
                    "must_not": [{"exists": {"field": "namespaces"}}],
                }
            },
        ),
        (
            SINGLE,
            ["*"],
            {
                "bool": {
                    "must": [{"term": {"type": SINGLE}}],
                    "must_not": [{"exists": {"field": "namespaces"}}],
                }
            },
        ),
        (
            AGNOSTIC,
            ["a"],
            {
                "bool": {
                    "must": [{"term": {"type": AGNOSTIC}}],
                    "must_not": [
                        {"exists": {"field": "namespace"}},
                        {"exists": {"field": "namespaces"}},
                    ],
                }
            },
        ),
    ],
)
def test_type_namespace_clause_matches_spec_04(
    offline_context: RepositoryContext,
    type_name: str,
    namespaces: list[str],
    expected: dict[str, Any],
) -> None:
    assert type_namespace_clause(offline_context.registry, type_name, namespaces) == expected
