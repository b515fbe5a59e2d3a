"""The version token: Kibana's examples, round trips, and typed errors for bad tokens."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbn_saved_objects.errors import (
    InvalidRawDocumentError,
    InvalidVersionError,
    is_bad_request_error,
    is_invalid_version_error,
)
from kbn_saved_objects.serialization import (
    decode_request_version,
    decode_version,
    encode_hit_version,
    encode_version,
)

KIBANA_TOKENS = [
    (0, 1, "WzAsMV0="),
    (1, 1, "WzEsMV0="),
    (3, 1, "WzMsMV0="),
    (4, 1, "WzQsMV0="),
    (1, 2, "WzEsMl0="),
    (10, 3, "WzEwLDNd"),
    (42, 24, "WzQyLDI0XQ=="),
    (123, 456, "WzEyMyw0NTZd"),
]


@pytest.mark.parametrize(("seq_no", "primary_term", "token"), KIBANA_TOKENS)
def test_encode_and_decode_kibana_tokens(seq_no: int, primary_term: int, token: str) -> None:
    assert encode_version(seq_no, primary_term) == token
    assert encode_hit_version({"_seq_no": seq_no, "_primary_term": primary_term}) == token
    assert decode_version(token) == {"_seq_no": seq_no, "_primary_term": primary_term}
    assert decode_request_version(token) == {"if_seq_no": seq_no, "if_primary_term": primary_term}


def test_integral_floats_count_as_integers() -> None:
    assert encode_version(4.0, 1) == "WzQsMV0="
    assert decode_version(base64.b64encode(b"[4.0,1]").decode()) == {
        "_seq_no": 4,
        "_primary_term": 1,
    }


@pytest.mark.parametrize(
    ("seq_no", "primary_term", "message"),
    [
        (4, None, "_primary_term from elasticsearch must be an integer"),
        (None, 1, "_seq_no from elasticsearch must be an integer"),
        (None, None, "_primary_term from elasticsearch must be an integer"),  # checked first
        (2.5, 1, "_seq_no from elasticsearch must be an integer"),
        (True, 1, "_seq_no from elasticsearch must be an integer"),
        (1, False, "_primary_term from elasticsearch must be an integer"),
        ("1", 1, "_seq_no from elasticsearch must be an integer"),
        ([1], 1, "_seq_no from elasticsearch must be an integer"),
        (float("inf"), 1, "_seq_no from elasticsearch must be an integer"),
    ],
)
def test_encode_rejects_non_integers(seq_no: object, primary_term: object, message: str) -> None:
    with pytest.raises(InvalidRawDocumentError, match=f"^{message}$"):
        encode_version(seq_no, primary_term)


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("[1,4]", "Invalid version [[1,4]]"),
        ("MSwy", "Invalid version [MSwy]"),
        ("WzEsMy41XQ==", "Invalid version [WzEsMy41XQ==]"),
        ("foo", "Invalid version [foo]"),
        ("", "Invalid version []"),
        (None, "Invalid version [None]"),
        (42, "Invalid version [42]"),
        (base64.b64encode(b"[1,2,3]").decode(), "Invalid version [WzEsMiwzXQ==]"),
        (base64.b64encode(b"[true,1]").decode(), "Invalid version [W3RydWUsMV0=]"),
        (base64.b64encode(b"[NaN,1]").decode(), "Invalid version [W05hTiwxXQ==]"),
        (base64.b64encode(b'{"a":1}').decode(), "Invalid version [eyJhIjoxfQ==]"),
        (base64.b64encode(b"[01,1]").decode(), "Invalid version [WzAxLDFd]"),
    ],
)
def test_decode_rejects_malformed_versions(version: object, message: str) -> None:
    with pytest.raises(InvalidVersionError) as caught:
        decode_version(version)
    error = caught.value
    assert error.message == message
    assert error.status_code == 400
    assert error.classification == "SavedObjectsClient/invalidVersion"
    assert is_invalid_version_error(error)
    assert not is_bad_request_error(error)
    assert error.payload() == {"statusCode": 400, "error": "Bad Request", "message": message}
    with pytest.raises(InvalidVersionError):
        decode_request_version(version)


@pytest.mark.parametrize(
    "lenient",
    [
        "WzQsMV0",  # no padding
        "WzQs\nMV0=",  # stray characters are skipped
        base64.urlsafe_b64encode(b"[4,1]").decode(),
        "WzQsMV0=garbage",  # the first '=' ends the data
        base64.b64encode(b"[ 4 , 1 ]").decode(),  # any JSON spacing
    ],
)
def test_decode_is_as_lenient_as_node(lenient: str) -> None:
    assert decode_version(lenient) == {"_seq_no": 4, "_primary_term": 1}


def test_url_safe_alphabet() -> None:
    token = base64.b64encode(b"[1000000000000,1]").decode()
    assert decode_version(token.replace("+", "-").replace("/", "_")) == {
        "_seq_no": 1000000000000,
        "_primary_term": 1,
    }


integers = st.integers(min_value=-(2**63), max_value=2**63)


@settings(max_examples=200)
@given(seq_no=integers, primary_term=integers)
def test_version_round_trip(seq_no: int, primary_term: int) -> None:
    token = encode_version(seq_no, primary_term)
    assert base64.b64decode(token) == json.dumps([seq_no, primary_term]).replace(" ", "").encode()
    assert decode_version(token) == {"_seq_no": seq_no, "_primary_term": primary_term}


def _is_valid_pair(value: object) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(
            not isinstance(part, bool)
            and isinstance(part, int | float)
            and float(part).is_integer()
            for part in value
        )
    )


@settings(max_examples=200)
@given(st.text())
def test_arbitrary_strings_decode_or_raise_a_typed_error(text: str) -> None:
    try:
        decoded = decode_version(text)
    except InvalidVersionError as error:
        message = error.message
    else:
        assert set(decoded) == {"_seq_no", "_primary_term"}
        return
    assert message == f"Invalid version [{text}]"


@settings(max_examples=200)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
        lambda children: st.lists(children, max_size=3),
        max_leaves=5,
    )
)
def test_json_payloads_other_than_an_integer_pair_are_invalid(payload: object) -> None:
    token = base64.b64encode(json.dumps(payload).encode()).decode()
    if _is_valid_pair(payload):
        assert isinstance(payload, list)
        assert decode_version(token) == {
            "_seq_no": int(payload[0]),
            "_primary_term": int(payload[1]),
        }
    else:
        with pytest.raises(InvalidVersionError, match=r"^Invalid version \["):
            decode_version(token)
