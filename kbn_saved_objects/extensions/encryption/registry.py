"""Which saved-object types have encrypted attributes, and how (spec 08 §5.1).

A type opts in with an :class:`EncryptedSavedObjectTypeRegistration` (Kibana's
``registerType`` argument): the attributes to encrypt -- stripped from every response
unless ``dangerously_expose_value`` -- the plain attributes bound into the AAD, and
whether predefined ids are refused. The registry turns each into an
:class:`EncryptedTypeDefinition` that answers the per-attribute questions the service
asks, and refuses Kibana's invalid registrations with Kibana's messages.

Attribute names are flat top-level keys, never paths: ``"ssl.key"`` is an attribute
literally called ``ssl.key``. A dotted name meant as a path would silently never be
encrypted, so Kibana refuses dotted names, except the synthetics monitor keys it
grandfathered; so do we.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from kbn_saved_objects.errors import TypeRegistrationError

__all__ = [
    "AttributeToEncrypt",
    "EncryptedSavedObjectTypeRegistration",
    "EncryptedTypeDefinition",
    "EncryptedTypeRegistry",
]


@dataclass(frozen=True, slots=True)
class AttributeToEncrypt:
    """An attribute to encrypt; ``dangerously_expose_value`` returns it decrypted to
    every reader instead of stripping it."""

    key: str
    dangerously_expose_value: bool = False


@dataclass(frozen=True, slots=True)
class EncryptedSavedObjectTypeRegistration:
    """Kibana's ``registerType`` argument.

    ``attributes_to_exclude_from_aad`` is Kibana's *older* AAD model (7.x and early 8.x):
    every plain attribute is bound except these. Kibana replaced it by the include list
    and converted its own registrations so that old values still open; use it only to
    read data written under a registration that used it (``[]``: every plain attribute).
    It cannot be combined with ``attributes_to_include_in_aad``.
    """

    type: str
    attributes_to_encrypt: frozenset[str | AttributeToEncrypt]
    attributes_to_include_in_aad: frozenset[str] | None = None
    enforce_random_id: bool = True
    attributes_to_exclude_from_aad: frozenset[str] | None = None

    def __init__(
        self,
        type: str,
        attributes_to_encrypt: Iterable[str | AttributeToEncrypt],
        attributes_to_include_in_aad: Iterable[str] | None = None,
        enforce_random_id: bool = True,
        attributes_to_exclude_from_aad: Iterable[str] | None = None,
    ) -> None:
        object.__setattr__(self, "type", type)
        object.__setattr__(self, "attributes_to_encrypt", frozenset(attributes_to_encrypt))
        object.__setattr__(
            self, "attributes_to_include_in_aad", _frozen_or_none(attributes_to_include_in_aad)
        )
        object.__setattr__(self, "enforce_random_id", enforce_random_id)
        object.__setattr__(
            self, "attributes_to_exclude_from_aad", _frozen_or_none(attributes_to_exclude_from_aad)
        )


def _frozen_or_none(names: Iterable[str] | None) -> frozenset[str] | None:
    return None if names is None else frozenset(names)


_SYNTHETICS_SECRET_KEYS = (
    "check.request.body",
    "check.request.headers",
    "check.send",
    "check.response.body.negative",
    "check.response.body.positive",
    "check.response.json",
    "check.response.headers",
    "check.receive",
    "source.inline.script",
    "source.project.content",
    "ssl.key",
    "ssl.key_passphrase",
)
_SYNTHETICS_AAD_KEYS = (
    "service.name",
    "filter_journeys.match",
    "filter_journeys.tags",
    "url.port",
    "response.include_body",
    "response.include_headers",
    "response.include_body_max_bytes",
    "check.response.status",
    "check.request.method",
    "ssl.certificate_authorities",
    "ssl.certificate",
    "ssl.verification_mode",
    "ssl.supported_protocols",
)
_SYNTHETICS_LEGACY_KEYS = (
    "source.zip_url.url",
    "source.zip_url.username",
    "source.zip_url.password",
    "source.zip_url.folder",
    "source.zip_url.proxy_url",
    "source.zip_url.ssl.certificate_authorities",
    "source.zip_url.ssl.certificate",
    "source.zip_url.ssl.key",
    "source.zip_url.ssl.key_passphrase",
    "source.zip_url.ssl.verification_mode",
    "source.zip_url.ssl.supported_protocols",
    "throttling.config",
    "throttling.is_enabled",
    "throttling.download_speed",
    "throttling.upload_speed",
    "throttling.latency",
)
DOTTED_KEYS_ALLOWED: Mapping[str, frozenset[str]] = {
    "synthetics-monitor": frozenset(
        _SYNTHETICS_SECRET_KEYS + _SYNTHETICS_AAD_KEYS + _SYNTHETICS_LEGACY_KEYS
    ),
    "synthetics-monitor-multi-space": frozenset(_SYNTHETICS_SECRET_KEYS + _SYNTHETICS_AAD_KEYS),
}
"""Dotted names that are genuine flat attribute names (Kibana's grandfathered list; it
should only ever shrink)."""


def _key(attribute: str | AttributeToEncrypt) -> str:
    return attribute if isinstance(attribute, str) else attribute.key


def _ordered(names: Iterable[str]) -> list[str]:
    return sorted(names)


def _refuse(registration: EncryptedSavedObjectTypeRegistration, detail: str) -> None:
    raise TypeRegistrationError(
        f"Invalid EncryptedSavedObjectTypeRegistration for type '{registration.type}'. " + detail,
        metadata={"type": registration.type},
    )


def _check_dotted_keys(registration: EncryptedSavedObjectTypeRegistration) -> None:
    allowed = DOTTED_KEYS_ALLOWED.get(registration.type, frozenset())

    def unexpected(key: str) -> bool:
        return "." in key and key not in allowed

    to_encrypt = _ordered(
        {k for k in map(_key, registration.attributes_to_encrypt) if unexpected(k)}
    )
    in_aad = _ordered(k for k in registration.attributes_to_include_in_aad or () if unexpected(k))
    if not to_encrypt and not in_aad:
        return
    failures = []
    if to_encrypt:
        failures.append(
            "These dotted attributesToEncrypt keys are not permitted to prevent misuse: "
            f"{', '.join(to_encrypt)}."
        )
    if in_aad:
        failures.append(
            "These dotted attributesToIncludeInAAD keys are not permitted to prevent misuse: "
            f"{', '.join(in_aad)}."
        )
    _refuse(
        registration,
        "Attribute keys are matched as flat top-level attribute names, not as nested paths. "
        + " ".join(failures),
    )


class EncryptedTypeDefinition:
    """The per-attribute rules of one registered type (Kibana's
    ``EncryptedSavedObjectAttributesDefinition``)."""

    __slots__ = (
        "_aad",
        "_excluded",
        "_strip",
        "attributes_to_encrypt",
        "enforce_random_id",
        "type",
    )

    def __init__(self, registration: EncryptedSavedObjectTypeRegistration) -> None:
        _check_dotted_keys(registration)
        excluded = registration.attributes_to_exclude_from_aad
        if excluded is not None and registration.attributes_to_include_in_aad is not None:
            _refuse(
                registration,
                "attributesToIncludeInAAD and attributesToExcludeFromAAD cannot both be set.",
            )
        aad = registration.attributes_to_include_in_aad
        if aad is not None:
            both = _ordered(k for k in map(_key, registration.attributes_to_encrypt) if k in aad)
            if both:
                _refuse(
                    registration,
                    "attributesToIncludeInAAD must not contain any values in "
                    f"attributesToEncrypt: {','.join(both)}",
                )
        self.type = registration.type
        self.attributes_to_encrypt: frozenset[str] = frozenset(
            map(_key, registration.attributes_to_encrypt)
        )
        self._strip = frozenset(
            _key(a)
            for a in registration.attributes_to_encrypt
            if isinstance(a, str) or not a.dangerously_expose_value
        )
        self._aad = aad
        self._excluded = excluded
        self.enforce_random_id = registration.enforce_random_id

    def should_be_encrypted(self, attribute: str) -> bool:
        return attribute in self.attributes_to_encrypt

    def should_be_stripped(self, attribute: str) -> bool:
        """Encrypted and not exposed: never returned to a reader."""
        return attribute in self._strip

    def should_be_included_in_aad(self, attribute: str) -> bool:
        if self.should_be_encrypted(attribute):
            return False
        if self._excluded is not None:
            return attribute not in self._excluded
        return self._aad is not None and attribute in self._aad

    def attributes_for_aad(self, attributes: Mapping[str, Any]) -> dict[str, Any]:
        """The AAD attributes present on the object (absent ones are simply left out)."""
        if self._excluded is not None:
            return {k: v for k, v in attributes.items() if self.should_be_included_in_aad(k)}
        if self._aad is None:
            return {}
        return {
            k: attributes[k]
            for k in sorted(self._aad)
            if k in attributes and k not in self.attributes_to_encrypt
        }

    def definition_hash(self, type_name: str | None = None) -> str:
        """A hash that changes when the registration does (Kibana's
        ``getDefinitionHash``, up to set ordering: names are sorted here)."""
        parts = [
            *([type_name] if type_name else []),
            *sorted(self.attributes_to_encrypt),
            *sorted(self._aad or ()),
            *(f"-{name}" for name in sorted(self._excluded or ())),
            "true" if self.enforce_random_id else "false",
        ]
        return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()


class EncryptedTypeRegistry:
    """The types whose attributes are encrypted (Kibana's ``registerType`` registry)."""

    def __init__(self, registrations: Iterable[EncryptedSavedObjectTypeRegistration] = ()) -> None:
        self._definitions: dict[str, EncryptedTypeDefinition] = {}
        for registration in registrations:
            self.register(registration)

    def register(self, registration: EncryptedSavedObjectTypeRegistration) -> None:
        if not registration.attributes_to_encrypt:
            raise TypeRegistrationError(
                f'The "attributesToEncrypt" array for "{registration.type}" is empty.',
                metadata={"type": registration.type},
            )
        if registration.type in self._definitions:
            raise TypeRegistrationError(
                f'The "{registration.type}" saved object type is already registered.',
                metadata={"type": registration.type},
            )
        self._definitions[registration.type] = EncryptedTypeDefinition(registration)

    def is_registered(self, type_name: str) -> bool:
        return type_name in self._definitions

    def get(self, type_name: str) -> EncryptedTypeDefinition | None:
        return self._definitions.get(type_name)

    def registered_types(self) -> list[str]:
        return list(self._definitions)

    def should_enforce_random_id(self, type_name: str) -> bool:
        """``True`` unless the type opted out (unregistered types included, as Kibana)."""
        definition = self._definitions.get(type_name)
        return definition is None or definition.enforce_random_id

    def __iter__(self) -> Iterator[EncryptedTypeDefinition]:
        return iter(self._definitions.values())

    def __contains__(self, type_name: object) -> bool:
        return type_name in self._definitions

    def __len__(self) -> int:
        return len(self._definitions)
