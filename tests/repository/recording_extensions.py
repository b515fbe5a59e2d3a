"""Recording implementations of the repository's three extension protocols.

They are our own protocols (``repository/extensions.py``), not engine stand-ins: each
call is appended to a shared log with the arguments an extension would decide from, in
the same list as the engine requests the operation yields (:func:`run_logged`), so a test
reads the order of hooks and requests exactly as Kibana's code would make them. The toy
encryption prefixes ``secret`` with ``enc:`` and names what it was bound to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from kbn_saved_objects.engine.requests import Request
from kbn_saved_objects.errors import BadRequestError, ForbiddenError
from kbn_saved_objects.repository.extensions import (
    AuthorizationResult,
    AuthorizationStatus,
    AuthorizationTypeEntry,
    AuthorizeBulkGetObject,
    AuthorizeCreateObject,
    AuthorizeObject,
    AuthorizeObjectWithExistingSpaces,
    AuthorizeUpdateObject,
    EncryptionDescriptor,
    LegacyUrlAliasTarget,
    Principal,
    SpacesExtension,
    TypeMap,
)
from kbn_saved_objects.repository.operation import Operation
from kbn_saved_objects.serialization import (
    ALL_NAMESPACES_STRING,
    SavedObject,
    namespace_id_to_string,
    namespace_string_to_id,
)

T = TypeVar("T")

Entry = tuple[str, Any]


def request_label(request: Request) -> str:
    """A short name for an engine request, for order assertions."""
    path = request.path
    for marker, label in (
        ("_pit", "pit"),
        ("point_in_time", "pit"),
        ("_mget", "mget"),
        ("_bulk", "bulk"),
        ("_update_by_query", "update_by_query"),
        ("_search", "search"),
    ):
        if marker in path:
            return label
    return {"GET": "get", "DELETE": "delete"}.get(request.method, "write")


def run_logged(
    operation: Operation[T], answers: list[Any], log: list[Entry]
) -> tuple[T, list[Request]]:
    """``run_offline`` that also logs each request in ``log``, where the hooks log."""
    sent: list[Request] = []
    try:
        request = next(operation)
        while True:
            sent.append(request)
            log.append(("request", request))
            answer = answers.pop(0)
            if isinstance(answer, BaseException):
                request = operation.throw(answer)
            else:
                request = operation.send(answer)
    except StopIteration as stop:
        return stop.value, sent


def names(log: list[Entry]) -> list[str]:
    """The log as ``request:<label>`` and hook names, in order."""
    return [f"request:{request_label(value)}" if name == "request" else name for name, value in log]


def requests_in(log: list[Entry]) -> list[Request]:
    """The engine requests logged, in order (also when the operation raised)."""
    return [value for name, value in log if name == "request"]


def entry(log: list[Entry], name: str) -> Any:
    """The arguments of the one call named ``name``."""
    found = [value for logged, value in log if logged == name]
    assert len(found) == 1, (name, names(log))
    return found[0]


def everywhere(*types: str) -> TypeMap:
    """A type map where every operation of ``types`` is allowed in every space."""
    entry = AuthorizationTypeEntry(is_globally_authorized=True)
    return {t: {"login:": entry, "find": entry} for t in types}


@dataclass
class RecordingSecurity:
    log: list[Entry]
    user: Principal | None = field(default_factory=lambda: Principal("u", (), "u_u_0"))
    refuse: set[str] = field(default_factory=set)
    """Entry points (``"get"``, ``"bulk_get"``...) that raise Kibana's 403."""
    type_map: TypeMap = field(default_factory=dict)
    status: AuthorizationStatus = AuthorizationStatus.FULLY_AUTHORIZED
    inaccessible: frozenset[tuple[str, str]] = frozenset()
    visible_spaces: tuple[str, ...] | None = None
    """Spaces redaction keeps (``None``: keep all)."""
    redact_map: TypeMap | None = None
    """What ``get_find_redact_type_map`` returns."""

    def _decide(
        self, name: str, op: str, checked: Sequence[str], **args: Any
    ) -> AuthorizationResult:
        self.log.append((f"authorize_{name}", args))
        if op in self.refuse:
            raise ForbiddenError(f"Unable to {op} {','.join(sorted(set(checked)))}")
        return AuthorizationResult(self.status, self.type_map, self.inaccessible)

    def get_current_user(self) -> Principal | None:
        return self.user

    def authorize_create(
        self, namespace: str, objects: Sequence[AuthorizeCreateObject], *, bulk: bool
    ) -> AuthorizationResult:
        op = "bulk_create" if bulk else "create"
        types = [o.type for o in objects]
        return self._decide("create", op, types, namespace=namespace, objects=list(objects))

    def authorize_update(
        self, namespace: str, objects: Sequence[AuthorizeUpdateObject], *, bulk: bool
    ) -> AuthorizationResult:
        op = "bulk_update" if bulk else "update"
        types = [o.type for o in objects]
        return self._decide("update", op, types, namespace=namespace, objects=list(objects))

    def authorize_delete(
        self,
        namespace: str,
        objects: Sequence[AuthorizeObjectWithExistingSpaces],
        *,
        bulk: bool,
    ) -> AuthorizationResult:
        op = "bulk_delete" if bulk else "delete"
        types = [o.type for o in objects]
        return self._decide("delete", op, types, namespace=namespace, objects=list(objects))

    def authorize_get(
        self,
        namespace: str,
        obj: AuthorizeObjectWithExistingSpaces,
        *,
        object_not_found: bool,
    ) -> AuthorizationResult:
        return self._decide(
            "get", "get", [obj.type], namespace=namespace, obj=obj, not_found=object_not_found
        )

    def authorize_bulk_get(
        self, namespace: str, objects: Sequence[AuthorizeBulkGetObject]
    ) -> AuthorizationResult:
        types = [o.type for o in objects]
        return self._decide(
            "bulk_get", "bulk_get", types, namespace=namespace, objects=list(objects)
        )

    def authorize_check_conflicts(
        self, namespace: str, objects: Sequence[AuthorizeObject]
    ) -> AuthorizationResult:
        types = [o.type for o in objects]
        return self._decide(
            "check_conflicts", "bulk_create", types, namespace=namespace, objects=list(objects)
        )

    def authorize_remove_references(
        self, namespace: str, obj: AuthorizeObject
    ) -> AuthorizationResult:
        return self._decide("remove_references", "delete", [obj.type], namespace=namespace, obj=obj)

    def authorize_open_point_in_time(
        self, namespaces: Sequence[str], types: Sequence[str]
    ) -> AuthorizationResult:
        return self._decide(
            "open_point_in_time",
            "open_point_in_time",
            types,
            namespaces=list(namespaces),
            types=list(types),
        )

    def audit_close_point_in_time(self) -> None:
        self.log.append(("audit_close_point_in_time", None))

    def authorize_find(
        self, namespaces: Sequence[str], types: Sequence[str]
    ) -> AuthorizationResult:
        self.log.append(("authorize_find", {"namespaces": list(namespaces), "types": list(types)}))
        return AuthorizationResult(self.status, self.type_map)

    def get_find_redact_type_map(
        self,
        previously_checked_namespaces: Sequence[str],
        objects: Sequence[AuthorizeObjectWithExistingSpaces],
    ) -> TypeMap | None:
        self.log.append(
            (
                "get_find_redact_type_map",
                {
                    "namespaces": list(previously_checked_namespaces),
                    "objects": [(o.type, o.id) for o in objects],
                },
            )
        )
        return self.redact_map

    def redact_namespaces(self, obj: SavedObject[Any], type_map: TypeMap) -> SavedObject[Any]:
        self.log.append(("redact", obj.id))
        if self.visible_spaces is None or obj.namespaces is None:
            return obj
        redacted = [s if s in self.visible_spaces or s == "*" else "?" for s in obj.namespaces]
        return obj.model_copy(update={"namespaces": redacted})

    def authorize_update_spaces(
        self,
        namespace: str,
        spaces_to_add: Sequence[str],
        spaces_to_remove: Sequence[str],
        objects: Sequence[AuthorizeObjectWithExistingSpaces],
    ) -> AuthorizationResult:
        return self._decide(
            "update_spaces",
            "share_to_space",
            [o.type for o in objects],
            namespace=namespace,
            add=list(spaces_to_add),
            remove=list(spaces_to_remove),
            objects=list(objects),
        )

    def authorize_and_redact_multi_namespace_references(
        self,
        namespace: str,
        objects: Sequence[Mapping[str, Any]],
        *,
        purpose: Literal["collectMultiNamespaceReferences", "updateObjectsSpaces"],
        requested: Sequence[Mapping[str, Any]] | None = None,
    ) -> list[Mapping[str, Any]]:
        self.log.append(
            (
                "authorize_multi_namespace_references",
                {
                    "namespace": namespace,
                    "objects": list(objects),
                    "purpose": purpose,
                    "requested": None if requested is None else list(requested),
                },
            )
        )
        if "bulk_get" in self.refuse:
            raise ForbiddenError(
                "Unable to bulk_get " + ",".join(sorted({o["type"] for o in objects}))
            )
        return [{**o, "spaces": ["?" for _ in o["spaces"]]} for o in objects]

    def authorize_and_redact_internal_bulk_resolve(
        self, namespace: str, results: Sequence[Any]
    ) -> list[Any]:
        self.log.append(
            ("authorize_bulk_resolve", {"namespace": namespace, "results": list(results)})
        )
        if "bulk_get" in self.refuse:
            raise ForbiddenError(
                "Unable to bulk_get " + ",".join(sorted({r.saved_object.type for r in results}))
            )
        return [r.model_copy(update={"outcome": r.outcome}) for r in results]

    def authorize_disable_legacy_url_aliases(self, aliases: Sequence[LegacyUrlAliasTarget]) -> None:
        self.log.append(("authorize_disable_legacy_url_aliases", list(aliases)))
        if "bulk_update" in self.refuse:
            raise ForbiddenError("Unable to bulk_update legacy-url-alias")

    def authorize_change_access_control(
        self,
        namespace: str,
        objects: Sequence[AuthorizeObject],
        *,
        operation: Literal["changeOwnership", "changeAccessMode"],
    ) -> AuthorizationResult:
        raise AssertionError("no repository operation here changes access control")

    def audit_objects_for_space_deletion(
        self, space_id: str, objects: Sequence[SavedObject[Any]]
    ) -> None:
        raise AssertionError("delete_by_namespace audits nothing (Kibana's spaces plugin does)")


@dataclass
class RecordingEncryption:
    """Encrypts the ``attribute`` of ``types`` as ``enc:<bound to>:<value>``."""

    log: list[Entry]
    types: frozenset[str] = frozenset()
    enforce_random_id: bool = True
    attribute: str = "secret"

    def is_encryptable_type(self, type_name: str) -> bool:
        return type_name in self.types

    def should_enforce_random_id(self, type_name: str) -> bool:
        return self.enforce_random_id

    def encrypt_attributes(
        self, descriptor: EncryptionDescriptor, attributes: Mapping[str, Any]
    ) -> dict[str, Any]:
        self.log.append(("encrypt", (descriptor, dict(attributes))))
        encrypted = dict(attributes)
        if self.attribute in encrypted:
            bound = f"{descriptor.namespace}/{descriptor.type}/{descriptor.id}"
            encrypted[self.attribute] = f"enc:{bound}:{encrypted[self.attribute]}"
        return encrypted

    def decrypt_or_strip_response_attributes(
        self,
        obj: SavedObject[Any],
        original_attributes: Mapping[str, Any] | None = None,
    ) -> SavedObject[Any]:
        self.log.append(("decrypt", (obj.id, original_attributes)))
        attributes = dict(obj.attributes or {})
        secret = attributes.get(self.attribute)
        if original_attributes is not None and self.attribute in original_attributes:
            attributes[self.attribute] = original_attributes[self.attribute]
        elif isinstance(secret, str) and secret.startswith("enc:"):
            attributes[self.attribute] = secret.rsplit(":", 1)[1]
        return obj.model_copy(update={"attributes": attributes})


@dataclass
class RecordingSpaces:
    """The request is in ``active`` (a namespace id); ``available`` are the spaces the
    caller may search, ``forbidden`` makes it a caller who may search none (403).
    ``reads`` makes the searchable-namespaces sub-operation read the engine once, to show
    that operations drive it with ``yield from``."""

    log: list[Entry]
    active: str | None = None
    available: tuple[str, ...] = ("default", "a", "b")
    forbidden: bool = False
    reads: bool = False

    def get_current_namespace(self, namespace: str | None) -> str | None:
        self.log.append(("get_current_namespace", namespace))
        if namespace:
            raise BadRequestError(
                reason="Namespace cannot be specified by the caller when the spaces extension "
                "is enabled. Spaces currently determines the namespace."
            )
        return self.active

    def get_searchable_namespaces(self, namespaces: Sequence[str] | None) -> Operation[list[str]]:
        self.log.append(
            ("get_searchable_namespaces", None if namespaces is None else list(namespaces))
        )
        if self.reads:
            yield Request("GET", "/.kibana/_doc/space%3Aspaces")
        if self.forbidden:
            raise ForbiddenError("Forbidden")
        if namespaces is None:
            return [namespace_id_to_string(self.active)]
        if ALL_NAMESPACES_STRING in namespaces:
            return list(self.available)
        return [ns for ns in namespaces if ns in self.available]

    def as_scoped_to_namespace(self, namespace: str) -> SpacesExtension:
        self.log.append(("as_scoped_to_namespace", namespace))
        return RecordingSpaces(
            self.log, namespace_string_to_id(namespace), self.available, self.forbidden, self.reads
        )
