"""Audit records: one pure builder, one emitter through :mod:`logging` (spec 08 §3).

:func:`saved_object_event` shapes an event exactly as Kibana's ``savedObjectEvent`` does
(ECS field names, the message wording, ``config``/``telemetry`` reads left out);
:class:`AuditLogger` adds who and where, drops what an ``ignore_filters`` rule matches,
and logs the rest at ``INFO`` on the ``kbn_saved_objects.audit`` logger with
``extra={"audit": event}``, so any logging handler can ship them (a JSON formatter writes
them as ECS documents).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from kbn_saved_objects.errors import SavedObjectsError
from kbn_saved_objects.extensions.security.actions import AuditAction
from kbn_saved_objects.repository.extensions import Principal

__all__ = [
    "AUDIT_LOGGER_NAME",
    "AuditEvent",
    "AuditLogger",
    "IgnoreFilter",
    "Outcome",
    "saved_object_event",
]

AUDIT_LOGGER_NAME = "kbn_saved_objects.audit"

AuditEvent = dict[str, Any]
Outcome = Literal["success", "failure", "unknown"]

_VERBS: dict[AuditAction, tuple[str, str, str, str]] = {
    AuditAction.CREATE: ("create", "creating", "created", "creation"),
    AuditAction.GET: ("access", "accessing", "accessed", "access"),
    AuditAction.FIND: ("access", "accessing", "accessed", "access"),
    AuditAction.RESOLVE: ("resolve", "resolving", "resolved", "access"),
    AuditAction.UPDATE: ("update", "updating", "updated", "change"),
    AuditAction.DELETE: ("delete", "deleting", "deleted", "deletion"),
    AuditAction.OPEN_POINT_IN_TIME: (
        "open point-in-time",
        "opening point-in-time",
        "opened point-in-time",
        "creation",
    ),
    AuditAction.CLOSE_POINT_IN_TIME: (
        "close point-in-time",
        "closing point-in-time",
        "closed point-in-time",
        "deletion",
    ),
    AuditAction.REMOVE_REFERENCES: (
        "remove references to",
        "removing references to",
        "removed references to",
        "change",
    ),
    AuditAction.COLLECT_MULTINAMESPACE_REFERENCES: (
        "collect references and spaces of",
        "collecting references and spaces of",
        "collected references and spaces of",
        "access",
    ),
    AuditAction.UPDATE_OBJECTS_SPACES: (
        "update spaces of",
        "updating spaces of",
        "updated spaces of",
        "change",
    ),
    AuditAction.UPDATE_OBJECTS_OWNER: (
        "update owner of",
        "updating owner of",
        "updated owner of",
        "change",
    ),
    AuditAction.UPDATE_OBJECTS_ACCESS_MODE: (
        "update access mode of",
        "updating access mode of",
        "updated access mode of",
        "change",
    ),
}

_SILENT_READS = frozenset({"config", "telemetry"})
"""Read on every page load by Kibana itself: auditing them would drown everything else."""


def _error_code(error: BaseException) -> str:
    """Kibana's authorization errors are plain ``Error``s decorated with a status; their
    ``error.code`` is ``"Error"``. Ours are typed, and report the same code."""
    return "Error" if isinstance(error, SavedObjectsError) else type(error).__name__


def _error_message(error: BaseException) -> str:
    return error.message if isinstance(error, SavedObjectsError) else str(error)


def saved_object_event(
    action: AuditAction,
    *,
    outcome: Outcome | None = None,
    saved_object: Mapping[str, str] | None = None,
    add_to_spaces: Sequence[str] | None = None,
    delete_from_spaces: Sequence[str] | None = None,
    unauthorized_spaces: Sequence[str] | None = None,
    unauthorized_types: Sequence[str] | None = None,
    error: BaseException | None = None,
) -> AuditEvent | None:
    """The event Kibana logs, or ``None`` for a read of ``config``/``telemetry``.

    ``saved_object`` is ``{"type", "id"}`` and, when names are audited, ``"name"``. The
    outcome is the one given, else ``failure`` with an error, else ``success``; the
    message follows it (``Failed attempt to...``, ``User is ...ing``, ``User has ...ed``).
    """
    present, progressive, past, ecs_type = _VERBS[action]
    doc = (
        f"{saved_object['type']} [id={saved_object['id']}]"
        if saved_object is not None
        else "saved objects"
    )
    if ecs_type == "access" and saved_object is not None and saved_object["type"] in _SILENT_READS:
        return None
    resolved: Outcome = outcome or ("failure" if error is not None else "success")
    if error is not None:
        message = f"Failed attempt to {present} {doc}"
    elif resolved == "unknown":
        message = f"User is {progressive} {doc}"
    else:
        message = f"User has {past} {doc}"
    kibana: dict[str, Any] = {}
    if saved_object is not None:
        kibana["saved_object"] = dict(saved_object)
    for key, value in (
        ("add_to_spaces", add_to_spaces),
        ("delete_from_spaces", delete_from_spaces),
        ("unauthorized_spaces", unauthorized_spaces),
        ("unauthorized_types", unauthorized_types),
    ):
        if value is not None:
            kibana[key] = list(value)
    event: AuditEvent = {
        "message": message,
        "event": {
            "action": str(action),
            "category": ["database"],
            "type": [ecs_type],
            "outcome": resolved,
        },
        "kibana": kibana,
    }
    if error is not None:
        event["error"] = {"code": _error_code(error), "message": _error_message(error)}
    return event


@dataclass(frozen=True, slots=True)
class IgnoreFilter:
    """Drop events matching *all* the criteria given (an empty criterion matches all).

    Array fields of the event (``event.category``, ``event.type``) match only when every
    value is listed, as Kibana's ``xpack.security.audit.ignore_filters``.
    """

    actions: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()
    outcomes: frozenset[str] = frozenset()
    spaces: frozenset[str] = frozenset()
    users: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls,
        *,
        actions: Iterable[str] = (),
        categories: Iterable[str] = (),
        types: Iterable[str] = (),
        outcomes: Iterable[str] = (),
        spaces: Iterable[str] = (),
        users: Iterable[str] = (),
    ) -> IgnoreFilter:
        return cls(
            frozenset(actions),
            frozenset(categories),
            frozenset(types),
            frozenset(outcomes),
            frozenset(spaces),
            frozenset(users),
        )

    def matches(self, event: Mapping[str, Any]) -> bool:
        ecs = event.get("event", {})

        def one(allowed: frozenset[str], value: Any) -> bool:
            return not allowed or value in allowed

        def every(allowed: frozenset[str], values: Any) -> bool:
            return not allowed or (bool(values) and all(v in allowed for v in values))

        return (
            one(self.actions, ecs.get("action"))
            and every(self.categories, ecs.get("category"))
            and every(self.types, ecs.get("type"))
            and one(self.outcomes, ecs.get("outcome"))
            and one(self.spaces, event.get("kibana", {}).get("space_id"))
            and one(self.users, event.get("user", {}).get("name"))
        )


@dataclass
class AuditLogger:
    """Where the security extension sends its events.

    One logger serves many requests: the extension passes the principal and the space
    with each event. ``enabled=False`` logs nothing (Kibana's audit switch);
    ``include_saved_object_names`` keeps object titles in ``kibana.saved_object.name``.
    """

    enabled: bool = True
    include_saved_object_names: bool = False
    ignore_filters: Sequence[IgnoreFilter] = ()
    logger: logging.Logger = field(default_factory=lambda: logging.getLogger(AUDIT_LOGGER_NAME))
    request: Mapping[str, Any] = field(default_factory=dict)
    """ECS fields of the request every event is about (see :meth:`for_request`)."""

    @property
    def active(self) -> bool:
        """Whether an event would be written: the switch is on and the logger passes INFO
        records. A service that does not collect audit records (no level or handler set
        on the ``kbn_saved_objects.audit`` logger) pays nothing for building them."""
        return self.enabled and self.logger.isEnabledFor(logging.INFO)

    def for_request(
        self,
        *,
        request_id: str | None = None,
        session_id: str | None = None,
        client_ip: str | None = None,
        forwarded_for: str | Sequence[str] | None = None,
    ) -> AuditLogger:
        """This logger, adding what Kibana's audit service adds about the request to each
        event: ``trace.id`` (the request id), ``kibana.session_id``, ``client.ip`` and
        ``http.request.headers.x-forwarded-for`` (a list joined with ``", "``)."""
        fields: dict[str, Any] = {}
        if request_id:
            fields["trace"] = {"id": request_id}
        if session_id:
            fields["kibana"] = {"session_id": session_id}
        if client_ip:
            fields["client"] = {"ip": client_ip}
        if forwarded_for:
            joined = forwarded_for if isinstance(forwarded_for, str) else ", ".join(forwarded_for)
            fields["http"] = {"request": {"headers": {"x-forwarded-for": joined}}}
        return dataclasses.replace(self, request=fields)

    def log(
        self,
        event: AuditEvent | None,
        *,
        user: Principal | None = None,
        space_id: str | None = None,
    ) -> None:
        """Complete ``event`` with ``user`` and ``kibana.space_id`` (a space already in
        the event wins) and log it, unless it is empty or a filter drops it."""
        if not self.enabled or not event:
            return
        completed = dict(event)
        if user is not None:
            completed["user"] = {
                **({"id": user.profile_uid} if user.profile_uid else {}),
                "name": user.username,
                "roles": list(user.roles),
            }
        if space_id is not None:
            completed["kibana"] = {"space_id": space_id, **completed.get("kibana", {})}
        for key, value in self.request.items():
            if key == "kibana":  # keys already in the event win, as in Kibana
                completed["kibana"] = {**value, **completed.get("kibana", {})}
            else:
                completed.setdefault(key, value)
        if any(rule.matches(completed) for rule in self.ignore_filters):
            return
        self.logger.info(completed["message"], extra={"audit": completed})
