"""``bulk_create``: store many objects in one ``_bulk`` call (spec 03 §2.2).

Each object ends as either a written object or an error entry, in input order; only a
failure of the whole call raises. Three phases, each a single pass over the objects:

1. *plan*: per-object checks that need no engine (type allowed, id, ``initial_namespaces``,
   ``origin_id``); failures become error entries at once;
2. one create preflight (spec 05 §4.1) for the multi-namespace objects that bring their
   own id, since only those can collide with an object shared into other spaces or with
   a legacy URL alias;
3. one ``_bulk`` of ``create`` actions (``index`` when overwriting an object the caller
   named), whose items are mapped back with :func:`bulk_item_error`. An overwrite whose
   raw id could also be another object's (:mod:`..helpers.raw_id_collisions`; rare) reads
   what is there first -- the multi-namespace preflight already does, other types get one
   ``_mget`` for all of them -- and is written as a compare-and-set on it, a ``create``
   when nothing was there, or a 409 entry when another object holds the raw id.

A raw id longer than the engine's 512 bytes and a document the JSON encoder refuses
(nested too deep, a lone surrogate) are per-object 400 entries too
(:mod:`..helpers.engine_limits`): the engine would fail the whole ``_bulk`` for them.

What fails the whole call, as in Kibana: ``namespace="*"``, a malformed ``version`` with
``overwrite`` (checked before any request is sent), a document the migrator refuses, an
empty namespace string, and any failure of an engine call as a whole. A schema validation
failure is a per-object 400 with the usual payload (Kibana puts the error object there).
A ``version`` on an object without an id is dropped: there is nothing to compare it with,
and the engine refuses a whole ``_bulk`` whose ``create`` action carries one.

The per-object path avoids anything costly: no pydantic validation (results are wrapped
with the serializer's fast constructor), per-type facts are looked up once per call.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Required, TypedDict

from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import (
    BadRequestError,
    SavedObjectsError,
    create_conflict_error,
    create_unsupported_type_error,
)
from kbn_saved_objects.repository.config import Refresh
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.extensions import AuthorizeCreateObject
from kbn_saved_objects.repository.helpers.bulk_errors import bulk_item_error, bulk_item_result
from kbn_saved_objects.repository.helpers.bulk_errors import (
    error_entry as error_entry,  # re-exported: its home is helpers.bulk_errors
)
from kbn_saved_objects.repository.helpers.documents import prepare_write, written_result
from kbn_saved_objects.repository.helpers.engine_limits import bulk_lines_or_error, raw_id_error
from kbn_saved_objects.repository.helpers.extensions import (
    access_control_for_create,
    active_namespace,
    decrypt_and_redact,
    encrypt_for_write,
    inaccessible_payload,
    is_inaccessible,
    object_name,
    reads_through_extensions,
    valid_object_id,
)
from kbn_saved_objects.repository.helpers.preflight import (
    CreateCheck,
    CreateCheckResult,
    preflight_create,
)
from kbn_saved_objects.repository.helpers.raw_id_collisions import (
    is_stored_object,
    may_share_raw_id,
)
from kbn_saved_objects.repository.helpers.validation import (
    create_schema,
    initial_namespaces_error,
    object_id_error,
    origin_id_error,
    validate_attributes,
)
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.repository.operations.create import stored_namespace
from kbn_saved_objects.repository.results import SavedObjectsBulkResponse
from kbn_saved_objects.serialization import (
    AccessControl,
    RawDoc,
    RequestVersion,
    SavedObject,
    SavedObjectDoc,
    SavedObjectReference,
    decode_request_version,
    namespace_id_to_string,
    namespace_string_to_id,
)


class BulkCreateObject(TypedDict, total=False):
    """One object to create; the keys mirror :class:`~.create.CreateOptions`."""

    type: Required[str]
    attributes: Required[Any]
    id: str
    version: str
    references: Sequence[SavedObjectReference]
    origin_id: str | None
    initial_namespaces: Sequence[str]
    managed: bool
    migration_version: dict[str, str]
    core_migration_version: str
    type_migration_version: str
    access_control: AccessControl
    """Only ``accessMode`` is read (it wins over the call's); the owner is the caller."""


class BulkCreateOptions(TypedDict, total=False):
    overwrite: bool
    refresh: Refresh
    namespace: str
    managed: bool
    """Overrides every object's own ``managed``."""
    access_control: AccessControl


_MIGRATION_KEYS = (
    ("migrationVersion", "migration_version"),
    ("coreMigrationVersion", "core_migration_version"),
    ("typeMigrationVersion", "type_migration_version"),
)


@dataclass(slots=True)
class _Plan:
    """An object that passed the checks that need no engine."""

    obj: BulkCreateObject
    id: str
    method: Literal["create", "index"]
    cas: RequestVersion | None
    raw_namespace: str | None
    """The namespace id its raw id carries."""
    preflight: int | None = None
    """Its index among the preflight checks, when it needs one."""
    guarded: bool = False
    """An overwrite whose raw id may be another object's: written only over a read of it."""
    read: int | None = None
    """Its index in the guard ``_mget``, when guarded and not preflighted."""
    access_control: AccessControl | None = None
    """What a new object is stored with (an overwritten one keeps its own)."""


@dataclass(slots=True)
class _Written:
    """An object sent in the ``_bulk`` call, at ``item`` in its answer."""

    raw: RawDoc
    id: str
    item: int


def conflict_payload(check: CreateCheckResult) -> dict[str, Any]:
    """A 409 payload for a preflight finding, with Kibana's ``metadata`` when it has one
    (``spacesWithConflictingAliases``, ``isNotOverwritable``)."""
    payload = create_conflict_error(check.type, check.id).payload()
    if check.metadata:
        payload["metadata"] = check.metadata
    return payload


def not_overwritable_payload(entry: _Plan) -> dict[str, Any]:
    """The 409 for an object whose raw id holds another object (another type or space)."""
    return conflict_payload(
        CreateCheckResult(
            entry.obj["type"], entry.id, "unresolvableConflict", {"isNotOverwritable": True}
        )
    )


def bulk_create(
    ctx: RepositoryContext, objects: Sequence[BulkCreateObject], options: BulkCreateOptions
) -> Operation[SavedObjectsBulkResponse[Any]]:
    namespace = active_namespace(ctx, options.get("namespace"))
    overwrite = options.get("overwrite", False)
    registry = ctx.registry
    security = ctx.extensions.security
    options_access = options.get("access_control")

    entries: list[SavedObject[Any] | _Plan | _Written] = []
    checks: list[CreateCheck] = []
    guard_docs: list[dict[str, Any]] = []
    allowed: dict[str, bool] = {}
    invalid = 0
    for obj in objects:
        type_name = obj["type"]
        requested_id = obj.get("id")
        is_allowed = allowed.get(type_name)
        if is_allowed is None:
            is_allowed = allowed[type_name] = ctx.is_allowed(type_name)
        if not is_allowed:
            unsupported = create_unsupported_type_error(type_name).payload()
            entries.append(error_entry(type_name, requested_id, unsupported))
            invalid += 1
            continue
        try:
            object_id = valid_object_id(ctx, type_name, requested_id, obj.get("version"), overwrite)
        except BadRequestError as exc:
            entries.append(error_entry(type_name, requested_id, exc.payload()))
            invalid += 1
            continue
        initial = obj.get("initial_namespaces")
        raw_namespace = stored_namespace(ctx, type_name, initial, namespace)
        raw_id = ctx.serializer.generate_raw_id(raw_namespace, type_name, object_id)
        failure = (
            object_id_error(object_id)
            or initial_namespaces_error(registry, type_name, initial)
            or origin_id_error(registry, type_name, "origin_id" in obj)
            or (None if initial is None else ctx.scope_error(initial, '"initialNamespaces"'))
            or raw_id_error(raw_id)
        )
        if failure is not None:
            entries.append(error_entry(type_name, requested_id, failure.payload()))
            invalid += 1
            continue
        access_control: AccessControl | None = None
        if security is not None or "access_control" in obj or options_access is not None:
            checked = access_control_for_create(
                ctx, type_name, obj.get("access_control") or options_access, bulk=True
            )
            if isinstance(checked, BadRequestError):
                entries.append(error_entry(type_name, object_id, checked.payload()))
                invalid += 1
                continue
            access_control = checked
        version = obj.get("version")
        cas = decode_request_version(version) if overwrite and version is not None else None
        if requested_id and overwrite:
            plan = _Plan(obj, object_id, "index", cas, raw_namespace)
            plan.guarded = may_share_raw_id(ctx, type_name, raw_namespace, raw_id)
        else:
            # The engine refuses a whole _bulk whose create action carries if_seq_no, and
            # a generated id has nothing stored to compare with: the version is dropped.
            plan = _Plan(obj, object_id, "create", None, raw_namespace)
        plan.access_control = access_control
        if requested_id and registry.is_multi_namespace(type_name):
            plan.preflight = len(checks)
            namespaces = list(initial) if initial else [namespace_id_to_string(namespace)]
            checks.append(CreateCheck(type_name, object_id, overwrite, namespaces))
        elif plan.guarded:
            plan.read = len(guard_docs)
            guard_docs.append(
                {
                    "_id": raw_id,
                    "_index": ctx.index_for(type_name),
                    "_source": ["type", "namespace"],
                }
            )
        entries.append(plan)

    if len(entries) == invalid:
        return SavedObjectsBulkResponse.model_construct(saved_objects=entries)
    preflight = (yield from preflight_create(ctx, checks)) if checks else []
    guard_reads: list[dict[str, Any]] = []
    if guard_docs:
        answer = yield dataclasses.replace(rq.mget(guard_docs), not_found_ok=True)
        guard_reads = answer.get("docs") or []
    authorization = None
    if security is not None:
        authorization = security.authorize_create(
            namespace_id_to_string(namespace),
            [
                _authorize_object(ctx, entry, preflight)
                for entry in entries
                if isinstance(entry, _Plan)
            ],
            bulk=True,
        )

    now = ctx.config.clock()
    user = ctx.current_user_profile_uid()
    options_managed = options.get("managed")
    indices: dict[str, str] = {}
    validated: dict[str, bool] = {}
    lines: list[bytes] = []
    for position, entry in enumerate(entries):
        if not isinstance(entry, _Plan):
            continue
        obj = entry.obj
        type_name = obj["type"]
        initial = obj.get("initial_namespaces")
        doc: SavedObjectDoc = {"id": entry.id, "type": type_name, "attributes": obj["attributes"]}
        existing: dict[str, Any] | None = None
        if authorization is not None and is_inaccessible(authorization, type_name, entry.id):
            entries[position] = error_entry(
                type_name, entry.id, inaccessible_payload("bulk_create")
            )
            continue
        if entry.preflight is not None:
            check = preflight[entry.preflight]
            if check.error is not None:
                entries[position] = error_entry(type_name, entry.id, conflict_payload(check))
                continue
            existing = (check.existing or {}).get("_source")
        method, cas = entry.method, entry.cas
        if entry.guarded:
            if entry.preflight is not None:
                read = preflight[entry.preflight].existing
            else:
                assert entry.read is not None
                found = guard_reads[entry.read] if entry.read < len(guard_reads) else {}
                read = found if found.get("found") else None
                if read is not None and not is_stored_object(
                    ctx, read["_source"], type_name, entry.raw_namespace
                ):
                    entries[position] = error_entry(
                        type_name, entry.id, not_overwritable_payload(entry)
                    )
                    continue
            if read is not None:
                cas = cas or {
                    "if_seq_no": read["_seq_no"],
                    "if_primary_term": read["_primary_term"],
                }
            elif cas is not None:  # the version names a document that is not there
                conflict = create_conflict_error(type_name, entry.id).payload()
                entries[position] = error_entry(type_name, entry.id, conflict)
                continue
            else:  # nothing there: the engine refuses the create if anything appeared since
                method = "create"
        if registry.is_single_namespace(type_name):
            target = namespace_string_to_id(initial[0]) if initial else namespace
            if target is not None:
                doc["namespace"] = target
        elif registry.is_multi_namespace(type_name):
            if initial:
                doc["namespaces"] = list(initial)
            elif existing and existing.get("namespaces"):
                doc["namespaces"] = list(existing["namespaces"])
            else:
                doc["namespaces"] = [namespace_id_to_string(namespace)]
            if "origin_id" in obj:
                origin_id = obj["origin_id"]
            else:
                origin_id = existing.get("originId") if existing else None
            if origin_id:
                doc["originId"] = origin_id
        written_access = (existing or {}).get("accessControl") or entry.access_control
        if written_access is not None:
            doc["accessControl"] = written_access
        references = obj.get("references")
        doc["references"] = list(references) if references is not None else []
        managed = obj.get("managed") if options_managed is None else options_managed
        doc["managed"] = managed if managed is not None else False
        doc["created_at"] = doc["updated_at"] = now
        if user:
            doc["created_by"] = doc["updated_by"] = user
        for key, option in _MIGRATION_KEYS:
            if option in obj:
                doc[key] = obj[option]  # type: ignore[literal-required]

        definition = registry.get_type(type_name)
        assert definition is not None
        if type_name not in validated:
            validated[type_name] = create_schema(definition) is not None
        if validated[type_name]:
            try:
                validate_attributes(definition, obj["attributes"])
            except SavedObjectsError as exc:
                entries[position] = error_entry(type_name, entry.id, exc.payload())
                continue
        if ctx.extensions.encryption is not None:
            doc["attributes"] = encrypt_for_write(
                ctx, type_name, entry.id, entry.raw_namespace, obj["attributes"]
            )
        raw = prepare_write(ctx, doc)
        index = indices.get(type_name)
        if index is None:
            index = indices[type_name] = ctx.index_for(type_name)
        meta: dict[str, Any] = {"_id": raw["_id"], "_index": index}
        if cas is not None:
            meta.update(cas)
        encoded = bulk_lines_or_error({method: meta}, raw["_source"])
        if isinstance(encoded, BadRequestError):
            entries[position] = error_entry(type_name, entry.id, encoded.payload())
            continue
        lines.append(encoded)
        entries[position] = _Written(raw, entry.id, len(lines) - 1)

    items: list[dict[str, Any]] = []
    if lines:
        answer = yield rq.bulk(
            b"".join(lines),
            refresh=options.get("refresh", ctx.config.refresh),
            require_alias=ctx.config.require_alias,
        )
        items = answer["items"]
    results: list[SavedObject[Any]] = []
    for entry in entries:
        if isinstance(entry, _Written):
            result = bulk_item_result(items[entry.item])
            type_name = entry.raw["_source"]["type"]
            error = bulk_item_error(result, type_name, entry.id)
            if error is not None:
                results.append(error_entry(type_name, entry.id, error))
            else:
                results.append(written_result(ctx, entry.raw, dict(result)))
        else:
            assert not isinstance(entry, _Plan)
            results.append(entry)
    if reads_through_extensions(ctx):
        type_map = authorization.type_map if authorization is not None else None
        results = [
            decrypt_and_redact(ctx, result, type_map, obj["attributes"])
            for result, obj in zip(results, objects, strict=True)
        ]
    return SavedObjectsBulkResponse.model_construct(saved_objects=results)


def _authorize_object(
    ctx: RepositoryContext, entry: _Plan, preflight: Sequence[CreateCheckResult]
) -> AuthorizeCreateObject:
    """What ``authorize_create`` is told about one valid object: the spaces and access
    control of what it would overwrite (from the preflight), else its own."""
    existing: dict[str, Any] = {}
    if entry.preflight is not None:
        existing = (preflight[entry.preflight].existing or {}).get("_source") or {}
    obj = entry.obj
    return AuthorizeCreateObject(
        type=obj["type"],
        id=entry.id,
        name=object_name(ctx, obj["type"], obj["attributes"]),
        access_control=existing.get("accessControl") or entry.access_control,
        existing_namespaces=tuple(existing.get("namespaces") or ()),
        initial_namespaces=tuple(obj.get("initial_namespaces") or ()),
    )
