"""The typed saved object: ``SavedObject[DashboardAttributes]``.

A pydantic model generic over its attributes, with snake_case fields that read and write
Kibana's camelCase names (``origin_id`` <-> ``originId``). Building one from a stored
document (:func:`saved_object_from_doc`) skips validation -- it only wraps the values the
engine returned -- unless an attributes model is given, in which case only the attributes
are validated. Building one by hand validates everything, as any pydantic model does.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar, overload

from pydantic import AliasChoices, BaseModel, ConfigDict, Field
from typing_extensions import TypeVar as DefaultTypeVar

from kbn_saved_objects.serialization.documents import (
    AccessControl,
    SavedObjectDoc,
    SavedObjectReference,
)

__all__ = ["AttributesT", "SavedObject", "saved_object_from_doc"]

AttributesT = DefaultTypeVar("AttributesT", default=dict[str, Any])
ModelT = TypeVar("ModelT", bound=BaseModel)

# (field name, Kibana key), in the order Kibana's serializer lists a document's keys
# (``rawToSavedObject``: ``accessControl`` comes after ``version``).
_FIELD_KEYS: tuple[tuple[str, str], ...] = (
    ("type", "type"),
    ("id", "id"),
    ("namespace", "namespace"),
    ("namespaces", "namespaces"),
    ("origin_id", "originId"),
    ("attributes", "attributes"),
    ("references", "references"),
    ("managed", "managed"),
    ("migration_version", "migrationVersion"),
    ("core_migration_version", "coreMigrationVersion"),
    ("type_migration_version", "typeMigrationVersion"),
    ("updated_at", "updated_at"),
    ("updated_by", "updated_by"),
    ("created_at", "created_at"),
    ("created_by", "created_by"),
    ("version", "version"),
    ("access_control", "accessControl"),
    ("error", "error"),
)

_KEY_FIELDS: dict[str, str] = {key: field_name for field_name, key in _FIELD_KEYS}


def _camel(name: str, kibana_name: str) -> Any:
    """A field spelled ``name`` in Python, accepted and written as Kibana's ``kibana_name``."""
    return Field(
        default=None,
        validation_alias=AliasChoices(name, kibana_name),
        serialization_alias=kibana_name,
    )


class SavedObject(BaseModel, Generic[AttributesT]):
    """A saved object as the repository hands it out and takes it in.

    ``namespace`` is the namespace *id* of a single-namespace object (``None`` in the
    default space); ``namespaces`` the namespace *strings* of a multi-namespace one.
    ``error`` is only set on per-object failures of bulk operations.
    """

    model_config = ConfigDict(serialize_by_alias=True, extra="forbid")

    id: str
    type: str
    attributes: AttributesT
    references: list[SavedObjectReference] = Field(default_factory=list)
    namespace: str | None = None
    namespaces: list[str] | None = None
    origin_id: str | None = _camel("origin_id", "originId")
    managed: bool | None = None
    migration_version: dict[str, str] | None = _camel("migration_version", "migrationVersion")
    core_migration_version: str | None = _camel("core_migration_version", "coreMigrationVersion")
    type_migration_version: str | None = _camel("type_migration_version", "typeMigrationVersion")
    updated_at: str | None = None
    updated_by: str | None = None
    created_at: str | None = None
    created_by: str | None = None
    version: str | None = None
    access_control: AccessControl | None = _camel("access_control", "accessControl")
    error: dict[str, Any] | None = None

    def to_doc(self) -> SavedObjectDoc:
        """The Kibana-shaped document: keys whose value is ``None`` are left out.

        ``attributes`` is the exception: an explicit ``None`` is kept (written as
        ``null``); attributes that were never set are left out. A pydantic attributes
        model is dumped in JSON mode with its aliases.
        """
        fields = self.__dict__
        doc: dict[str, Any] = {}
        for field_name, key in _FIELD_KEYS:
            value = fields.get(field_name)
            if field_name == "attributes":
                if "attributes" not in self.model_fields_set and value is None:
                    continue
                if isinstance(value, BaseModel):
                    value = value.model_dump(mode="json", by_alias=True)
                doc[key] = value
            elif value is not None:
                doc[key] = value
        return doc  # type: ignore[return-value]


@overload
def saved_object_from_doc(doc: SavedObjectDoc) -> SavedObject[dict[str, Any]]: ...


@overload
def saved_object_from_doc(
    doc: SavedObjectDoc, attributes_model: type[ModelT]
) -> SavedObject[ModelT]: ...


def saved_object_from_doc(
    doc: SavedObjectDoc, attributes_model: type[BaseModel] | None = None
) -> SavedObject[Any]:
    """Wrap a document without copying or validating it (except the attributes if asked).

    Fields absent from ``doc`` keep their defaults and are not "set"; ``attributes`` is
    ``None`` when the document has none.
    """
    values = _field_values(doc)
    model: type[SavedObject[Any]] = SavedObject
    if attributes_model is not None:
        model = SavedObject[attributes_model]  # type: ignore[valid-type]
        if "attributes" in values:
            values["attributes"] = attributes_model.model_validate(values["attributes"])
    return _construct(model, values)


SavedObjectT = TypeVar("SavedObjectT", bound=SavedObject[Any])


def saved_object_model_from_doc(
    model: type[SavedObjectT], doc: SavedObjectDoc, extra: dict[str, Any]
) -> SavedObjectT:
    """:func:`saved_object_from_doc` for a subclass of :class:`SavedObject` (a find
    result): ``extra`` holds the subclass's own fields, which count as set. One model
    built, where wrapping a :class:`SavedObject` and copying it would build two."""
    values = _field_values(doc)
    values.update(extra)
    return _construct(model, values)  # type: ignore[return-value]


def _field_values(doc: SavedObjectDoc) -> dict[str, Any]:
    """``{field name: value}`` of the document's keys that are fields."""
    keys = tuple(doc)
    names = _SHAPES.get(keys)
    if names is None:
        names = _field_names(keys)
    if names:
        return dict(zip(names, doc.values(), strict=True))
    values = {}  # keys that are not fields: the slow way
    for key, value in doc.items():
        field_name = _KEY_FIELDS.get(key)
        if field_name is not None:
            values[field_name] = value
    return values


def _field_names(keys: tuple[str, ...]) -> tuple[str, ...]:
    """The field names of a document's keys, in order; ``()`` when one is no field.

    Documents of one kind share their keys in the same order (the serializer writes them
    so), so the names are cached per key tuple: the field values are then one ``zip``."""
    names = tuple(_KEY_FIELDS.get(key, "") for key in keys)
    if not all(names):
        names = ()
    if len(_SHAPES) < _MAX_SHAPES:
        _SHAPES[keys] = names
    return names


_SHAPES: dict[tuple[str, ...], tuple[str, ...]] = {}
_MAX_SHAPES = 1024  # bounded: documents carry at most a few dozen distinct key orders


def _construct(model: type[SavedObject[Any]], values: dict[str, Any]) -> SavedObject[Any]:
    """What ``model_construct`` does for this model, without its per-field overhead.

    Index migrations read documents by the million, and ``model_construct`` costs more
    than the whole conversion from the raw document.
    """
    saved = model.__new__(model)
    defaults = _MODEL_DEFAULTS.get(model)
    if defaults is None:
        defaults = _defaults_of(model)
    data = dict(defaults)
    data["references"] = []
    data.update(values)
    object.__setattr__(saved, "__dict__", data)
    object.__setattr__(saved, "__pydantic_fields_set__", set(values))
    object.__setattr__(saved, "__pydantic_extra__", None)
    object.__setattr__(saved, "__pydantic_private__", None)
    return saved


def _defaults_of(model: type[BaseModel]) -> dict[str, Any]:
    """The instance dict of ``model`` before any value is set (``references`` gets its
    own list per object in :func:`_construct`)."""
    defaults = {
        name: None if field.is_required() or field.default_factory else field.default
        for name, field in model.model_fields.items()
    }
    if len(_MODEL_DEFAULTS) < _MAX_SHAPES:
        _MODEL_DEFAULTS[model] = defaults
    return defaults


_MODEL_DEFAULTS: dict[type[BaseModel], dict[str, Any]] = {}
_defaults_of(SavedObject)
