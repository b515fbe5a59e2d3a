"""Encrypting on write, decrypting or stripping on read, through the extension the
repository calls.

Ported (in our own words) from Kibana's
``x-pack/platform/plugins/shared/encrypted_saved_objects/server/crypto/
encrypted_saved_objects_service.test.ts`` (commit a2dd304306195de5416992cd8f752c1e6e2a483a)
and ``.../saved_objects/saved_objects_encryption_extension.test.ts`` (commit
c06c46c433169e5ad91377583283468263633ed7).
"""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.extensions.encryption import (
    EncryptedSavedObjectTypeRegistration,
    EncryptedTypeRegistry,
    EncryptionConfigError,
    EncryptionError,
    EncryptionErrorOperation,
    EncryptionKeys,
    NodeCrypto,
    SavedObjectsEncryptionExtension,
)
from kbn_saved_objects.extensions.encryption.aad import build_aad, descriptor_label
from kbn_saved_objects.extensions.encryption.registry import EncryptedTypeDefinition
from kbn_saved_objects.extensions.encryption.service import NO_SECONDARY_KEYS
from kbn_saved_objects.repository.extensions import EncryptionDescriptor, EncryptionExtension
from kbn_saved_objects.serialization import SavedObject, saved_object_from_doc
from tests.extensions.encryption.conftest import (
    AGNOSTIC,
    MULTIPLE,
    NEW_KEY,
    OLD_KEY_A,
    OLD_KEY_B,
    PLAIN,
    PREDICTABLE,
    SINGLE,
    make_extension,
    secret_attributes,
)

SECRETS = ("privateProperty", "publicPropertyStoredEncrypted")


def stored(
    extension: SavedObjectsEncryptionExtension,
    type_name: str,
    namespace: str | None,
    attributes: dict[str, Any] | None = None,
    *,
    obj_id: str = "id1",
    namespaces: list[str] | None = None,
) -> SavedObject[Any]:
    """An object as a bare repository returns it after ``extension`` encrypted it."""
    plain = attributes if attributes is not None else secret_attributes()
    descriptor = EncryptionDescriptor(type=type_name, id=obj_id, namespace=namespace)
    encrypted = extension.encrypt_attributes(descriptor, plain)
    return SavedObject(
        type=type_name,
        id=obj_id,
        attributes=encrypted,
        namespaces=namespaces if namespaces is not None else [namespace or "default"],
    )


def test_implements_the_repository_protocol() -> None:
    extension = make_extension()
    assert isinstance(extension, EncryptionExtension)
    assert extension.is_encryptable_type(SINGLE)
    assert not extension.is_encryptable_type(PLAIN)
    assert extension.should_enforce_random_id(SINGLE)
    assert not extension.should_enforce_random_id(PREDICTABLE)


def test_encrypted_attribute_names_for_audit_redaction() -> None:
    extension = make_extension()
    assert extension.get_encrypted_attributes(SINGLE) == frozenset(
        {"privateProperty", "publicPropertyStoredEncrypted"}
    )
    assert extension.get_encrypted_attributes(PLAIN) is None


def test_aad_is_kibanas_text() -> None:
    d = EncryptedTypeDefinition(
        EncryptedSavedObjectTypeRegistration(
            "known-type-1", ["attrThree"], attributes_to_include_in_aad=["attrOne"]
        )
    )
    attributes = {"attrOne": "one", "attrTwo": "two", "attrThree": "three"}
    descriptor = EncryptionDescriptor(type="known-type-1", id="object-id-1")
    assert (
        build_aad(d, descriptor, attributes) == '["known-type-1","object-id-1",{"attrOne":"one"}]'
    )
    in_sales = EncryptionDescriptor(type="known-type-1", id="object-id-1", namespace="sales")
    assert build_aad(d, in_sales, attributes) == (
        '["sales","known-type-1","object-id-1",{"attrOne":"one"}]'
    )
    assert descriptor_label(in_sales) == "sales,known-type-1,object-id-1"


def test_encrypts_registered_attributes_only() -> None:
    extension = make_extension()
    plain = secret_attributes()
    encrypted = extension.encrypt_attributes(
        EncryptionDescriptor(type=SINGLE, id="id1", namespace="sales"), plain
    )
    for name in SECRETS:
        assert isinstance(encrypted[name], str)
        assert encrypted[name] != plain[name]
    for name in ("publicProperty", "publicPropertyExcludedFromAAD"):
        assert encrypted[name] == plain[name]
    aad = '["sales","saved-object-with-secret","id1",{"publicProperty":"some-public-property-0"}]'
    assert (
        NodeCrypto(NEW_KEY).decrypt(encrypted["privateProperty"], aad) == plain["privateProperty"]
    )


def test_unregistered_types_and_absent_secrets_pass_through() -> None:
    extension = make_extension()
    plain = {"publicProperty": "p", "privateProperty": None}
    descriptor = EncryptionDescriptor(type=SINGLE, id="id1")
    assert extension.encrypt_attributes(descriptor, plain) == plain
    other = EncryptionDescriptor(type=PLAIN, id="id1")
    assert extension.encrypt_attributes(other, secret_attributes()) == secret_attributes()


def test_encrypting_without_a_primary_key_fails() -> None:
    extension = make_extension(None, OLD_KEY_A)
    with pytest.raises(EncryptionError) as caught:
        extension.encrypt_attributes(
            EncryptionDescriptor(type=SINGLE, id="id1", namespace="sales"), secret_attributes()
        )
    error = caught.value
    assert error.message == (
        'Unable to encrypt attribute "privateProperty" of saved object '
        '"sales,saved-object-with-secret,id1"'
    )
    assert error.attribute_name == "privateProperty"
    assert error.operation is EncryptionErrorOperation.ENCRYPTION
    assert str(error.__cause__) == "Encryption is disabled because of missing encryption key."
    # nothing to encrypt: no key needed
    plain = {"publicProperty": "p"}
    assert extension.encrypt_attributes(EncryptionDescriptor(type=SINGLE, id="i"), plain) == plain


def test_read_strips_secrets_and_decrypts_exposed_ones() -> None:
    extension = make_extension()
    obj = stored(extension, SINGLE, "sales")
    result = extension.decrypt_or_strip_response_attributes(obj)
    assert result.error is None
    assert result.attributes == {
        "publicProperty": "some-public-property-0",
        "publicPropertyExcludedFromAAD": "some-public-property-excluded-from-aad-0",
        "publicPropertyStoredEncrypted": "some-public-but-encrypted-property-0",
    }
    assert obj.attributes["privateProperty"] != "some-private-property-0"  # input untouched


def test_write_results_take_the_plaintext_the_caller_gave() -> None:
    extension = make_extension()
    obj = stored(extension, SINGLE, None)
    original = {**secret_attributes(), "publicPropertyStoredEncrypted": "from the caller"}
    result = extension.decrypt_or_strip_response_attributes(obj, original)
    assert result.attributes["publicPropertyStoredEncrypted"] == "from the caller"
    assert "privateProperty" not in result.attributes


def test_objects_of_other_types_are_returned_as_they_are() -> None:
    extension = make_extension()
    obj = SavedObject(type=PLAIN, id="x", attributes=secret_attributes())
    assert extension.decrypt_or_strip_response_attributes(obj) is obj
    no_attributes = saved_object_from_doc({"type": SINGLE, "id": "x"})
    assert extension.decrypt_or_strip_response_attributes(no_attributes) is no_attributes


def test_single_namespace_objects_are_bound_to_their_space() -> None:
    extension = make_extension()
    obj = stored(extension, SINGLE, "sales")
    moved = obj.model_copy(update={"namespaces": ["marketing"]})
    result = extension.decrypt_or_strip_response_attributes(moved)
    assert result.error == {
        "message": 'Unable to decrypt attribute "publicPropertyStoredEncrypted" of saved object '
        '"marketing,saved-object-with-secret,id1"'
    }
    assert result.attributes == {
        "publicProperty": "some-public-property-0",
        "publicPropertyExcludedFromAAD": "some-public-property-excluded-from-aad-0",
    }


def test_the_default_space_is_never_bound() -> None:
    extension = make_extension()
    obj = stored(extension, SINGLE, "default")
    # an object written with the namespace id (None) reads with the string, and back
    same = obj.model_copy(update={"namespaces": None, "namespace": None})
    assert extension.decrypt_or_strip_response_attributes(obj).error is None
    assert extension.decrypt_or_strip_response_attributes(same).error is None


@pytest.mark.parametrize("type_name", [MULTIPLE, AGNOSTIC])
def test_shareable_and_agnostic_objects_are_not_bound_to_a_space(type_name: str) -> None:
    extension = make_extension()
    obj = stored(extension, type_name, "sales", namespaces=["sales", "marketing"])
    shared = obj.model_copy(update={"namespaces": ["marketing", "sales"]})
    result = extension.decrypt_or_strip_response_attributes(shared)
    assert result.error is None
    assert (
        result.attributes["publicPropertyStoredEncrypted"] == "some-public-but-encrypted-property-0"
    )


def test_changing_an_aad_attribute_makes_secrets_unreadable() -> None:
    extension = make_extension()
    obj = stored(extension, SINGLE, None)
    tampered = obj.model_copy(
        update={"attributes": {**obj.attributes, "publicProperty": "rewritten"}}
    )
    result = extension.decrypt_or_strip_response_attributes(tampered)
    assert result.error is not None
    assert "publicPropertyStoredEncrypted" not in result.attributes
    # attributes outside the AAD may change freely
    free = obj.model_copy(
        update={"attributes": {**obj.attributes, "publicPropertyExcludedFromAAD": "changed"}}
    )
    assert extension.decrypt_or_strip_response_attributes(free).error is None


def test_changing_type_or_id_makes_secrets_unreadable() -> None:
    extension = make_extension()
    obj = stored(extension, SINGLE, None)
    other_id = obj.model_copy(update={"id": "id2"})
    assert extension.decrypt_or_strip_response_attributes(other_id).error is not None
    other_type = obj.model_copy(update={"type": MULTIPLE})
    assert extension.decrypt_or_strip_response_attributes(other_type).error is not None


def test_decryption_only_keys_still_read_old_objects() -> None:
    old = stored(make_extension(OLD_KEY_B), SINGLE, "sales")
    rotated = make_extension(NEW_KEY, OLD_KEY_A, OLD_KEY_B)
    result = rotated.decrypt_or_strip_response_attributes(old)
    assert result.error is None
    assert (
        result.attributes["publicPropertyStoredEncrypted"] == "some-public-but-encrypted-property-0"
    )
    # a key that was never configured opens nothing; the primary key's failure is reported
    stranger = make_extension(NEW_KEY, OLD_KEY_A).decrypt_or_strip_response_attributes(old)
    assert stranger.error is not None
    assert "publicPropertyStoredEncrypted" not in stranger.attributes


def test_a_wrong_key_is_reported_as_the_primary_keys_failure() -> None:
    extension = make_extension(NEW_KEY, OLD_KEY_A)
    obj = stored(make_extension(OLD_KEY_B), SINGLE, None)
    with pytest.raises(EncryptionError) as caught:
        extension.service.decrypt_attributes(extension.descriptor_for(obj), obj.attributes)
    assert caught.value.operation is EncryptionErrorOperation.DECRYPTION
    assert caught.value.to_json() == {"message": caught.value.message}
    assert str(caught.value.__cause__) == "Unsupported state or unable to authenticate data"


def test_without_any_key_nothing_decrypts() -> None:
    obj = stored(make_extension(), SINGLE, None)
    keyless = SavedObjectsEncryptionExtension(
        make_extension().type_registry, make_extension().service.types, EncryptionKeys()
    )
    with pytest.raises(EncryptionError) as caught:
        keyless.service.decrypt_attributes(keyless.descriptor_for(obj), obj.attributes)
    assert (
        str(caught.value.__cause__) == "Decryption is disabled because of missing decryption keys."
    )
    assert keyless.decrypt_or_strip_response_attributes(obj).error is not None


def test_a_secret_that_is_not_a_string_is_reported() -> None:
    extension = make_extension()
    obj = SavedObject(
        type=SINGLE,
        id="x",
        attributes={"publicProperty": "p", "publicPropertyStoredEncrypted": 5},
        namespaces=["default"],
    )
    result = extension.decrypt_or_strip_response_attributes(obj)
    assert result.error == {
        "message": 'Encrypted "publicPropertyStoredEncrypted" attribute should be a string, '
        "but found number"
    }
    assert result.attributes == {"publicProperty": "p"}


def test_decryption_only_keys_alone_need_some() -> None:
    extension = make_extension(NEW_KEY)
    obj = stored(extension, SINGLE, None)
    with pytest.raises(EncryptionConfigError) as caught:
        extension.service.decrypt_attributes(
            extension.descriptor_for(obj), obj.attributes, omit_primary_encryption_key=True
        )
    assert caught.value.message == NO_SECONDARY_KEYS


def test_objects_converted_to_multi_namespace_still_decrypt() -> None:
    """A single-namespace object encrypted in a space, under its old id, read after the
    type became multi-namespace (Kibana's ``isTypeBeingConverted`` candidates)."""
    extension = make_extension()
    service = extension.service
    old = EncryptionDescriptor(type=SINGLE, id="old-id", namespace="sales")
    encrypted = service.encrypt_attributes(old, secret_attributes())
    new = EncryptionDescriptor(type=SINGLE, id="new-id", namespace="sales")
    with pytest.raises(EncryptionError):
        service.decrypt_attributes(new, encrypted)
    plain = service.decrypt_attributes(
        new, encrypted, is_type_being_converted=True, origin_id="old-id"
    )
    assert plain == secret_attributes()
    without_namespace = service.encrypt_attributes(
        EncryptionDescriptor(type=SINGLE, id="new-id"), secret_attributes()
    )
    assert service.decrypt_attributes(new, without_namespace, is_type_being_converted=True) == (
        secret_attributes()
    )


def test_internal_access_decrypts_stripped_secrets_too() -> None:
    extension = make_extension()
    obj = stored(extension, SINGLE, "sales")
    assert extension.get_decrypted_attributes(obj) == secret_attributes()
    broken = obj.model_copy(update={"namespaces": ["elsewhere"]})
    with pytest.raises(EncryptionError):
        extension.get_decrypted_attributes(broken)
    assert (
        extension.get_decrypted_attributes(saved_object_from_doc({"type": SINGLE, "id": "x"})) == {}
    )


def test_only_one_registry_of_types_per_extension() -> None:
    """Unregistered in the ESO registry but known to the type registry: plain."""
    extension = SavedObjectsEncryptionExtension(
        make_extension().type_registry, EncryptedTypeRegistry(), EncryptionKeys(NEW_KEY)
    )
    assert not extension.is_encryptable_type(SINGLE)
    assert (
        extension.encrypt_attributes(EncryptionDescriptor(type=SINGLE, id="x"), secret_attributes())
        == secret_attributes()
    )
