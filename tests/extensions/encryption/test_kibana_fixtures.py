"""Objects Kibana encrypted, decrypted here: byte compatibility of values and AAD.

Two archives of Kibana's ESO API test suite are used (see the README of their folder):
``key_rotation`` for the include-list AAD and ``encrypted_saved_objects_pre_aad_change``
for values written under the older exclude-list model.

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

from kbn_saved_objects.extensions.encryption import (
    EncryptedSavedObjectTypeRegistration,
    EncryptedTypeRegistry,
    EncryptionError,
    EncryptionKeys,
    NodeCrypto,
    SavedObjectsEncryptionExtension,
)
from kbn_saved_objects.serialization import SavedObject
from kbn_saved_objects.types import SavedObjectsType, SavedObjectTypeRegistry
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


# --- the older AAD model --------------------------------------------------------------

PRE_AAD_CHANGE = (
    REPO_ROOT
    / "tests/fixtures/kibana/es_archiver/encrypted_saved_objects_api_integration"
    / "encrypted_saved_objects_pre_aad_change/data.json"
)

# type -> (encrypted attribute, attributes its 8.x registration excluded from the AAD,
#          what Kibana's suite expects the value to decrypt to)
PRE_AAD_TYPES: dict[str, tuple[str, list[str], Any]] = {
    "fleet-message-signing-keys": ("passphrase", [], "This is the passphrase"),
    "action": ("secrets", ["name"], {"token": "some-random-token-value"}),
    "synthetics-param": (
        "value",
        [],
        "This value was encrypted prior to the AAD include list change.",
    ),
}


def pre_aad_extension(*, include_model: bool = False) -> Any:
    types = SavedObjectTypeRegistry()
    encrypted = EncryptedTypeRegistry()
    for name, (secret, excluded, _) in PRE_AAD_TYPES.items():
        types.register(
            SavedObjectsType(name=name, namespace_type="multiple", mappings={"properties": {}})
        )
        if include_model:
            # what Kibana registers today: the same AAD, spelled as an include list
            doc = next(d for d in pre_aad_documents() if d["type"] == name)
            included = [k for k in doc["attributes"] if k != secret and k not in excluded]
            registration = EncryptedSavedObjectTypeRegistration(
                name, [secret], attributes_to_include_in_aad=included
            )
        else:
            registration = EncryptedSavedObjectTypeRegistration(
                name, [secret], attributes_to_exclude_from_aad=excluded
            )
        encrypted.register(registration)
    return SavedObjectsEncryptionExtension(
        types.freeze(), encrypted, EncryptionKeys(KIBANA_PRIMARY_KEY, [OLD_KEY_A, OLD_KEY_B])
    )


def pre_aad_documents() -> list[dict[str, Any]]:
    docs = []
    for chunk in PRE_AAD_CHANGE.read_text().split("\n\n"):
        if not chunk.strip():
            continue
        value = json.loads(chunk)["value"]
        type_name = value["source"]["type"]
        if type_name in PRE_AAD_TYPES:
            docs.append(
                {
                    "type": type_name,
                    "id": value["id"].split(":", 1)[1],
                    "attributes": value["source"][type_name],
                    "namespaces": value["source"].get("namespaces"),
                }
            )
    return docs


def test_the_pre_aad_change_fixture_is_the_published_file() -> None:
    assert len(PRE_AAD_CHANGE.read_text(encoding="utf-8")) == 8816
    assert {d["type"] for d in pre_aad_documents()} == set(PRE_AAD_TYPES)


@pytest.mark.parametrize("include_model", [False, True], ids=["exclude-list", "include-list"])
def test_values_kibana_wrote_under_the_exclude_model_decrypt(include_model: bool) -> None:
    extension = pre_aad_extension(include_model=include_model)
    for doc in pre_aad_documents():
        secret, _, expected = PRE_AAD_TYPES[doc["type"]]
        obj = SavedObject(**doc)
        assert extension.get_decrypted_attributes(obj)[secret] == expected


def test_the_exclude_model_binds_every_other_plain_attribute() -> None:
    extension = pre_aad_extension()
    doc = next(d for d in pre_aad_documents() if d["type"] == "action")
    renamed = SavedObject(**{**doc, "attributes": {**doc["attributes"], "name": "renamed"}})
    assert extension.get_decrypted_attributes(renamed)["secrets"] == {
        "token": "some-random-token-value"
    }  # "name" was excluded
    moved = SavedObject(**{**doc, "attributes": {**doc["attributes"], "actionTypeId": ".x"}})
    with pytest.raises(EncryptionError):
        extension.get_decrypted_attributes(moved)
