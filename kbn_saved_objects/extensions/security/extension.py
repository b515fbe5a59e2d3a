"""The security extension: authorization and audit for one request (spec 08 §2-§4).

Built per request from who is asking (a :class:`Principal`, or ``None`` for an
anonymous caller), where privileges come from (a :class:`PrivilegeSource`), where audit
events go (an :class:`AuditLogger`) and the type registry (which types support access
control). Every entry point follows Kibana's ``authorize``: work out which spaces to
check and which to enforce, ask the source once, build the type map, refuse with
``Unable to <op> <types>`` (logging the failures first) or log the successes and return
the result for the operation to use (``find``'s per-type spaces, redaction, per-object
refusals).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from kbn_saved_objects.errors import (
    BadRequestError,
    ForbiddenError,
    SavedObjectsError,
    decorate_general_error,
)
from kbn_saved_objects.extensions.security.access_control import (
    change_access_control_check,
    change_access_control_denial,
    inaccessible_objects,
    requires_manage_access_control,
    supports_access_control,
)
from kbn_saved_objects.extensions.security.actions import (
    LOGIN_ACTION,
    AuditAction,
    SecurityAction,
)
from kbn_saved_objects.extensions.security.audit import AuditLogger, Outcome, saved_object_event
from kbn_saved_objects.extensions.security.authorization import (
    authorizable_spaces,
    check_authorization,
    enforcement_message,
    privilege_actions,
    redact_spaces,
    unauthorized_types,
)
from kbn_saved_objects.extensions.security.privileges import (
    PrivilegeCheckResult,
    PrivilegeSource,
)
from kbn_saved_objects.repository.extensions import (
    AuthorizationResult,
    AuthorizationStatus,
    AuthorizationTypeEntry,
    AuthorizeBulkGetObject,
    AuthorizeCreateObject,
    AuthorizeObject,
    AuthorizeObjectWithExistingSpaces,
    AuthorizeUpdateObject,
    LegacyUrlAliasTarget,
    Principal,
    SecurityExtension,
    TypeMap,
)
from kbn_saved_objects.serialization import ALL_NAMESPACES_STRING, SavedObject
from kbn_saved_objects.types import LEGACY_URL_ALIAS_TYPE, SavedObjectTypeRegistry

__all__ = ["RbacSecurityExtension"]

Bypass = Literal["never", "on_success", "on_failure", "always"]


@dataclass(frozen=True, slots=True)
class _Audited:
    """Who an authorization call audits, and how (Kibana's ``auditOptions``)."""

    objects: Sequence[AuthorizeObject] = ()
    bypass: Bypass = "never"
    use_success_outcome: bool = False
    add_to_spaces: Sequence[str] | None = None
    delete_from_spaces: Sequence[str] | None = None


@dataclass(frozen=True, slots=True)
class _Check:
    """What one authorization call checks and enforces."""

    actions: tuple[SecurityAction, ...]
    types: Sequence[str]
    spaces: Sequence[str]
    enforce: dict[str, set[str]] | None = None
    allow_global_resource: bool = False
    audit: _Audited = field(default_factory=_Audited)


def _space(namespace: str) -> str:
    if namespace == "":
        raise ValueError("namespace cannot be an empty string")
    return namespace


def _not_empty(objects: Sequence[Any], operation: str | None) -> None:
    if not objects:
        raise ValueError(f"No objects specified for {operation or 'unknown'} authorization")


class RbacSecurityExtension:
    """:class:`~kbn_saved_objects.repository.extensions.SecurityExtension` over a
    privilege source (Kibana's ``SavedObjectsSecurityExtension``).

    ``space_id`` is the request's space for ``kibana.space_id`` in audit records (the
    call's namespace when not given). ``spaces_enabled=False`` checks every privilege
    globally, as Kibana does without its spaces plugin.
    """

    def __init__(
        self,
        principal: Principal | None,
        privileges: PrivilegeSource,
        audit_logger: AuditLogger,
        registry: SavedObjectTypeRegistry,
        *,
        space_id: str | None = None,
        spaces_enabled: bool = True,
    ) -> None:
        self.principal = principal
        self.privileges = privileges
        self.audit_logger = audit_logger
        self.registry = registry
        self.space_id = space_id
        self.spaces_enabled = spaces_enabled

    # --- plumbing ----------------------------------------------------------------------

    def get_current_user(self) -> Principal | None:
        return self.principal

    def _audit(
        self,
        action: AuditAction,
        *,
        obj: AuthorizeObject | None = None,
        outcome: Outcome | None = None,
        error: BaseException | None = None,
        space: str | None = None,
        add_to_spaces: Sequence[str] | None = None,
        delete_from_spaces: Sequence[str] | None = None,
        unauthorized_spaces: Sequence[str] | None = None,
        unauthorized_types: Sequence[str] | None = None,
    ) -> None:
        if not self.audit_logger.active:
            return
        saved_object: dict[str, str] | None = None
        if obj is not None:
            saved_object = {"type": obj.type, "id": obj.id}
            if obj.name and self.audit_logger.include_saved_object_names:
                saved_object["name"] = obj.name
        event = saved_object_event(
            action,
            outcome=outcome,
            saved_object=saved_object,
            add_to_spaces=add_to_spaces,
            delete_from_spaces=delete_from_spaces,
            unauthorized_spaces=unauthorized_spaces,
            unauthorized_types=unauthorized_types,
            error=error,
        )
        self.audit_logger.log(event, user=self.principal, space_id=self.space_id or space)

    def _audit_each(
        self,
        action: AuditAction,
        audited: _Audited,
        *,
        objects: Sequence[AuthorizeObject] | None = None,
        error: BaseException | None = None,
        space: str | None = None,
    ) -> None:
        """One event per object, one object-less event when there are none."""
        targets: Sequence[AuthorizeObject | None] = list(
            audited.objects if objects is None else objects
        ) or [None]
        outcome: Outcome | None = None
        if error is None:
            outcome = "success" if audited.use_success_outcome else "unknown"
        for obj in targets:
            self._audit(
                action,
                obj=obj,
                outcome=outcome,
                error=error,
                space=space,
                add_to_spaces=audited.add_to_spaces,
                delete_from_spaces=audited.delete_from_spaces,
            )

    def _ask(self, actions: Sequence[str], spaces: Sequence[str] | None) -> PrivilegeCheckResult:
        try:
            return self.privileges.check(self.principal, actions, spaces)
        except SavedObjectsError:
            raise
        except Exception as error:
            reason = getattr(error, "reason", None)
            raise decorate_general_error(
                error, reason if isinstance(reason, str) else None
            ) from error

    def check_authorization(
        self,
        types: Sequence[str],
        spaces: Sequence[str],
        operations: Sequence[str],
        *,
        allow_global_resource: bool = False,
        access_control_types: Iterable[str] = (),
    ) -> tuple[AuthorizationStatus, dict[str, dict[str, AuthorizationTypeEntry]]]:
        """Ask the source and build the type map (Kibana's ``checkAuthorization``)."""
        if not types:
            raise ValueError("No types specified for authorization check")
        if not spaces:
            raise ValueError("No spaces specified for authorization check")
        if not operations:
            raise ValueError("No actions specified for authorization check")
        unique_types = list(dict.fromkeys(types))
        requested = privilege_actions(unique_types, operations, access_control_types)
        answer = self._ask(
            [*requested, LOGIN_ACTION],
            authorizable_spaces(
                spaces,
                allow_global_resource=allow_global_resource,
                spaces_enabled=self.spaces_enabled,
            ),
        )
        return check_authorization(unique_types, requested, operations, answer)

    def _authorize(self, check: _Check, *, space: str | None = None) -> AuthorizationResult:
        if not check.actions:
            raise ValueError("No actions specified for authorization")
        if not check.types:
            raise ValueError("No types specified for authorization")
        if not check.spaces:
            raise ValueError("No spaces specified for authorization")
        requiring = [
            obj
            for obj in check.audit.objects
            if requires_manage_access_control(obj, self.registry, self.principal, check.actions)
        ]
        operations = [a.operation for a in check.actions if a.operation is not None]
        status, type_map = self.check_authorization(
            check.types,
            check.spaces,
            operations,
            allow_global_resource=check.allow_global_resource,
            access_control_types={obj.type for obj in requiring},
        )
        result = AuthorizationResult(status, type_map)
        if check.enforce is None:
            return result
        blocked = inaccessible_objects(requiring, check.enforce, type_map)
        for action in check.actions:
            self._enforce(check, action, type_map, blocked, space=space)
        return AuthorizationResult(status, type_map, blocked)

    def _enforce(
        self,
        check: _Check,
        action: SecurityAction,
        type_map: TypeMap,
        blocked: frozenset[tuple[str, str]],
        *,
        space: str | None,
    ) -> None:
        assert check.enforce is not None
        audited = check.audit
        failed: list[str] = []
        if action.operation is not None:
            failed = unauthorized_types(check.enforce, action.operation, type_map)
        all_blocked = bool(blocked) and all(
            (obj.type, obj.id) in blocked for obj in audited.objects
        )
        audit_action = action.audit_action
        if failed or all_blocked:
            types = set(failed) | ({t for t, _ in blocked} if all_blocked else set())
            error = ForbiddenError(enforcement_message(action.operation or "", types, blocked))
            if audit_action is not None and audited.bypass not in ("always", "on_failure"):
                self._audit_each(audit_action, audited, error=error, space=space)
            raise error
        if audit_action is not None and audited.bypass not in ("always", "on_success"):
            if blocked:
                refusal = ForbiddenError(enforcement_message(action.operation or "", (), blocked))
                allowed = [o for o in audited.objects if (o.type, o.id) not in blocked]
                refused = [o for o in audited.objects if (o.type, o.id) in blocked]
                self._audit_each(audit_action, audited, objects=refused, error=refusal, space=space)
                if allowed:
                    self._audit_each(audit_action, audited, objects=allowed, space=space)
            else:
                self._audit_each(audit_action, audited, space=space)

    # --- writes ------------------------------------------------------------------------

    def authorize_create(
        self, namespace: str, objects: Sequence[AuthorizeCreateObject], *, bulk: bool
    ) -> AuthorizationResult:
        space = _space(namespace)
        action = SecurityAction.single_or_bulk(
            SecurityAction.CREATE, SecurityAction.BULK_CREATE, is_bulk=bulk, count=len(objects)
        )
        _not_empty(objects, action.operation)
        enforce: dict[str, set[str]] = {}
        spaces = [space]
        for obj in objects:
            enforce.setdefault(obj.type, {space}).update(obj.initial_namespaces)
            spaces.extend(obj.initial_namespaces)
            spaces.extend(s for s in obj.existing_namespaces if s != ALL_NAMESPACES_STRING)
        return self._authorize(
            _Check(
                (action,),
                list(enforce),
                spaces,
                enforce,
                allow_global_resource=True,
                audit=_Audited(objects),
            ),
            space=space,
        )

    def authorize_update(
        self, namespace: str, objects: Sequence[AuthorizeUpdateObject], *, bulk: bool
    ) -> AuthorizationResult:
        space = _space(namespace)
        action = SecurityAction.single_or_bulk(
            SecurityAction.UPDATE, SecurityAction.BULK_UPDATE, is_bulk=bulk, count=len(objects)
        )
        _not_empty(objects, action.operation)
        enforce: dict[str, set[str]] = {}
        spaces = [space]
        for obj in objects:
            object_space = obj.object_namespace or space
            enforce.setdefault(obj.type, {space}).add(object_space)
            spaces.append(object_space)
            spaces.extend(obj.existing_namespaces)
        return self._authorize(
            _Check((action,), list(enforce), spaces, enforce, audit=_Audited(objects)),
            space=space,
        )

    def authorize_delete(
        self,
        namespace: str,
        objects: Sequence[AuthorizeObjectWithExistingSpaces],
        *,
        bulk: bool,
    ) -> AuthorizationResult:
        space = _space(namespace)
        action = SecurityAction.single_or_bulk(
            SecurityAction.DELETE, SecurityAction.BULK_DELETE, is_bulk=bulk, count=len(objects)
        )
        _not_empty(objects, action.operation)
        enforce: dict[str, set[str]] = {}
        spaces = [space]
        for obj in objects:
            enforce.setdefault(obj.type, {space})
            spaces.extend(obj.existing_namespaces)
        return self._authorize(
            _Check((action,), list(enforce), spaces, enforce, audit=_Audited(objects)),
            space=space,
        )

    def authorize_remove_references(
        self, namespace: str, obj: AuthorizeObject
    ) -> AuthorizationResult:
        space = _space(namespace)
        return self._authorize(
            _Check(
                (SecurityAction.REMOVE_REFERENCES,),
                [obj.type],
                [space],
                {obj.type: {space}},
                audit=_Audited([obj]),
            ),
            space=space,
        )

    def authorize_check_conflicts(
        self, namespace: str, objects: Sequence[AuthorizeObject]
    ) -> AuthorizationResult:
        space = _space(namespace)
        _not_empty(objects, SecurityAction.CHECK_CONFLICTS.operation)
        enforce = {obj.type: {space} for obj in objects}
        return self._authorize(
            _Check(
                (SecurityAction.CHECK_CONFLICTS,),
                list(enforce),
                [space],
                enforce,
                audit=_Audited(bypass="always"),
            ),
            space=space,
        )

    def authorize_update_spaces(
        self,
        namespace: str,
        spaces_to_add: Sequence[str],
        spaces_to_remove: Sequence[str],
        objects: Sequence[AuthorizeObjectWithExistingSpaces],
    ) -> AuthorizationResult:
        space = _space(namespace)
        _not_empty(objects, SecurityAction.UPDATE_OBJECTS_SPACES.operation)
        enforce: dict[str, set[str]] = {}
        spaces: list[str] = []
        for obj in objects:
            affected = enforce.setdefault(obj.type, {*spaces_to_add, *spaces_to_remove, space})
            spaces.extend(sorted(affected))
            spaces.extend(s for s in obj.existing_namespaces if s != ALL_NAMESPACES_STRING)
        return self._authorize(
            _Check(
                (SecurityAction.UPDATE_OBJECTS_SPACES,),
                list(enforce),
                spaces,
                enforce,
                allow_global_resource=True,
                audit=_Audited(
                    objects,
                    add_to_spaces=list(spaces_to_add) or None,
                    delete_from_spaces=list(spaces_to_remove) or None,
                ),
            ),
            space=space,
        )

    def authorize_disable_legacy_url_aliases(self, aliases: Sequence[LegacyUrlAliasTarget]) -> None:
        if not aliases:
            raise ValueError("No aliases specified for authorization")
        enforce: dict[str, set[str]] = {}
        for alias in aliases:
            enforce.setdefault(alias.target_type, set()).add(alias.target_space)
        audited = [
            AuthorizeObject(
                LEGACY_URL_ALIAS_TYPE,
                f"{alias.target_space}:{alias.target_type}:{alias.source_id}",
            )
            for alias in aliases
        ]
        self._authorize(
            _Check(
                (SecurityAction.BULK_UPDATE,),
                list(enforce),
                [alias.target_space for alias in aliases],
                enforce,
                audit=_Audited(audited),
            )
        )

    # --- reads -------------------------------------------------------------------------

    def authorize_get(
        self,
        namespace: str,
        obj: AuthorizeObjectWithExistingSpaces,
        *,
        object_not_found: bool,
    ) -> AuthorizationResult:
        space = _space(namespace)
        return self._authorize(
            _Check(
                (SecurityAction.GET,),
                [obj.type],
                [space, *obj.existing_namespaces],
                {obj.type: {space}},
                audit=_Audited([obj], bypass="on_success" if object_not_found else "never"),
            ),
            space=space,
        )

    def authorize_bulk_get(
        self, namespace: str, objects: Sequence[AuthorizeBulkGetObject]
    ) -> AuthorizationResult:
        space = _space(namespace)
        _not_empty(objects, SecurityAction.BULK_GET.operation)
        enforce: dict[str, set[str]] = {}
        spaces = [space]
        for obj in objects:
            enforce.setdefault(obj.type, {space}).update(obj.object_namespaces)
            spaces.extend(obj.object_namespaces)
            spaces.extend(obj.existing_namespaces)
        result = self._authorize(
            _Check(
                (SecurityAction.BULK_GET,),
                list(enforce),
                spaces,
                enforce,
                audit=_Audited(objects, use_success_outcome=True, bypass="on_success"),
            ),
            space=space,
        )
        found = [obj for obj in objects if not obj.error]
        self._audit_each(AuditAction.GET, _Audited(found, use_success_outcome=True), space=space)
        return result

    def authorize_and_redact_internal_bulk_resolve(
        self, namespace: str, results: Sequence[Any]
    ) -> list[Any]:
        """Accepts :class:`~kbn_saved_objects.repository.results.ResolveResponse` entries
        (a failed one has ``saved_object.error`` set); redacts each resolved object."""
        space = _space(namespace)
        enforce: dict[str, set[str]] = {}
        spaces: list[str] = []
        audited: list[AuthorizeObject] = []
        for result in results:
            saved_object: SavedObject[Any] = result.saved_object
            if saved_object.error is not None:
                if saved_object.error.get("statusCode") == 400:
                    continue  # an unsupported type is not an object anybody read
                audited.append(AuthorizeObject(saved_object.type, saved_object.id))
            else:
                audited.append(
                    AuthorizeObject(saved_object.type, saved_object.id, _title(saved_object))
                )
                spaces.extend(saved_object.namespaces or [])
            enforce.setdefault(saved_object.type, {space})
            spaces.append(space)
        if not enforce:
            return list(results)
        authorized = self._authorize(
            _Check(
                (SecurityAction.INTERNAL_BULK_RESOLVE,),
                list(enforce),
                spaces,
                enforce,
                audit=_Audited(audited, use_success_outcome=True),
            ),
            space=space,
        )
        redacted: list[Any] = []
        for result in results:
            if result.saved_object.error is not None:
                redacted.append(result)
            else:
                saved_object = self.redact_namespaces(result.saved_object, authorized.type_map)
                redacted.append(result.model_copy(update={"saved_object": saved_object}))
        return redacted

    def authorize_open_point_in_time(
        self, namespaces: Sequence[str], types: Sequence[str]
    ) -> AuthorizationResult:
        result = self._authorize(_Check((SecurityAction.OPEN_POINT_IN_TIME,), types, namespaces))
        if result.status is AuthorizationStatus.UNAUTHORIZED:
            self._audit(
                AuditAction.OPEN_POINT_IN_TIME,
                error=Exception("User is unauthorized for any requested types/spaces"),
                unauthorized_types=list(types),
                unauthorized_spaces=list(namespaces),
            )
            raise ForbiddenError("unauthorized")
        self._audit(AuditAction.OPEN_POINT_IN_TIME, outcome="unknown")
        return result

    def audit_close_point_in_time(self) -> None:
        self._audit(AuditAction.CLOSE_POINT_IN_TIME, outcome="unknown")

    def authorize_find(
        self, namespaces: Sequence[str], types: Sequence[str]
    ) -> AuthorizationResult:
        result = self._authorize(_Check((SecurityAction.FIND,), types, namespaces))
        if result.status is AuthorizationStatus.UNAUTHORIZED:
            self._audit(
                AuditAction.FIND,
                error=Exception("User is unauthorized for any requested types/spaces"),
                unauthorized_types=list(types),
                unauthorized_spaces=list(namespaces),
            )
        return result

    def get_find_redact_type_map(
        self,
        previously_checked_namespaces: Sequence[str],
        objects: Sequence[AuthorizeObjectWithExistingSpaces],
    ) -> TypeMap | None:
        checked = list(dict.fromkeys(previously_checked_namespaces))
        spaces = list(checked)
        for obj in objects:
            for space in obj.existing_namespaces:
                if space not in spaces:
                    spaces.append(space)
            self._audit(AuditAction.FIND, obj=AuthorizeObject(obj.type, obj.id, name=obj.name))
        if len(spaces) > len(checked):
            types = list(dict.fromkeys(obj.type for obj in objects))
            return self._authorize(_Check((SecurityAction.FIND,), types, spaces)).type_map
        return None

    def redact_namespaces(self, obj: SavedObject[Any], type_map: TypeMap) -> SavedObject[Any]:
        redacted = redact_spaces(obj.type, obj.namespaces, type_map)
        if redacted is None:
            return obj
        return obj.model_copy(update={"namespaces": redacted})

    def authorize_and_redact_multi_namespace_references(
        self,
        namespace: str,
        objects: Sequence[Mapping[str, Any]],
        *,
        purpose: Literal["collectMultiNamespaceReferences", "updateObjectsSpaces"],
        requested: Sequence[Mapping[str, Any]] | None = None,
    ) -> list[Mapping[str, Any]]:
        """Keeps what the caller may see of the reference graph (spec 08 §2.9): objects
        they may not read in this space but reached from ones they can become
        ``{spaces: [], isMissing: true}``; objects reachable only through hidden ones
        vanish; spaces are redacted."""
        space = _space(namespace)
        if not objects:
            return list(objects)
        action = (
            SecurityAction.COLLECT_MULTINAMESPACE_REFERENCES_UPDATE_SPACES
            if purpose == "updateObjectsSpaces"
            else SecurityAction.COLLECT_MULTINAMESPACE_REFERENCES
        )
        spaces = [space]
        for obj in objects:
            for key in ("spaces", "spacesWithMatchingAliases", "spacesWithMatchingOrigins"):
                spaces.extend(obj.get(key) or [])
        asked = objects if requested is None else requested
        types = list(dict.fromkeys(obj["type"] for obj in objects))
        enforce = {obj["type"]: {space} for obj in asked}
        type_map = self._authorize(
            _Check((action,), types, spaces, enforce, audit=_Audited(bypass="on_success")),
            space=space,
        ).type_map
        return _filter_reference_graph(
            self, objects, {_key(obj) for obj in asked}, action, space, type_map
        )

    # --- access control ----------------------------------------------------------------

    def authorize_change_access_control(
        self,
        namespace: str,
        objects: Sequence[AuthorizeObject],
        *,
        operation: Literal["changeOwnership", "changeAccessMode"],
    ) -> AuthorizationResult:
        """Own objects need ``update``, everyone else's ``manage_access_control``, in the
        active space (spec 08 §4.4 step 5). A refusal logs one failure event naming the
        refused types, then raises ``Access denied: ...``."""
        space = _space(namespace)
        action = (
            SecurityAction.CHANGE_OWNERSHIP
            if operation == "changeOwnership"
            else SecurityAction.CHANGE_ACCESS_MODE
        )
        _not_empty(objects, action.operation)
        types = list(dict.fromkeys(o.type for o in objects))
        supported = [t for t in types if supports_access_control(self.registry, t)]
        if not supported:
            raise BadRequestError(
                f"Unable to manage_access_control for types {', '.join(sorted(types))}"
            )
        check = change_access_control_check(objects, self.registry, self.principal, action)
        operations = ["update"] if check.owned_types else []
        status, type_map = self.check_authorization(
            supported,
            [space],
            operations or ["manage_access_control"],
            access_control_types=check.foreign_types,
        )
        unauthorized = status is AuthorizationStatus.UNAUTHORIZED
        denial = change_access_control_denial(check, None if unauthorized else type_map, space)
        audit_action = action.audit_action
        assert audit_action is not None
        if denial is not None:
            error, refused = denial
            self._audit(
                audit_action,
                error=ForbiddenError(
                    f"Unable to manage_access_control for types {', '.join(refused)}"
                ),
                unauthorized_types=refused,
                unauthorized_spaces=[space],
                space=space,
            )
            raise error
        for obj in objects:
            self._audit(audit_action, obj=obj, outcome="success", space=space)
        return AuthorizationResult(status, type_map)

    def audit_objects_for_space_deletion(
        self, space_id: str, objects: Sequence[SavedObject[Any]]
    ) -> None:
        for obj in objects:
            namespaces = obj.namespaces or []
            if ALL_NAMESPACES_STRING in namespaces and space_id not in namespaces:
                continue
            only_here = len(namespaces) == 1
            self._audit(
                AuditAction.DELETE if only_here else AuditAction.UPDATE_OBJECTS_SPACES,
                obj=AuthorizeObject(obj.type, obj.id, _title(obj)),
                outcome="unknown",
                delete_from_spaces=None if only_here else [space_id],
                space=space_id,
            )


def _title(obj: SavedObject[Any]) -> str | None:
    attributes = obj.attributes
    title = attributes.get("title") if isinstance(attributes, Mapping) else None
    return title if isinstance(title, str) else None


def _key(ref: Mapping[str, Any]) -> str:
    return f"{ref['type']}:{ref['id']}"


def _filter_reference_graph(
    extension: RbacSecurityExtension,
    objects: Sequence[Mapping[str, Any]],
    requested: set[str],
    action: SecurityAction,
    space: str,
    type_map: TypeMap,
) -> list[Mapping[str, Any]]:
    retrieved = {_key(obj) for obj in objects}
    traversed: set[str] = set()
    kept: dict[str, Mapping[str, Any]] = {}
    operation = action.operation or ""

    def reaches(inbound: Mapping[str, Any]) -> bool:
        found = kept.get(_key(inbound))
        return found is not None and not found.get("isMissing")

    queue = list(objects)
    while queue:
        obj = queue.pop(0)
        key = _key(obj)
        traversed.add(key)
        authorized = not unauthorized_types({obj["type"]: {space}}, operation, type_map)
        inbound = [
            ref
            for ref in obj.get("inboundReferences", [])
            if (ref["type"] == obj["type"] and ref["id"] == obj["id"]) or reaches(ref)
        ]
        reachable = key in requested or any(reaches(ref) for ref in inbound)
        if authorized and reachable:
            if obj.get("spaces"):
                extension._audit(
                    AuditAction.COLLECT_MULTINAMESPACE_REFERENCES,
                    obj=AuthorizeObject(obj["type"], obj["id"], obj.get("name")),
                    space=space,
                )
            kept[key] = obj
        elif reachable:
            kept[key] = {**obj, "spaces": [], "isMissing": True}
        elif authorized:
            refs = [_key(ref) for ref in obj.get("inboundReferences", [])]
            if any(ref not in traversed and ref in retrieved for ref in refs):
                queue.append(obj)
            else:
                for ref in refs:
                    if ref not in traversed and ref not in retrieved:
                        raise ValueError(f'Unexpected inbound reference to "{ref}"')

    answer: list[Mapping[str, Any]] = []
    for obj in kept.values():
        entry = {key: value for key, value in obj.items() if key != "name"}
        entry["inboundReferences"] = [
            ref
            for ref in obj.get("inboundReferences", [])
            if (ref["type"] == obj["type"] and ref["id"] == obj["id"]) or reaches(ref)
        ]
        for field_name in ("spaces", "spacesWithMatchingAliases", "spacesWithMatchingOrigins"):
            if obj.get(field_name) is None:
                continue
            redacted = redact_spaces(obj["type"], obj[field_name], type_map)
            entry[field_name] = list(obj[field_name]) if redacted is None else redacted
        answer.append(entry)
    return answer


if TYPE_CHECKING:

    def _implements_the_protocol(extension: RbacSecurityExtension) -> SecurityExtension:
        return extension
