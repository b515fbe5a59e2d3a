"""What the bulk operations return, shaped like Kibana's responses.

Field names are Kibana's wire names (``saved_objects``, ``errors``), so
``response.model_dump(mode="json", exclude_unset=True)`` is the JSON Kibana's HTTP API
answers: entries built by the repository only mark as *set* the keys Kibana would send,
so an error entry dumps as ``{"id", "type", "error"}`` and a success entry without, say,
``originId`` has no such key.

The repository builds these with ``model_construct`` (no validation): a bulk of 100,000
objects must not pay for re-checking what it has just built. Building one by hand
validates, as any pydantic model does.

New result models go at the end of this module (several operations share it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, Literal, NamedTuple

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from kbn_saved_objects.serialization import AttributesT, SavedObject, SavedObjectDoc
from kbn_saved_objects.serialization.saved_object import saved_object_model_from_doc

__all__ = [
    "CheckConflictsError",
    "CheckConflictsResponse",
    "FindResponse",
    "FindResult",
    "SavedObjectsBulkResponse",
]


class SavedObjectsBulkResponse(BaseModel, Generic[AttributesT]):
    """bulk_create / bulk_get: one entry per input object, in input order.

    A failed entry is a :class:`~kbn_saved_objects.serialization.SavedObject` with only
    ``type``, ``id`` (absent when the caller gave none) and ``error`` set: the payload
    ``{"statusCode", "error", "message"}`` plus ``metadata`` where Kibana adds it.
    """

    model_config = ConfigDict(serialize_by_alias=True)

    saved_objects: list[SavedObject[AttributesT]]


class CheckConflictsError(BaseModel):
    """One object check_conflicts found in the way: ``error`` is a 409 (or 400) payload,
    with ``metadata.isNotOverwritable`` when the object lives only in other spaces."""

    id: str
    type: str
    error: dict[str, Any]


class CheckConflictsResponse(BaseModel):
    """check_conflicts: the objects that exist (or cannot be checked), in input order;
    objects that are free produce no entry."""

    errors: list[CheckConflictsError]


class FindResult(SavedObject[Any]):
    """One object of a find page, with the hit's ``score`` and ``sort`` values (the
    latter is what ``search_after`` takes to continue after it)."""

    score: float | None = None
    sort: list[Any] | None = None

    @classmethod
    def from_saved_object(
        cls, saved: SavedObject[Any], score: float | None, sort: list[Any] | None
    ) -> FindResult:
        # Copying the instance dict keeps the fast path: find pages run by the thousand
        # in point-in-time finders.
        result = cls.__new__(cls)
        data = dict(saved.__dict__)
        data["score"] = score
        data["sort"] = sort
        object.__setattr__(result, "__dict__", data)
        fields_set = set(saved.model_fields_set) | {"score"}
        if sort is not None:
            fields_set.add("sort")
        object.__setattr__(result, "__pydantic_fields_set__", fields_set)
        object.__setattr__(result, "__pydantic_extra__", None)
        object.__setattr__(result, "__pydantic_private__", None)
        return result


class FindResponse(BaseModel):
    """find: one page. ``pit_id`` only with a point-in-time, ``aggregations`` only when
    asked for."""

    model_config = ConfigDict(serialize_by_alias=True)

    page: int
    per_page: int
    total: int
    saved_objects: list[FindResult]
    pit_id: str | None = None
    aggregations: dict[str, Any] | None = None


class BulkDeleteStatus(BaseModel):
    """bulk_delete: the outcome for one object. ``error`` (a payload) only when
    ``success`` is false."""

    id: str
    type: str
    success: bool
    error: dict[str, Any] | None = None


class BulkDeleteResponse(BaseModel):
    """bulk_delete: one status per input object, in input order."""

    statuses: list[BulkDeleteStatus]


class RemoveReferencesToResponse(BaseModel):
    """remove_references_to: how many objects had references removed."""

    updated: int


__all__ += ["BulkDeleteResponse", "BulkDeleteStatus", "RemoveReferencesToResponse"]


class FoundDocument(NamedTuple):
    """One hit of ``find_documents``: the dict a :class:`FindResult` would wrap (Kibana's
    camelCase keys, already migrated), with the hit's ``score`` and ``sort``."""

    doc: SavedObjectDoc
    score: float | None
    sort: list[Any] | None

    def to_result(self) -> FindResult:
        """The :class:`FindResult` ``find`` returns for this hit."""
        extra: dict[str, Any] = {"score": self.score}
        if self.sort is not None:
            extra["sort"] = self.sort
        return saved_object_model_from_doc(FindResult, self.doc, extra)


@dataclass(slots=True)
class FindDocumentsResponse:
    """``find_documents``: a :class:`FindResponse` whose objects are left as documents.

    For callers that only turn every object back into a dict (export): wrapping each
    hit in a model costs more than reading it.
    """

    page: int
    per_page: int
    total: int
    documents: list[FoundDocument]
    pit_id: str | None = None
    aggregations: dict[str, Any] | None = None


__all__ += ["FindDocumentsResponse", "FoundDocument"]


class ResolveResponse(BaseModel):
    """resolve: the object an id leads to in the current space, and how it was found.

    ``alias_target_id`` and ``alias_purpose`` are set for ``aliasMatch`` and ``conflict``
    (the purpose may be absent on very old aliases). In ``bulk_resolve`` a failed object
    is an entry whose ``saved_object`` has only ``type``, ``id`` and ``error``, with the
    outcome ``exactMatch``, as Kibana answers.
    """

    model_config = ConfigDict(serialize_by_alias=True)

    saved_object: SavedObject[Any]
    outcome: Literal["exactMatch", "aliasMatch", "conflict"]
    alias_target_id: str | None = None
    alias_purpose: str | None = None


class SavedObjectsBulkResolveResponse(BaseModel):
    """bulk_resolve: one entry per input object, in input order."""

    model_config = ConfigDict(serialize_by_alias=True)

    resolved_objects: list[ResolveResponse]


__all__ += ["ResolveResponse", "SavedObjectsBulkResolveResponse"]


class UpdateObjectsSpacesObjectResult(BaseModel):
    """update_objects_spaces: one object's spaces after the change, or its error (then
    ``spaces`` is empty)."""

    type: str
    id: str
    spaces: list[str]
    error: dict[str, Any] | None = None


class UpdateObjectsSpacesResponse(BaseModel):
    """update_objects_spaces: one entry per input object, in input order."""

    objects: list[UpdateObjectsSpacesObjectResult]


__all__ += ["UpdateObjectsSpacesObjectResult", "UpdateObjectsSpacesResponse"]


class InboundReference(BaseModel):
    """collect_multi_namespace_references: an object that references another, by the
    reference's ``name``."""

    type: str
    id: str
    name: str


def _kibana(name: str) -> Any:
    """A field known by its snake_case name in Python and its camelCase name on the wire."""
    return Field(
        default=None,
        validation_alias=AliasChoices(name, _camel(name)),
        serialization_alias=_camel(name),
    )


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


class ReferenceWithContext(BaseModel):
    """collect_multi_namespace_references: one object of the reference graph.

    ``spaces`` is empty for objects that were not found (``is_missing``) or that cannot be
    shared (never fetched). ``spaces_with_matching_aliases``: where an enabled legacy URL
    alias of this id exists; ``spaces_with_matching_origins``: where objects of the same
    origin (copies) live, ``["*"]`` if one of them is in every space. Dumped with Kibana's
    camelCase names.
    """

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    type: str
    id: str
    spaces: list[str]
    inbound_references: list[InboundReference] = Field(
        validation_alias=AliasChoices("inbound_references", "inboundReferences"),
        serialization_alias="inboundReferences",
    )
    origin_id: str | None = _kibana("origin_id")
    is_missing: bool | None = _kibana("is_missing")
    spaces_with_matching_aliases: list[str] | None = _kibana("spaces_with_matching_aliases")
    spaces_with_matching_origins: list[str] | None = _kibana("spaces_with_matching_origins")


class CollectMultiNamespaceReferencesResponse(BaseModel):
    """collect_multi_namespace_references: the input objects first (in input order), then
    every object reached through their references."""

    model_config = ConfigDict(serialize_by_alias=True)

    objects: list[ReferenceWithContext]


__all__ += ["CollectMultiNamespaceReferencesResponse", "InboundReference", "ReferenceWithContext"]
