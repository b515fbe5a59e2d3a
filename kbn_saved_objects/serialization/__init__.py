"""Raw engine documents <-> saved objects: raw ids, version tokens, namespaces.

Pure functions of the type registry's namespace predicates; nothing here talks to an
engine.
"""

from kbn_saved_objects.serialization.documents import (
    AccessControl,
    RawDoc,
    SavedObjectDoc,
    SavedObjectReference,
)
from kbn_saved_objects.serialization.namespaces import (
    ALL_NAMESPACES_STRING,
    DEFAULT_NAMESPACE_STRING,
    namespace_id_to_string,
    namespace_string_to_id,
)
from kbn_saved_objects.serialization.object_ids import (
    create_empty_find_response,
    generate_id,
    is_random_id,
    saved_object_name,
)
from kbn_saved_objects.serialization.raw_ids import (
    IdPrefix,
    NamespaceTypeLookup,
    converted_object_id,
    generate_raw_id,
    legacy_url_alias_id,
    legacy_url_alias_raw_id,
    parse_id_prefix,
)
from kbn_saved_objects.serialization.saved_object import (
    AttributesT,
    SavedObject,
    saved_object_from_doc,
)
from kbn_saved_objects.serialization.serializer import (
    MigrationVersionCompatibility,
    NamespaceTreatment,
    SavedObjectsSerializer,
    SerializerTypeLookup,
    doc_to_raw,
    is_raw_saved_object,
    raw_to_doc,
)
from kbn_saved_objects.serialization.versions import (
    RequestVersion,
    SeqNoPrimaryTerm,
    decode_request_version,
    decode_version,
    encode_hit_version,
    encode_version,
)

__all__ = [
    "ALL_NAMESPACES_STRING",
    "DEFAULT_NAMESPACE_STRING",
    "AccessControl",
    "AttributesT",
    "IdPrefix",
    "MigrationVersionCompatibility",
    "NamespaceTreatment",
    "NamespaceTypeLookup",
    "RawDoc",
    "RequestVersion",
    "SavedObject",
    "SavedObjectDoc",
    "SavedObjectReference",
    "SavedObjectsSerializer",
    "SeqNoPrimaryTerm",
    "SerializerTypeLookup",
    "converted_object_id",
    "create_empty_find_response",
    "decode_request_version",
    "decode_version",
    "doc_to_raw",
    "encode_hit_version",
    "encode_version",
    "generate_id",
    "generate_raw_id",
    "is_random_id",
    "is_raw_saved_object",
    "legacy_url_alias_id",
    "legacy_url_alias_raw_id",
    "namespace_id_to_string",
    "namespace_string_to_id",
    "parse_id_prefix",
    "raw_to_doc",
    "saved_object_from_doc",
    "saved_object_name",
]
