"""Registrations: what is encrypted, stripped, exposed and bound into the AAD, and the
registrations Kibana refuses.

Ported (in our own words) from Kibana's
``x-pack/platform/plugins/shared/encrypted_saved_objects/server/crypto/
encrypted_saved_object_type_definition.test.ts`` (commit b4099342f24d7dc24456d8e935c01ba1e4a75872)
and the ``registerType`` cases of ``encrypted_saved_objects_service.test.ts`` (commit
a2dd304306195de5416992cd8f752c1e6e2a483a).
"""

from __future__ import annotations

import pytest

from kbn_saved_objects.errors import TypeRegistrationError
from kbn_saved_objects.extensions.encryption import (
    AttributeToEncrypt,
    EncryptedSavedObjectTypeRegistration,
    EncryptedTypeRegistry,
)
from kbn_saved_objects.extensions.encryption.registry import EncryptedTypeDefinition


def definition(**kwargs: object) -> EncryptedTypeDefinition:
    return EncryptedTypeDefinition(EncryptedSavedObjectTypeRegistration(type="t", **kwargs))  # type: ignore[arg-type]


def test_plain_names_are_encrypted_and_stripped() -> None:
    d = definition(attributes_to_encrypt=["attr#1", "attr#2"])
    assert d.should_be_encrypted("attr#1")
    assert d.should_be_stripped("attr#1")
    assert not d.should_be_encrypted("attr#3")
    assert not d.should_be_stripped("attr#3")


def test_exposed_attributes_are_encrypted_but_not_stripped() -> None:
    d = definition(
        attributes_to_encrypt=[
            "attr#1",
            AttributeToEncrypt("attr#2", dangerously_expose_value=True),
            AttributeToEncrypt("attr#3", dangerously_expose_value=False),
        ]
    )
    assert d.should_be_encrypted("attr#2")
    assert not d.should_be_stripped("attr#2")
    assert d.should_be_encrypted("attr#3")
    assert d.should_be_stripped("attr#3")
    assert d.attributes_to_encrypt == {"attr#1", "attr#2", "attr#3"}


def test_only_listed_plain_attributes_join_the_aad() -> None:
    d = definition(attributes_to_encrypt=["secret"], attributes_to_include_in_aad=["a", "b"])
    assert d.should_be_included_in_aad("a")
    assert not d.should_be_included_in_aad("c")
    assert not d.should_be_included_in_aad("secret")
    attributes = {"a": 1, "c": 3, "secret": "x", "nested": {"a": 2}}
    assert d.attributes_for_aad(attributes) == {"a": 1}  # absent "b" is left out


def test_without_an_aad_list_only_the_descriptor_is_bound() -> None:
    d = definition(attributes_to_encrypt=["secret"])
    assert d.attributes_for_aad({"a": 1, "secret": "x"}) == {}


def test_random_ids_are_enforced_unless_opted_out() -> None:
    registry = EncryptedTypeRegistry(
        [
            EncryptedSavedObjectTypeRegistration("strict", ["s"]),
            EncryptedSavedObjectTypeRegistration("lax", ["s"], enforce_random_id=False),
        ]
    )
    assert registry.should_enforce_random_id("strict")
    assert not registry.should_enforce_random_id("lax")
    assert registry.should_enforce_random_id("unregistered")


def test_registry_membership() -> None:
    registry = EncryptedTypeRegistry([EncryptedSavedObjectTypeRegistration("t", ["s"])])
    assert registry.is_registered("t")
    assert "t" in registry
    assert len(registry) == 1
    assert not registry.is_registered("other")
    assert registry.get("other") is None
    assert registry.registered_types() == ["t"]
    assert [d.type for d in registry] == ["t"]


def test_an_empty_attribute_list_is_refused() -> None:
    with pytest.raises(TypeRegistrationError) as caught:
        EncryptedTypeRegistry().register(EncryptedSavedObjectTypeRegistration("t", []))
    assert caught.value.message == 'The "attributesToEncrypt" array for "t" is empty.'


def test_a_type_registers_once() -> None:
    registry = EncryptedTypeRegistry([EncryptedSavedObjectTypeRegistration("t", ["s"])])
    with pytest.raises(TypeRegistrationError) as caught:
        registry.register(EncryptedSavedObjectTypeRegistration("t", ["other"]))
    assert caught.value.message == 'The "t" saved object type is already registered.'


def test_an_attribute_cannot_be_both_encrypted_and_in_the_aad() -> None:
    with pytest.raises(TypeRegistrationError) as caught:
        definition(
            attributes_to_encrypt=["attr#1", AttributeToEncrypt("attr#2"), "attr#3"],
            attributes_to_include_in_aad=["attr#2", "attr#1", "plain"],
        )
    assert caught.value.message == (
        "Invalid EncryptedSavedObjectTypeRegistration for type 't'. "
        "attributesToIncludeInAAD must not contain any values in attributesToEncrypt: "
        "attr#1,attr#2"
    )


def test_dotted_names_are_refused() -> None:
    with pytest.raises(TypeRegistrationError) as caught:
        definition(attributes_to_encrypt=["ssl.key", "ok"], attributes_to_include_in_aad=["a.b"])
    assert caught.value.message == (
        "Invalid EncryptedSavedObjectTypeRegistration for type 't'. Attribute keys are "
        "matched as flat top-level attribute names, not as nested paths. These dotted "
        "attributesToEncrypt keys are not permitted to prevent misuse: ssl.key. These dotted "
        "attributesToIncludeInAAD keys are not permitted to prevent misuse: a.b."
    )
    with pytest.raises(TypeRegistrationError, match="dotted attributesToIncludeInAAD keys"):
        definition(attributes_to_encrypt=["ok"], attributes_to_include_in_aad=["a.b"])


def test_synthetics_monitor_keeps_its_grandfathered_dotted_names() -> None:
    d = EncryptedTypeDefinition(
        EncryptedSavedObjectTypeRegistration(
            "synthetics-monitor",
            ["ssl.key", "source.zip_url.password"],
            attributes_to_include_in_aad=["url.port"],
        )
    )
    assert d.should_be_encrypted("ssl.key")
    assert d.attributes_for_aad({"url.port": 443, "url": {"port": 80}}) == {"url.port": 443}
    with pytest.raises(TypeRegistrationError, match=r"ssl\.new_secret"):
        EncryptedTypeDefinition(
            EncryptedSavedObjectTypeRegistration("synthetics-monitor", ["ssl.new_secret"])
        )
    with pytest.raises(TypeRegistrationError, match=r"source\.zip_url\.password"):
        EncryptedTypeDefinition(  # the legacy keys belong to the old type only
            EncryptedSavedObjectTypeRegistration(
                "synthetics-monitor-multi-space", ["source.zip_url.password"]
            )
        )


def test_the_definition_hash_follows_the_registration() -> None:
    a = definition(attributes_to_encrypt=["s"], attributes_to_include_in_aad=["p"])
    b = definition(attributes_to_encrypt=["s"], attributes_to_include_in_aad=["p"])
    c = definition(attributes_to_encrypt=["s"], attributes_to_include_in_aad=["q"])
    assert a.definition_hash("t") == b.definition_hash("t") != c.definition_hash("t")
    assert a.definition_hash("t") != a.definition_hash()


def test_the_older_exclude_model_binds_every_other_plain_attribute() -> None:
    d = definition(attributes_to_encrypt=["secret"], attributes_to_exclude_from_aad=["free"])
    assert d.attributes_for_aad({"a": 1, "b": 2, "free": 3, "secret": "x"}) == {"a": 1, "b": 2}
    assert d.should_be_included_in_aad("anything")
    assert not d.should_be_included_in_aad("free")
    assert not d.should_be_included_in_aad("secret")
    everything = definition(attributes_to_encrypt=["secret"], attributes_to_exclude_from_aad=[])
    assert everything.attributes_for_aad({"a": 1, "secret": "x"}) == {"a": 1}
    assert everything.definition_hash("t") != d.definition_hash("t")


def test_the_two_aad_models_do_not_mix() -> None:
    with pytest.raises(TypeRegistrationError) as caught:
        definition(
            attributes_to_encrypt=["secret"],
            attributes_to_include_in_aad=["a"],
            attributes_to_exclude_from_aad=["b"],
        )
    assert caught.value.message == (
        "Invalid EncryptedSavedObjectTypeRegistration for type 't'. "
        "attributesToIncludeInAAD and attributesToExcludeFromAAD cannot both be set."
    )
