"""The node-crypto format: round trips, tampering, AAD rules, and ciphertexts written by
node-crypto itself.

Ported (in our own words) from ``elastic/node-crypto:src/crypto.test.ts`` at commit
02b2fecbb45197ea60c740f57c4fe19a5c4348c3; the two fixed ciphertexts come from that file.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbn_saved_objects._js_json import js_number, js_stringify
from kbn_saved_objects.extensions.encryption.crypto import (
    IV_LENGTH,
    SALT_LENGTH,
    TAG_LENGTH,
    CryptoError,
    NodeCrypto,
)

KEY = "no wifi on this plane :("
AUTH_FAILED = "Unsupported state or unable to authenticate data"


@pytest.fixture(scope="module")
def crypto() -> NodeCrypto:
    return NodeCrypto(KEY)


def test_a_key_is_required() -> None:
    with pytest.raises(CryptoError, match="encryptionKey is required"):
        NodeCrypto("")


@pytest.mark.parametrize(
    "value",
    [
        "I am a string",
        234391265392819463321,
        False,
        [173, "foo", False, {"bar": "baz"}],
        {"aNumber": 17, "aString": "baz", "anArray": [19, 23], "aBoolean": True},
        None,
        "ünïcødé ✓ 𝄞",
    ],
)
def test_round_trip(crypto: NodeCrypto, value: Any) -> None:
    assert crypto.decrypt(crypto.encrypt(value)) == value
    assert crypto.decrypt(crypto.encrypt(value, "some aad"), "some aad") == value


def test_unserializable_values_are_refused(crypto: NodeCrypto) -> None:
    with pytest.raises(CryptoError, match="Object to be encrypted must be serializable"):
        crypto.encrypt(lambda: "I am a function")


def test_layout_is_salt_iv_tag_ciphertext(crypto: NodeCrypto) -> None:
    raw = base64.b64decode(crypto.encrypt("I am a string"))
    plaintext = b'"I am a string"'
    assert len(raw) == SALT_LENGTH + IV_LENGTH + TAG_LENGTH + len(plaintext)
    # two encryptions of one value share nothing: fresh salt and IV each time
    other = base64.b64decode(crypto.encrypt("I am a string"))
    assert raw[:SALT_LENGTH] != other[:SALT_LENGTH]
    assert (
        raw[SALT_LENGTH : SALT_LENGTH + IV_LENGTH] != other[SALT_LENGTH : SALT_LENGTH + IV_LENGTH]
    )


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (0, SALT_LENGTH),  # salt
        (SALT_LENGTH, SALT_LENGTH + IV_LENGTH),  # IV
        (SALT_LENGTH + IV_LENGTH, SALT_LENGTH + IV_LENGTH + TAG_LENGTH),  # auth tag
        (SALT_LENGTH + IV_LENGTH + TAG_LENGTH, None),  # ciphertext
    ],
    ids=["salt", "iv", "tag", "ciphertext"],
)
def test_any_altered_part_is_refused(crypto: NodeCrypto, start: int, end: int | None) -> None:
    raw = bytearray(base64.b64decode(crypto.encrypt("I am a string")))
    stop = len(raw) if end is None else end
    raw[start:stop] = bytes(b ^ 0x01 for b in raw[start:stop])
    with pytest.raises(CryptoError, match=AUTH_FAILED):
        crypto.decrypt(bytes(raw))
    with pytest.raises(CryptoError, match=AUTH_FAILED):
        crypto.decrypt(base64.b64encode(bytes(raw)).decode())


def test_truncated_or_garbage_input_is_refused(crypto: NodeCrypto) -> None:
    for garbage in ("", "c2hvcnQ=", "not base64 at all!"):
        with pytest.raises(CryptoError, match=AUTH_FAILED):
            crypto.decrypt(garbage)


def test_a_wrong_key_is_refused(crypto: NodeCrypto) -> None:
    encrypted = crypto.encrypt("secret", "aad")
    with pytest.raises(CryptoError, match=AUTH_FAILED):
        NodeCrypto("another passphrase entirely").decrypt(encrypted, "aad")


def test_aad_must_match(crypto: NodeCrypto) -> None:
    encrypted = crypto.encrypt("Hello World!", "123456789")
    assert crypto.decrypt(encrypted, "123456789") == "Hello World!"
    with pytest.raises(CryptoError, match=AUTH_FAILED):
        crypto.decrypt(encrypted, "123456780")
    with pytest.raises(CryptoError, match=AUTH_FAILED):
        crypto.decrypt(encrypted)  # without the AAD it was sealed with


@pytest.mark.parametrize("aad", [["a", "b"], {}, lambda: None])
def test_aad_must_be_a_string(crypto: NodeCrypto, aad: Any) -> None:
    with pytest.raises(CryptoError, match="AAD must be a string"):
        crypto.encrypt("Hello World!", aad)
    with pytest.raises(CryptoError, match="AAD must be a string"):
        crypto.decrypt("irrelevant", aad)


def test_aad_cannot_be_empty(crypto: NodeCrypto) -> None:
    with pytest.raises(CryptoError, match="AAD cannot be an empty string"):
        crypto.encrypt("Hello World!", "")
    with pytest.raises(CryptoError, match="AAD cannot be an empty string"):
        crypto.decrypt("irrelevant", "")


def test_decrypts_what_node_crypto_wrote(crypto: NodeCrypto) -> None:
    """Byte compatibility: ciphertexts produced by node-crypto in its own test suite."""
    without_aad = (
        "GxM6gGXoR9z+/B4wBjI1dp0B8pcE1+nfyEqIKanp45Ec0QV1eGp6821Xc2IGAnGeYGq9RbdHxYe+yBG4uykPNH8"
        "NNdSiNoWKzjSyuYuvGYTgxeYwI3nMLo8y5WVxEWsO/Gn5VYDFG3xQYXg="
    )
    with_aad = (
        "ImI9iJzw8dc3g47sM0fdJTa1+N+h9EI12kzFt1dzewuKx4E3rO6d6lqH+VSYNAf1H3m9HX/SFb0ZeJBx06NtERF"
        "2j9rY+1PtrOkJQfQCqnVC1PdlguZAMTG38vEfKBMgrJiK2+fqBFH80A=="
    )
    assert crypto.decrypt(without_aad) == "I am a string"
    assert crypto.decrypt(with_aad, "should succeed") == "Hello World!"
    with pytest.raises(CryptoError, match=AUTH_FAILED):
        crypto.decrypt(with_aad, "should fail")


# --- JSON.stringify compatibility -----------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.0, "1"),
        (-0.0, "0"),
        (0.1, "0.1"),
        (1e-7, "1e-7"),
        (1.5e-7, "1.5e-7"),
        (-0.000001, "-0.000001"),
        (1e16, "10000000000000000"),
        (1e21, "1e+21"),
        (1.2345678901234568e20, "123456789012345680000"),
        (float("nan"), "null"),
        (float("inf"), "null"),
    ],
)
def test_numbers_as_javascript_writes_them(value: float, text: str) -> None:
    assert js_number(value) == text


def test_stringify_matches_javascript() -> None:
    value = {"b": [1.0, None, True, 'q"\n\u2028'], "a": {"y": 2, "x": "\ud800"}}
    assert js_stringify(value) == '{"b":[1,null,true,"q\\"\\n\u2028"],"a":{"y":2,"x":"\\ud800"}}'
    assert js_stringify(value, sort_keys=True) == (
        '{"a":{"x":"\\ud800","y":2},"b":[1,null,true,"q\\"\\n\u2028"]}'
    )


def test_sorted_keys_follow_utf16_order() -> None:
    # U+FF5E sorts after U+1F600 by code point but before it by UTF-16 code unit
    assert js_stringify({"\U0001f600": 1, "\uff5e": 2}, sort_keys=True) == (
        '{"\U0001f600":1,"\uff5e":2}'
    )


def test_stringify_refuses_what_json_cannot_hold() -> None:
    with pytest.raises(TypeError):
        js_stringify({1: "x"})
    with pytest.raises(TypeError):
        js_stringify(object())


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=25, deadline=None)
@given(json_values)
def test_any_json_value_round_trips(value: Any) -> None:
    crypto = NodeCrypto(KEY)
    assert crypto.decrypt(crypto.encrypt(value, "aad"), "aad") == value
