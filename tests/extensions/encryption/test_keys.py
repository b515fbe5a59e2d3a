"""Key configuration and Kibana's config errors.

Ported (in our own words) from Kibana's
``x-pack/platform/plugins/shared/encrypted_saved_objects/server/config.test.ts`` (commit
74bf8accd0a62628d0d34e7475c29c51a61ccf98).
"""

from __future__ import annotations

import pytest

from kbn_saved_objects.extensions.encryption import EncryptionConfigError, EncryptionKeys


def test_valid_keys() -> None:
    keys = EncryptionKeys("a" * 32, ["b" * 32, "c" * 32])
    assert keys.can_encrypt
    assert keys.can_rotate
    assert len(keys.decryption_only_cryptos()) == 2
    assert keys.primary_crypto() is not None


def test_without_a_primary_key_nothing_encrypts() -> None:
    keys = EncryptionKeys()
    assert not keys.can_encrypt
    assert not keys.can_rotate
    assert keys.primary_crypto() is None


def test_the_primary_key_needs_32_characters() -> None:
    with pytest.raises(EncryptionConfigError) as caught:
        EncryptionKeys("foo")
    assert caught.value.message == (
        "[encryptionKey]: value has length [3] but it must have a minimum length of [32]."
    )


def test_each_decryption_only_key_needs_32_characters() -> None:
    with pytest.raises(EncryptionConfigError) as caught:
        EncryptionKeys(None, ["a" * 32, "b" * 31])
    assert caught.value.message == (
        "[keyRotation.decryptionOnlyKeys.1]: value has length [31] but it must have a "
        "minimum length of [32]."
    )


def test_the_primary_key_cannot_also_be_decryption_only() -> None:
    with pytest.raises(EncryptionConfigError) as caught:
        EncryptionKeys("a" * 32, ["a" * 32])
    assert caught.value.message == (
        "`keyRotation.decryptionOnlyKeys` cannot contain primary encryption key specified "
        "in `encryptionKey`."
    )


def test_from_kibana_settings() -> None:
    keys = EncryptionKeys.from_config(
        {"encryptionKey": "z" * 32, "keyRotation": {"decryptionOnlyKeys": ["y" * 32]}}
    )
    assert keys.can_encrypt
    assert keys.can_rotate
    assert not EncryptionKeys.from_config({}).can_encrypt


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            {"encryptionKey": None},
            "[encryptionKey]: expected value of type [string] but got [null]",
        ),
        ({"encryptionKey": 5}, "[encryptionKey]: expected value of type [string] but got [int]"),
        (
            {"keyRotation": {"decryptionOnlyKeys": "x" * 32}},
            "[keyRotation.decryptionOnlyKeys]: expected value of type [array] but got [str]",
        ),
        (
            {"keyRotation": ["x" * 32]},
            "[keyRotation]: expected a plain object value, but found [list] instead.",
        ),
    ],
)
def test_malformed_settings(config: dict[str, object], message: str) -> None:
    with pytest.raises(EncryptionConfigError) as caught:
        EncryptionKeys.from_config(config)
    assert caught.value.message == message


def test_keys_never_show_in_repr() -> None:
    keys = EncryptionKeys("s" * 32, ["o" * 32])
    text = repr(keys)
    assert "s" * 32 not in text
    assert "o" * 32 not in text
    hashes = keys.hashes()
    assert hashes["encryptionKey"]
    assert len(hashes["decryptionOnlyKeys"]) == 1
