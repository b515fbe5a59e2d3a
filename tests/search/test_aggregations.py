"""``find(aggs=...)``: the allow-list of aggregations, field checks and rewrites.

The first tables port Kibana's ``aggregations/validation.test.ts`` (same mappings, same
inputs, messages byte for byte); then the spec 04 §10 examples, schema messages in
config-schema's wording, the documented deviations and a property over generated bodies.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbn_saved_objects.errors import BadRequestError
from kbn_saved_objects.search.aggregations import AGGREGATION_TYPES, validate_aggregations
from kbn_saved_objects.types import SavedObjectsType, SavedObjectTypeRegistry

# Kibana's ``mockMappings`` (validation.test.ts); ``updated_at`` and ``references`` are
# root fields here.
MOCK_TYPE_MAPPINGS: dict[str, dict[str, Any]] = {
    "foo": {
        "properties": {
            "title": {"type": "text"},
            "description": {"type": "text"},
            "bytes": {"type": "integer"},
        }
    },
    "bean": {
        "properties": {
            "canned": {"fields": {"text": {"type": "text"}}, "type": "keyword"},
        }
    },
    "alert": {
        "properties": {
            "actions": {
                "type": "nested",
                "properties": {
                    "group": {"type": "keyword"},
                    "actionRef": {"type": "keyword"},
                    "actionTypeId": {"type": "keyword"},
                    "params": {"enabled": False, "type": "object"},
                },
            },
            "params": {"type": "flattened"},
        }
    },
}


def build_registry() -> SavedObjectTypeRegistry:
    registry = SavedObjectTypeRegistry()
    for name, mappings in MOCK_TYPE_MAPPINGS.items():
        registry.register(SavedObjectsType(name=name, namespace_type="single", mappings=mappings))
    return registry.freeze()


REGISTRY = build_registry()


def validate(types: list[str], aggs: dict[str, Any]) -> dict[str, Any]:
    return validate_aggregations(REGISTRY, types, aggs)


def error_message(types: list[str], aggs: Any) -> str:
    with pytest.raises(BadRequestError) as caught:
        validate_aggregations(REGISTRY, types, aggs)
    return str(caught.value)


def invalid(message: str) -> str:
    """What ``find`` answers for an aggregation error with ``message``."""
    return f"Invalid aggregation: {message}: Bad Request"


# -- Kibana's validation.test.ts: accepted and rewritten --------------------------------


@pytest.mark.parametrize(
    ("types", "aggs", "expected"),
    [
        pytest.param(
            ["foo"],
            {"aggName": {"max": {"field": "foo.attributes.bytes"}}},
            {"aggName": {"max": {"field": "foo.bytes"}}},
            id="simple",
        ),
        pytest.param(
            ["foo"],
            {
                "aggName": {
                    "multi_terms": {
                        "terms": [
                            {"field": "foo.attributes.description"},
                            {"field": "foo.attributes.bytes"},
                        ]
                    }
                }
            },
            {
                "aggName": {
                    "multi_terms": {"terms": [{"field": "foo.description"}, {"field": "foo.bytes"}]}
                }
            },
            id="multi_terms",
        ),
        pytest.param(
            ["alert"],
            {"aggName": {"cardinality": {"field": "alert.attributes.actions.group"}}},
            {"aggName": {"cardinality": {"field": "alert.actions.group"}}},
            id="nested field",
        ),
        pytest.param(
            ["alert"],
            {
                "aggName": {
                    "cardinality": {"field": "alert.attributes.actions.group"},
                    "aggs": {"aggName": {"max": {"field": "alert.attributes.actions.group"}}},
                }
            },
            {
                "aggName": {
                    "cardinality": {"field": "alert.actions.group"},
                    "aggs": {"aggName": {"max": {"field": "alert.actions.group"}}},
                }
            },
            id="sub-aggregation",
        ),
        pytest.param(
            ["alert"],
            {
                "first": {
                    "cardinality": {"field": "alert.attributes.actions.group"},
                    "aggs": {
                        "second": {
                            "max": {"field": "alert.attributes.actions.group"},
                            "aggs": {
                                "third": {"min": {"field": "alert.attributes.actions.actionTypeId"}}
                            },
                        }
                    },
                }
            },
            {
                "first": {
                    "cardinality": {"field": "alert.actions.group"},
                    "aggs": {
                        "second": {
                            "max": {"field": "alert.actions.group"},
                            "aggs": {"third": {"min": {"field": "alert.actions.actionTypeId"}}},
                        }
                    },
                }
            },
            id="deeply nested",
        ),
        pytest.param(
            ["alert"],
            {
                "aggName": {
                    "nested": {"path": "alert.references"},
                    "aggregations": {"aggName2": {"terms": {"field": "alert.references.id"}}},
                }
            },
            {
                "aggName": {
                    "nested": {"path": "references"},
                    "aggregations": {"aggName2": {"terms": {"field": "references.id"}}},
                }
            },
            id="nested root field",
        ),
        pytest.param(
            ["alert"],
            {"average": {"avg": {"field": "alert.attributes.actions.group", "missing": 10}}},
            {"average": {"avg": {"field": "alert.actions.group", "missing": 10}}},
            id="type attribute",
        ),
        pytest.param(
            ["alert"],
            {"average": {"avg": {"field": "alert.updated_at", "missing": 10}}},
            {"average": {"avg": {"field": "updated_at", "missing": 10}}},
            id="root attribute",
        ),
        pytest.param(
            ["alert"],
            {
                "average": {
                    "weighted_avg": {
                        "value": {"field": "alert.attributes.actions.group", "missing": 10},
                        "weight": {"field": "alert.attributes.actions.actionRef"},
                    }
                }
            },
            {
                "average": {
                    "weighted_avg": {
                        "value": {"field": "alert.actions.group", "missing": 10},
                        "weight": {"field": "alert.actions.actionRef"},
                    }
                }
            },
            id="field in a sub-object",
        ),
        pytest.param(
            ["foo"],
            {
                "myFilter": {
                    "filter": {
                        "term": {"foo.attributes.description": "hello", "foo.attributes.bytes": 10}
                    }
                }
            },
            {"myFilter": {"filter": {"term": {"foo.description": "hello", "foo.bytes": 10}}}},
            id="term keys",
        ),
        pytest.param(
            ["foo"],
            {"types": {"terms": {"field": "type"}}},
            {"types": {"terms": {"field": "type"}}},
            id="bare root field",
        ),
    ],
)
def test_accepts_and_rewrites_like_kibana(
    types: list[str], aggs: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert validate(types, aggs) == expected


# -- Kibana's validation.test.ts: errors ----------------------------------------------


@pytest.mark.parametrize(
    ("types", "aggs", "message"),
    [
        pytest.param(
            ["alert"],
            {"average": {"avg": {"field": "alert.actions.group", "missing": 10}}},
            "[average.avg.field] Invalid attribute path: alert.actions.group",
            id="attributes missing",
        ),
        pytest.param(
            ["alert"],
            {"average": {"avg": {"field": "alert.attributes.actions.non_existing"}}},
            "[average.avg.field] Invalid attribute path: alert.attributes.actions.non_existing",
            id="unknown field",
        ),
        pytest.param(
            ["alert"],
            {"average": {"avg": {"field": "alert.bad_root", "missing": 10}}},
            "[average.avg.field] Invalid attribute path: alert.bad_root",
            id="unknown root field",
        ),
        pytest.param(
            ["alert"],
            {"myFilter": {"max": {"field": "foo.attributes.bytes"}}},
            "[myFilter.max.field] Invalid attribute path: foo.attributes.bytes",
            id="type not allowed",
        ),
        pytest.param(
            ["foo"],
            {"someAgg": {"auto_date_histogram": {"field": "foo.attributes.bytes"}}},
            "[someAgg.auto_date_histogram] auto_date_histogram aggregation is not valid"
            " (or not registered yet)",
            id="unknown aggregation",
        ),
        pytest.param(
            ["foo"],
            {
                "someAgg": {
                    "max": {"field": "foo.attributes.bytes"},
                    "aggs": {"unknownAgg": {"cumulative_cardinality": {"format": "format"}}},
                }
            },
            "[someAgg.aggs.unknownAgg.cumulative_cardinality] cumulative_cardinality aggregation"
            " is not valid (or not registered yet)",
            id="unknown sub-aggregation",
        ),
        pytest.param(
            ["foo"],
            {
                "someAgg": {
                    "max": {"field": "foo.attributes.bytes", "script": "This is a bad script"}
                }
            },
            "[someAgg.max.script]: definition for this key is missing",
            id="script",
        ),
        pytest.param(
            ["foo"],
            {
                "someAgg": {
                    "min": {"field": "foo.attributes.bytes"},
                    "aggs": {
                        "nested": {"max": {"field": "foo.attributes.bytes", "script": "bad script"}}
                    },
                }
            },
            "[someAgg.aggs.nested.max.script]: definition for this key is missing",
            id="script in sub-aggregation",
        ),
        pytest.param(
            ["alert"],
            {
                "aggName": {
                    "cardinality": {"field": "alert.alert.attributes.actions.group"},
                    "aggs": {"aggName": {"max": {"field": "alert.alert.attributes.actions.group"}}},
                }
            },
            "[aggName.cardinality.field] Invalid attribute path:"
            " alert.alert.attributes.actions.group",
            id="type.type.attributes",
        ),
        pytest.param(
            ["alert"],
            {
                "aggName": {
                    "cardinality": {"field": "alert.alert.actions.group"},
                    "aggs": {"aggName": {"max": {"field": "alert.alert.actions.group"}}},
                }
            },
            "[aggName.cardinality.field] Invalid attribute path: alert.alert.actions.group",
            id="type.type.attr",
        ),
    ],
)
def test_errors_are_kibanas(types: list[str], aggs: dict[str, Any], message: str) -> None:
    assert error_message(types, aggs) == invalid(message)


def test_errors_are_bad_requests_with_the_message_as_reason() -> None:
    with pytest.raises(BadRequestError) as caught:
        validate(["foo"], {"a": {"terms": {"script": {}}}})
    assert caught.value.status_code == 400
    assert (
        caught.value.reason
        == "Invalid aggregation: [a.terms.script]: definition for this key is missing"
    )


# -- spec 04 §10 ------------------------------------------------------------------------


def test_every_allowed_type_is_listed() -> None:
    assert sorted(AGGREGATION_TYPES) == sorted(
        [
            *("terms", "multi_terms", "histogram", "date_range", "filter", "filters"),
            *("nested", "reverse_nested", "composite"),
            *("avg", "sum", "min", "max", "cardinality", "value_count", "weighted_avg"),
            *("top_hits", "max_bucket"),
        ]
    )


@pytest.mark.parametrize(
    ("aggs", "expected"),
    [
        pytest.param(
            {
                "t": {
                    "terms": {
                        "field": "type",
                        "collect_mode": "breadth_first",
                        "exclude": ["a", "b"],
                        "include": "x.*",
                        "execution_hint": "map",
                        "missing": "n/a",
                        "min_doc_count": 1,
                        "size": 10,
                        "show_term_doc_count_error": True,
                        "order": [{"_count": "desc"}, {"_key": "asc"}],
                    }
                }
            },
            None,
            id="terms, all keys",
        ),
        pytest.param(
            {
                "h": {
                    "histogram": {
                        "field": "updated_at",
                        "interval": 100,
                        "min_doc_count": 2,
                        "extended_bounds": {"min": 0, "max": 1000},
                        "hard_bounds": {"min": 0, "max": 2000},
                        "missing": 0,
                        "keyed": False,
                        "order": {"_count": "asc", "_key": "desc"},
                    }
                }
            },
            None,
            id="histogram, all keys",
        ),
        pytest.param(
            {
                "d": {
                    "date_range": {
                        "field": "foo.updated_at",
                        "format": "yyyy",
                        "ranges": [{"to": "now-1y"}, {"from": "now-1y"}],
                    }
                }
            },
            {
                "d": {
                    "date_range": {
                        "field": "updated_at",
                        "format": "yyyy",
                        "ranges": [{"to": "now-1y"}, {"from": "now-1y"}],
                    }
                }
            },
            id="date_range",
        ),
        pytest.param(
            {"e": {"filter": {"exists": {"field": "foo.attributes.title"}}}},
            {"e": {"filter": {"exists": {"field": "foo.title"}}}},
            id="filter exists",
        ),
        pytest.param(
            {
                "f": {
                    "filters": {
                        "filters": {
                            "by_term": {"term": {"foo.attributes.title": "x"}},
                            "not_term": {"bool": {"must_not": {"term": {"type": "foo"}}}},
                            "nested": {
                                "bool": {
                                    "filter": [
                                        {
                                            "nested": {
                                                "path": "foo.references",
                                                "query": {
                                                    "bool": {
                                                        "filter": [
                                                            {
                                                                "term": {
                                                                    "foo.references.id": {
                                                                        "value": "abc"
                                                                    }
                                                                }
                                                            }
                                                        ]
                                                    }
                                                },
                                            }
                                        },
                                        {"range": {"foo.attributes.bytes": {"gte": "10"}}},
                                    ]
                                }
                            },
                        }
                    }
                }
            },
            {
                "f": {
                    "filters": {
                        "filters": {
                            "by_term": {"term": {"foo.title": "x"}},
                            "not_term": {"bool": {"must_not": {"term": {"type": "foo"}}}},
                            "nested": {
                                "bool": {
                                    "filter": [
                                        {
                                            "nested": {
                                                "path": "references",
                                                "query": {
                                                    "bool": {
                                                        "filter": [
                                                            {
                                                                "term": {
                                                                    "references.id": {
                                                                        "value": "abc"
                                                                    }
                                                                }
                                                            }
                                                        ]
                                                    }
                                                },
                                            }
                                        },
                                        # Kibana rewrites ``term`` keys only, not ``range`` keys.
                                        {"range": {"foo.attributes.bytes": {"gte": "10"}}},
                                    ]
                                }
                            },
                        }
                    }
                }
            },
            id="filters",
        ),
        pytest.param(
            {
                "c": {
                    "composite": {
                        "size": 10,
                        "after": {"t": "x", "h": None},
                        "sources": [
                            {"t": {"terms": {"field": "foo.attributes.title"}}},
                            {"h": {"histogram": {"field": "foo.attributes.bytes", "interval": 5}}},
                        ],
                    }
                }
            },
            {
                "c": {
                    "composite": {
                        "size": 10,
                        "after": {"t": "x", "h": None},
                        "sources": [
                            {"t": {"terms": {"field": "foo.title"}}},
                            {"h": {"histogram": {"field": "foo.bytes", "interval": 5}}},
                        ],
                    }
                }
            },
            id="composite",
        ),
        pytest.param(
            {
                "top": {
                    "top_hits": {
                        "size": 3,
                        "from": 0,
                        "sort": [{"updated_at": {"order": "desc", "mode": "max"}}, "_score"],
                        "_source": ["foo.title"],
                        "docvalue_fields": "type",
                        "highlight": {"fields": {"foo.title": {}}},
                        "version": True,
                    }
                },
                "best": {"max_bucket": {"buckets_path": "top>_count", "gap": "skip"}},
            },
            None,
            id="top_hits and max_bucket",
        ),
        pytest.param(
            {"r": {"reverse_nested": {}}, "n": {"value_count": {"field": "foo.id"}}},
            {"r": {"reverse_nested": {}}, "n": {"value_count": {"field": "id"}}},
            id="reverse_nested, id",
        ),
        pytest.param(
            {"s": {"terms": {"size": "10", "show_term_doc_count_error": "TRUE"}}},
            None,
            id="numbers and booleans as strings, as config-schema accepts them",
        ),
        pytest.param(
            {"a": {"max": {"field": "foo.attributes.bytes"}, "aggs": None}},
            {"a": {"max": {"field": "foo.bytes"}}},
            id="null sub-aggregations are dropped",
        ),
    ],
)
def test_spec_shapes(aggs: dict[str, Any], expected: dict[str, Any] | None) -> None:
    assert validate(["foo"], aggs) == (aggs if expected is None else expected)


def test_sub_aggregations_come_after_the_aggregation() -> None:
    aggs = {
        "a": {
            "aggs": {"x": {"max": {"field": "foo.attributes.bytes"}}},
            "aggregations": {"y": {"min": {"field": "foo.attributes.bytes"}}},
            "terms": {"field": "type"},
        }
    }
    assert list(validate(["foo"], aggs)["a"]) == ["terms", "aggregations", "aggs"]


def test_the_input_is_not_modified_and_not_shared() -> None:
    aggs = {
        "a": {
            "terms": {"field": "foo.attributes.title", "exclude": ["x"]},
            "aggs": {"b": {"top_hits": {"highlight": {"fields": {"foo.title": {}}}}}},
        }
    }
    before = copy.deepcopy(aggs)
    result = validate(["foo"], aggs)
    assert aggs == before
    result["a"]["terms"]["exclude"].append("y")
    result["a"]["aggs"]["b"]["top_hits"]["highlight"]["fields"]["z"] = {}
    assert aggs == before


# -- schema messages (config-schema's wording) -----------------------------------------


@pytest.mark.parametrize(
    ("aggs", "message"),
    [
        pytest.param(
            {"a": {"terms": {"field": 5}}},
            "[a.terms.field]: expected value of type [string] but got [number]",
            id="wrong type",
        ),
        pytest.param(
            {"a": {"nested": {}}},
            "[a.nested.path]: expected value of type [string] but got [undefined]",
            id="missing required key",
        ),
        pytest.param(
            {"a": {"terms": {"field": None}}},
            "[a.terms.field]: expected value of type [string] but got [null]",
            id="null is not absent",
        ),
        pytest.param(
            {"a": {"terms": {"min_doc_count": 0}}},
            "[a.terms.min_doc_count]: Value must be equal to or greater than [1].",
            id="min_doc_count 0",
        ),
        pytest.param(
            {"a": {"terms": {"size": "ten"}}},
            "[a.terms.size]: expected value of type [number] but got [string]",
            id="not a number",
        ),
        pytest.param(
            {"a": {"terms": {"size": 2**60}}},
            '[a.terms.size]: "value" must be a safe number',
            id="unsafe number",
        ),
        pytest.param(
            {"a": {"terms": {"show_term_doc_count_error": "yes"}}},
            "[a.terms.show_term_doc_count_error]: expected value of type [boolean] but got"
            " [string]",
            id="not a boolean",
        ),
        pytest.param(
            {"a": {"max": "field"}},
            "[a.max]: expected a plain object value, but found [string] instead.",
            id="body not an object",
        ),
        pytest.param(
            {"a": {"max": '{"field": "foo.attributes.secret"}'}},
            "[a.max]: expected a plain object value, but found [string] instead.",
            id="JSON text is not an object",
        ),
        pytest.param(
            {"a": {"terms": {"field": "foo.attributes.title", "order": "up"}}},
            "[a.terms.order]: types that failed validation:\n"
            "- [a.terms.order.0]: types that failed validation:\n"
            " - [a.terms.order.0]: expected value to equal [asc] but got [up]\n"
            " - [a.terms.order.1]: expected value to equal [desc] but got [up]\n"
            " - [a.terms.order.2]: expected value to equal [_doc] but got [up]\n"
            "- [a.terms.order.1]: expected value of type [object] but got [string]\n"
            "- [a.terms.order.2]: expected value of type [array] but got [string]",
            id="nested unions",
        ),
        pytest.param(
            {"a": {"filter": {"foo": 1}}},
            "[a.filter]: types that failed validation:\n"
            "- [a.filter.0.term]: expected value of type [object] but got [undefined]\n"
            "- [a.filter.1.foo]: definition for this key is missing",
            id="filter union",
        ),
        pytest.param(
            {"a": {"max_bucket": {"buckets_path": "x", "gap": "fill"}}},
            "[a.max_bucket.gap]: types that failed validation:\n"
            "- [a.max_bucket.gap.0]: expected value to equal [skip] but got [fill]\n"
            "- [a.max_bucket.gap.1]: expected value to equal [insert_zeros] but got [fill]\n"
            "- [a.max_bucket.gap.2]: expected value to equal [keep_values] but got [fill]",
            id="literal choices",
        ),
        pytest.param(
            {"a": {"date_range": {"field": "type", "format": "y", "ranges": [{}] * 101}}},
            "[a.date_range.ranges]: array size is [101], but cannot be greater than [100]",
            id="array too long",
        ),
        pytest.param(
            {"a": {"histogram": {"order": {"_count": "asc"}}}},
            "[a.histogram.order._key]: expected value of type [string] but got [undefined]",
            id="required key in optional object",
        ),
        pytest.param(
            {"a": {"weighted_avg": {"value": {"field": "type", "script": "x"}}}},
            "[a.weighted_avg.value.script]: definition for this key is missing",
            id="script in a sub-object",
        ),
        pytest.param(
            {"a": {"terms": {"field": "type", "script": {"source": "x"}, "size": "x"}}},
            "[a.terms.size]: expected value of type [number] but got [string]",
            id="declared keys first, then unknown ones",
        ),
    ],
)
def test_schema_messages(aggs: dict[str, Any], message: str) -> None:
    assert error_message(["foo"], aggs) == invalid(message)


# -- deviations and structure ---------------------------------------------------------


def test_another_registered_type_is_not_a_root_field() -> None:
    # Kibana would rewrite this to ``foo.title`` although ``foo`` is not allowed here.
    assert error_message(["alert"], {"a": {"terms": {"field": "alert.foo.title"}}}) == invalid(
        "[a.terms.field] Invalid attribute path: alert.foo.title"
    )


@pytest.mark.parametrize(
    "highlight",
    [
        {"highlight_query": {"script": {"script": "doc['x'].value > 1"}}},
        {"fields": {"foo.title": {"highlight_query": {"script_score": {}}}}},
    ],
)
def test_scripts_are_rejected_inside_highlight(highlight: dict[str, Any]) -> None:
    message = error_message(["foo"], {"a": {"top_hits": {"highlight": highlight}}})
    assert message.startswith("Invalid aggregation: [a.top_hits.highlight.")
    assert message.endswith("]: definition for this key is missing: Bad Request")


@pytest.mark.parametrize(
    ("aggs", "message"),
    [
        (
            {"a": 5},
            "[a]: expected a plain object value, but found [number] instead.",
        ),
        (
            {"a": {"max": {"field": "type"}, "aggs": "x"}},
            "[a.aggs]: expected a plain object value, but found [string] instead.",
        ),
        ([], "expected a plain object value, but found [Array] instead."),
    ],
)
def test_structure_errors(aggs: Any, message: str) -> None:
    assert error_message(["foo"], aggs) == invalid(message)


def test_term_keys_that_are_not_fields_are_rejected() -> None:
    assert error_message(["foo"], {"a": {"filter": {"term": {"title": "x"}}}}) == invalid(
        "[a.filter.term.title] Invalid attribute path: title"
    )


def test_list_items_report_the_path_of_their_list() -> None:
    aggs = {"a": {"multi_terms": {"terms": [{"field": "type"}, {"field": "foo.nope"}]}}}
    assert error_message(["foo"], aggs) == invalid(
        "[a.multi_terms.terms.field] Invalid attribute path: foo.nope"
    )


# -- property ----------------------------------------------------------------------------

_KEYS = st.sampled_from(
    [
        *AGGREGATION_TYPES,
        *("aggs", "aggregations", "field", "path", "term", "terms", "exists", "bool", "filter"),
        *("size", "order", "missing", "script", "value", "sources", "highlight", "x"),
    ]
)
_SCALARS = st.one_of(
    st.sampled_from(
        [
            "foo.attributes.title",
            "foo.attributes.bytes",
            "foo.updated_at",
            "foo.references.id",
            "type",
            "asc",
            "x",
            "",
        ]
    ),
    st.integers(min_value=-(2**60), max_value=2**60),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.text(max_size=5),
)
_JSON = st.recursive(
    _SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(_KEYS, children, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["a", "b"]), st.dictionaries(_KEYS, _JSON, max_size=3)))
def test_any_body_is_accepted_or_a_bad_request(aggs: dict[str, Any]) -> None:
    before = copy.deepcopy(aggs)
    try:
        result = validate_aggregations(REGISTRY, ["foo"], aggs)
    except BadRequestError as error:
        message = str(error)
    else:
        assert isinstance(result, dict)
        assert aggs == before
        return
    assert message.startswith("Invalid aggregation: ")
    assert message.endswith(": Bad Request")
