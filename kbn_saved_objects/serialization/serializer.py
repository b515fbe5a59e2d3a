"""Raw engine documents <-> saved-object documents, exactly as Kibana converts them.

The conversion is Kibana's ``SavedObjectsSerializer``: same validity rules, same keys,
same JavaScript truthiness (an empty ``{}``/``[]`` is kept where Kibana keeps it, an empty
string dropped where Kibana drops it), same key order. It is a hot path -- index
migrations push every document through it -- so nothing is deep-copied or validated:
values are passed by reference from one shape to the other.

The serializer works with namespace *ids* (``None`` for the default space). Callers
normalize ``'default'`` first; passing it here would write ``default:<type>:<id>``.

``accessControl`` (Kibana 9.x: the owner and access mode of an object) is written
whenever a document carries it, and read back only while the registry has access control
enabled -- per registry, not per type, as in Kibana.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, Protocol, TypeVar, overload

from pydantic import BaseModel

from kbn_saved_objects.errors import InvalidRawDocumentError
from kbn_saved_objects.serialization._js import js_truthy
from kbn_saved_objects.serialization.documents import RawDoc, SavedObjectDoc
from kbn_saved_objects.serialization.raw_ids import (
    IdPrefix,
    NamespaceTypeLookup,
    generate_raw_id,
    legacy_url_alias_raw_id,
    parse_id_prefix,
)
from kbn_saved_objects.serialization.saved_object import SavedObject, saved_object_from_doc
from kbn_saved_objects.serialization.versions import (
    decode_version,
    encode_int_version,
    encode_version,
)

__all__ = [
    "MigrationVersionCompatibility",
    "NamespaceTreatment",
    "SavedObjectsSerializer",
    "SerializerTypeLookup",
    "doc_to_raw",
    "is_raw_saved_object",
    "raw_to_doc",
]

NamespaceTreatment = Literal["strict", "lax"]
"""``lax`` (index migrator only) accepts a namespace prefix on multi-namespace raw ids."""

MigrationVersionCompatibility = Literal["raw", "compatible"]
"""``compatible`` derives the legacy ``migrationVersion`` from ``typeMigrationVersion``."""

ModelT = TypeVar("ModelT", bound=BaseModel)

_TRUTHY_VERSION_KEYS = ("originId", "migrationVersion", "coreMigrationVersion")
_TRUTHY_TIMESTAMP_KEYS = ("updated_at", "updated_by", "created_at", "created_by")


class SerializerTypeLookup(NamespaceTypeLookup, Protocol):
    """The part of the type registry the serializer depends on."""

    def is_access_control_enabled(self) -> bool: ...


def _check_raw(registry: NamespaceTypeLookup, raw: Mapping[str, Any], lax: bool) -> IdPrefix:
    """Kibana's validity check; returns the parsed prefix or raises."""
    raw_id = raw.get("_id")
    source = raw.get("_source")
    is_mapping = type(source) is dict or isinstance(source, Mapping)
    type_name = source.get("type") if is_mapping else None  # type: ignore[union-attr]
    if type(type_name) is not str or not type_name:  # the common case first: a type name
        if not js_truthy(type_name):
            raise InvalidRawDocumentError(f"Raw document '{raw_id}' is missing _source.type field")
        if not isinstance(type_name, str):
            raise InvalidRawDocumentError(
                "Expected saved object type to be a string but given "
                f"[{type(type_name).__name__}] with [{type_name}] value."
            )
    if type(raw_id) is not str and not isinstance(raw_id, str):
        raise InvalidRawDocumentError(
            "Expected document id to be a string but given "
            f"[{type(raw_id).__name__}] with [{raw_id}] value."
        )
    assert is_mapping
    assert source is not None
    parsed = parse_id_prefix(registry, source.get("namespace"), type_name, raw_id, lax=lax)
    if not parsed.matches:
        raise InvalidRawDocumentError(
            f"Raw document '{raw_id}' does not start with expected prefix '{parsed.prefix}'"
        )
    return parsed


def is_raw_saved_object(
    registry: NamespaceTypeLookup,
    raw: Mapping[str, Any],
    *,
    namespace_treatment: NamespaceTreatment = "strict",
) -> bool:
    """Whether :func:`raw_to_doc` would accept ``raw`` (it never raises).

    True when ``_source.type`` is set and the raw id carries the prefix that type and
    ``_source.namespace`` call for. The attributes key is not required.
    """
    try:
        _check_raw(registry, raw, namespace_treatment == "lax")
    except InvalidRawDocumentError:
        return False
    return True


def raw_to_doc(
    registry: SerializerTypeLookup,
    raw: Mapping[str, Any],
    *,
    namespace_treatment: NamespaceTreatment = "strict",
    migration_version_compatibility: MigrationVersionCompatibility = "raw",
) -> SavedObjectDoc:
    """The saved-object document stored in ``raw``; raise if ``raw`` is not one.

    Unknown ``_source`` keys are dropped, ``references`` defaults to ``[]``, ``namespace``
    is kept only for single-namespace types and ``namespaces`` only for multi-namespace
    ones. ``version`` is encoded from ``_seq_no``/``_primary_term`` when either is present.
    ``accessControl`` is kept only while ``registry`` has access control enabled.
    """
    lax = namespace_treatment == "lax"
    source: Mapping[str, Any] = raw.get("_source")  # type: ignore[assignment]
    type_name: str = source.get("type") if type(source) is dict else None  # type: ignore[assignment]
    raw_id = raw.get("_id")
    # The common case inline (a dict source, string type and id, no namespace prefix):
    # what _check_raw and parse_id_prefix decide for it, without building the prefix.
    prefix_length = len(type_name) + 1 if type(type_name) is str and type_name else 0
    if (
        prefix_length
        and type(raw_id) is str
        and not lax
        and not (source.get("namespace") and registry.is_single_namespace(type_name))
        and len(raw_id) > prefix_length
        and raw_id.startswith(type_name)
        and raw_id[prefix_length - 1] == ":"
    ):
        namespace = None
        object_id = raw_id[prefix_length:]
    else:
        parsed = _check_raw(registry, raw, lax)
        source = raw["_source"]
        type_name = source["type"]
        namespace = parsed.namespace
        object_id = raw["_id"][len(parsed.prefix) :]
    seq_no = raw.get("_seq_no")
    primary_term = raw.get("_primary_term")
    if type(seq_no) is int and type(primary_term) is int:  # what engines send
        version: str | None = encode_int_version(seq_no, primary_term)
    elif seq_no is not None or primary_term is not None:
        version = encode_version(seq_no, primary_term)
    else:
        version = None
    doc: dict[str, Any] = {"type": type_name, "id": object_id}
    if namespace and (lax or registry.is_single_namespace(type_name)):
        doc["namespace"] = namespace
    if "namespaces" in source and registry.is_multi_namespace(type_name):
        doc["namespaces"] = source["namespaces"]
    # JavaScript truthiness, with Python's own where they agree (a str, absent keys)
    origin_id = source.get("originId")
    if origin_id is not None and (origin_id if type(origin_id) is str else js_truthy(origin_id)):
        doc["originId"] = origin_id
    if type_name in source:
        doc["attributes"] = source[type_name]
    references = source.get("references")
    doc["references"] = references if type(references) is list or js_truthy(references) else []
    managed = source.get("managed")
    if managed is not None:
        doc["managed"] = managed
    type_migration_version = source.get("typeMigrationVersion")
    if "migrationVersion" in source:
        migration_version = source["migrationVersion"]
    elif migration_version_compatibility == "compatible" and js_truthy(type_migration_version):
        migration_version = {type_name: type_migration_version}
    else:
        migration_version = None
    if migration_version is not None and js_truthy(migration_version):
        doc["migrationVersion"] = migration_version
    core_migration_version = source.get("coreMigrationVersion")
    if core_migration_version is not None and (
        core_migration_version
        if type(core_migration_version) is str
        else js_truthy(core_migration_version)
    ):
        doc["coreMigrationVersion"] = core_migration_version
    if type_migration_version is not None:
        doc["typeMigrationVersion"] = type_migration_version
    for key in _TRUTHY_TIMESTAMP_KEYS:
        value = source.get(key)
        if value is not None and (value if type(value) is str else js_truthy(value)):
            doc[key] = value
    if version:
        doc["version"] = version
    access_control = source.get("accessControl")
    if (
        access_control is not None
        and js_truthy(access_control)
        and registry.is_access_control_enabled()
    ):
        doc["accessControl"] = access_control
    return doc  # type: ignore[return-value]


def doc_to_raw(registry: NamespaceTypeLookup, doc: SavedObjectDoc) -> RawDoc:
    """The raw engine document for ``doc`` (Kibana's ``savedObjectToRaw``).

    ``_source`` keys come in Kibana's order. Absent ``attributes``/``references`` stay
    absent; an explicit ``None`` is written as ``null``. ``namespace``/``namespaces`` that
    do not fit the type's namespace type are dropped silently. A ``version`` becomes
    ``_seq_no``/``_primary_term`` (an invalid one raises ``Invalid version [...]``).
    """
    type_name = doc["type"]
    single = registry.is_single_namespace(type_name)
    source: dict[str, Any] = {}
    if "attributes" in doc:
        source[type_name] = doc["attributes"]
    source["type"] = type_name
    if "references" in doc:
        source["references"] = doc["references"]
    managed = doc.get("managed")
    if managed is not None:
        source["managed"] = managed
    # JavaScript truthiness, with Python's own where they agree (a str, absent keys)
    namespace = doc.get("namespace")
    if single and namespace is not None and js_truthy(namespace):
        source["namespace"] = namespace
    namespaces = doc.get("namespaces")
    if (
        namespaces is not None
        and (type(namespaces) is list or js_truthy(namespaces))
        and registry.is_multi_namespace(type_name)
    ):
        source["namespaces"] = namespaces
    for key in _TRUTHY_VERSION_KEYS:
        value = doc.get(key)
        if value is not None and (value if type(value) is str else js_truthy(value)):
            source[key] = value
    type_migration_version = doc.get("typeMigrationVersion")
    if type_migration_version is not None:
        source["typeMigrationVersion"] = type_migration_version
    for key in _TRUTHY_TIMESTAMP_KEYS:
        value = doc.get(key)
        if value is not None and (value if type(value) is str else js_truthy(value)):
            source[key] = value
    access_control = doc.get("accessControl")
    if access_control is not None and js_truthy(access_control):
        source["accessControl"] = access_control
    raw: dict[str, Any] = {
        "_id": generate_raw_id(registry, namespace, type_name, doc["id"]),
        "_source": source,
    }
    version = doc.get("version")
    if version is not None:
        raw.update(decode_version(version))
    return raw  # type: ignore[return-value]


class SavedObjectsSerializer:
    """Kibana's serializer bound to a type registry (only its namespace predicates and its
    access-control switch are used)."""

    def __init__(self, registry: SerializerTypeLookup) -> None:
        self._registry = registry

    def is_raw_saved_object(
        self, raw: Mapping[str, Any], *, namespace_treatment: NamespaceTreatment = "strict"
    ) -> bool:
        return is_raw_saved_object(self._registry, raw, namespace_treatment=namespace_treatment)

    def raw_to_doc(
        self,
        raw: Mapping[str, Any],
        *,
        namespace_treatment: NamespaceTreatment = "strict",
        migration_version_compatibility: MigrationVersionCompatibility = "raw",
    ) -> SavedObjectDoc:
        return raw_to_doc(
            self._registry,
            raw,
            namespace_treatment=namespace_treatment,
            migration_version_compatibility=migration_version_compatibility,
        )

    def doc_to_raw(self, doc: SavedObjectDoc) -> RawDoc:
        return doc_to_raw(self._registry, doc)

    @overload
    def raw_to_saved_object(
        self,
        raw: Mapping[str, Any],
        *,
        namespace_treatment: NamespaceTreatment = ...,
        migration_version_compatibility: MigrationVersionCompatibility = ...,
    ) -> SavedObject[dict[str, Any]]: ...

    @overload
    def raw_to_saved_object(
        self,
        raw: Mapping[str, Any],
        *,
        attributes_model: type[ModelT],
        namespace_treatment: NamespaceTreatment = ...,
        migration_version_compatibility: MigrationVersionCompatibility = ...,
    ) -> SavedObject[ModelT]: ...

    def raw_to_saved_object(
        self,
        raw: Mapping[str, Any],
        *,
        attributes_model: type[BaseModel] | None = None,
        namespace_treatment: NamespaceTreatment = "strict",
        migration_version_compatibility: MigrationVersionCompatibility = "raw",
    ) -> SavedObject[Any]:
        """:meth:`raw_to_doc` wrapped in a :class:`SavedObject`.

        Attributes are validated only when ``attributes_model`` is given.
        """
        doc = self.raw_to_doc(
            raw,
            namespace_treatment=namespace_treatment,
            migration_version_compatibility=migration_version_compatibility,
        )
        if attributes_model is None:
            return saved_object_from_doc(doc)
        return saved_object_from_doc(doc, attributes_model)

    def saved_object_to_raw(self, saved_object: SavedObject[Any]) -> RawDoc:
        return doc_to_raw(self._registry, saved_object.to_doc())

    def generate_raw_id(self, namespace: str | None, type_name: str, object_id: str) -> str:
        return generate_raw_id(self._registry, namespace, type_name, object_id)

    def generate_raw_legacy_url_alias_id(
        self, namespace: str | None, type_name: str, object_id: str
    ) -> str:
        return legacy_url_alias_raw_id(namespace, type_name, object_id)
