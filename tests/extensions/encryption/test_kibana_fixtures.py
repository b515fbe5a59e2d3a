"""Objects Kibana encrypted, decrypted here: byte compatibility of values and AAD.

The documents are Kibana's own test data
(``tests/fixtures/kibana/es_archiver/encrypted_saved_objects_api_integration/key_rotation/
data.json``, see the README there), encrypted by a Kibana configured as in
``x-pack/test/encrypted_saved_objects_api_integration/config.ts`` (commit
34600a9043a25775ac2feaf0a4fe3ef28ac24077): primary key ``wuGNaIhoMpk5sO4UBxgr3NyW1sFcLgIf``,
decryption-only keys ``'a' * 32`` and ``'b' * 32``; types registered as in that suite's
``api_consumer_plugin/server/index.ts`` (commit 040d41b1a6029b153fe7b8f3b97fe3561bca79cf),
which :mod:`tests.extensions.encryption.conftest` mirrors.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from kbn_saved_objects.extensions.encryption import EncryptionError, NodeCrypto
from kbn_saved_objects.serialization import SavedObject
from tests._paths import REPO_ROOT
from tests.extensions.encryption.conftest import (
    KIBANA_PRIMARY_KEY,
    MULTIPLE,
    NEW_KEY,
    OLD_KEY_A,
    OLD_KEY_B,
    make_extension,
)

FIXTURE = (
    REPO_ROOT
    / "tests/fixtures/kibana/es_archiver/encrypted_saved_objects_api_integration"
    / "key_rotation/data.json"
)


def kibana_documents() -> list[dict[str, Any]]:
    return [json.loads(chunk) for chunk in FIXTURE.read_text().split("\n\n") if chunk.strip()]


def encrypted_objects() -> list[SavedObject[Any]]:
    """The documents of encryptable types, as a bare repository would return them."""
    extension = make_extension()
    objects = []
    for doc in kibana_documents():
        source = doc["value"]["source"]
        type_name = source["type"]
        if not extension.is_encryptable_type(type_name):
            continue
        objects.append(
            SavedObject(
                type=type_name,
                id=doc["value"]["id"].split(":", 1)[1],
                attributes=source[type_name],
                namespaces=source.get("namespaces", ["default"]),
            )
        )
    return objects


def test_the_fixture_is_the_published_file() -> None:
    assert len(FIXTURE.read_text(encoding="utf-8")) == 6210  # Kibana's character count
    assert len(encrypted_objects()) == 6


@pytest.mark.parametrize("obj", encrypted_objects(), ids=lambda o: f"{o.type}:{o.id[:8]}")
def test_every_kibana_object_decrypts_with_the_suites_keys(obj: SavedObject[Any]) -> None:
    extension = make_extension(KIBANA_PRIMARY_KEY, OLD_KEY_A, OLD_KEY_B)
    assert extension.get_decrypted_attributes(obj) == {
        "publicProperty": "some-public-property-0",
        "publicPropertyExcludedFromAAD": "some-public-property-excluded-from-aad-0",
        "publicPropertyStoredEncrypted": "some-public-but-encrypted-property-0",
        "privateProperty": "some-private-property-0",
    }
    read = extension.decrypt_or_strip_response_attributes(obj)
    assert read.error is None
    assert "privateProperty" not in read.attributes


def test_they_were_written_with_the_old_keys() -> None:
    """None opens with the suite's primary key alone: they are what rotation is for."""
    primary_only = make_extension(KIBANA_PRIMARY_KEY)
    for obj in encrypted_objects():
        with pytest.raises(EncryptionError):
            primary_only.get_decrypted_attributes(obj)


def test_the_aad_is_byte_identical() -> None:
    """Decrypting with node-crypto alone and the AAD text written out by hand."""
    obj = next(o for o in encrypted_objects() if o.type == MULTIPLE)
    aad = json.dumps(
        [MULTIPLE, obj.id, {"publicProperty": "some-public-property-0"}], separators=(",", ":")
    )
    opened = []
    for key in (OLD_KEY_A, OLD_KEY_B):
        try:
            opened.append(NodeCrypto(key).decrypt(obj.attributes["privateProperty"], aad))
        except ValueError:
            continue
    assert opened == ["some-private-property-0"]


def test_kibana_reads_what_we_write_back() -> None:
    """Re-encrypted here, then opened with node-crypto's layout and Kibana's AAD."""
    obj = encrypted_objects()[0]
    plain = make_extension(KIBANA_PRIMARY_KEY, OLD_KEY_A, OLD_KEY_B).get_decrypted_attributes(obj)
    ours = make_extension(NEW_KEY).encrypt_attributes(make_extension().descriptor_for(obj), plain)
    aad = json.dumps(
        [obj.type, obj.id, {"publicProperty": "some-public-property-0"}], separators=(",", ":")
    )
    assert NodeCrypto(NEW_KEY).decrypt(ours["privateProperty"], aad) == "some-private-property-0"
