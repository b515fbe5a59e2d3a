"""Audit events: shape, wording per action and outcome, suppression, names, filters.

Follows Kibana's ``x-pack/platform/plugins/shared/security/server/audit/audit_events.ts``
and its ``audit_events.test.ts`` (``savedObjectEvent``) and ``audit_service.ts``
(``ignore_filters``), elastic/kibana ``main`` of late 2025 (spec 08 §3).
"""

from __future__ import annotations

import logging

import pytest

from kbn_saved_objects.errors import ForbiddenError
from kbn_saved_objects.extensions.security import (
    AUDIT_LOGGER_NAME,
    AuditAction,
    AuditLogger,
    IgnoreFilter,
    saved_object_event,
)
from kbn_saved_objects.repository.extensions import Principal

OBJ = {"type": "dashboard", "id": "7"}


@pytest.mark.parametrize(
    ("action", "present", "progressive", "past", "ecs_type"),
    [
        (AuditAction.CREATE, "create", "creating", "created", "creation"),
        (AuditAction.GET, "access", "accessing", "accessed", "access"),
        (AuditAction.FIND, "access", "accessing", "accessed", "access"),
        (AuditAction.RESOLVE, "resolve", "resolving", "resolved", "access"),
        (AuditAction.UPDATE, "update", "updating", "updated", "change"),
        (AuditAction.DELETE, "delete", "deleting", "deleted", "deletion"),
        (
            AuditAction.OPEN_POINT_IN_TIME,
            "open point-in-time",
            "opening point-in-time",
            "opened point-in-time",
            "creation",
        ),
        (
            AuditAction.CLOSE_POINT_IN_TIME,
            "close point-in-time",
            "closing point-in-time",
            "closed point-in-time",
            "deletion",
        ),
        (
            AuditAction.REMOVE_REFERENCES,
            "remove references to",
            "removing references to",
            "removed references to",
            "change",
        ),
        (
            AuditAction.COLLECT_MULTINAMESPACE_REFERENCES,
            "collect references and spaces of",
            "collecting references and spaces of",
            "collected references and spaces of",
            "access",
        ),
        (
            AuditAction.UPDATE_OBJECTS_SPACES,
            "update spaces of",
            "updating spaces of",
            "updated spaces of",
            "change",
        ),
        (
            AuditAction.UPDATE_OBJECTS_OWNER,
            "update owner of",
            "updating owner of",
            "updated owner of",
            "change",
        ),
        (
            AuditAction.UPDATE_OBJECTS_ACCESS_MODE,
            "update access mode of",
            "updating access mode of",
            "updated access mode of",
            "change",
        ),
    ],
)
def test_messages_and_ecs_types(
    action: AuditAction, present: str, progressive: str, past: str, ecs_type: str
) -> None:
    unknown = saved_object_event(action, outcome="unknown", saved_object=OBJ)
    assert unknown is not None
    assert unknown["message"] == f"User is {progressive} dashboard [id=7]"
    assert unknown["event"] == {
        "action": action.value,
        "category": ["database"],
        "type": [ecs_type],
        "outcome": "unknown",
    }
    success = saved_object_event(action, saved_object=OBJ)
    assert success is not None
    assert success["message"] == f"User has {past} dashboard [id=7]"
    assert success["event"]["outcome"] == "success"
    failed = saved_object_event(action, error=ForbiddenError("Unable to x dashboard"))
    assert failed is not None
    assert failed["message"] == f"Failed attempt to {present} saved objects"
    assert failed["event"]["outcome"] == "failure"
    assert failed["error"] == {"code": "Error", "message": "Unable to x dashboard"}


def test_the_get_example() -> None:
    obj = {"type": "a", "id": "6.0.0-alpha1", "name": "a_object_name"}
    assert saved_object_event(AuditAction.GET, outcome="unknown", saved_object=obj) == {
        "message": "User is accessing a [id=6.0.0-alpha1]",
        "event": {
            "action": "saved_object_get",
            "category": ["database"],
            "type": ["access"],
            "outcome": "unknown",
        },
        "kibana": {"saved_object": obj},
    }
    denied = saved_object_event(
        AuditAction.GET, saved_object=obj, error=ForbiddenError("Unable to get a")
    )
    assert denied is not None
    assert denied["message"] == "Failed attempt to access a [id=6.0.0-alpha1]"
    assert denied["error"] == {"code": "Error", "message": "Unable to get a"}


def test_a_foreign_error_keeps_its_class_name_as_code() -> None:
    event = saved_object_event(AuditAction.FIND, error=ValueError("boom"))
    assert event is not None
    assert event["error"] == {"code": "ValueError", "message": "boom"}


@pytest.mark.parametrize("type_name", ["config", "telemetry"])
def test_reads_of_config_and_telemetry_are_not_audited(type_name: str) -> None:
    obj = {"type": type_name, "id": "1"}
    assert saved_object_event(AuditAction.GET, saved_object=obj) is None
    assert saved_object_event(AuditAction.FIND, saved_object=obj) is None
    assert saved_object_event(AuditAction.UPDATE, saved_object=obj) is not None


def test_space_and_type_lists() -> None:
    event = saved_object_event(
        AuditAction.UPDATE_OBJECTS_SPACES,
        outcome="unknown",
        saved_object=OBJ,
        add_to_spaces=["x"],
        delete_from_spaces=["y"],
        unauthorized_spaces=["z"],
        unauthorized_types=["t"],
    )
    assert event is not None
    assert event["kibana"] == {
        "saved_object": OBJ,
        "add_to_spaces": ["x"],
        "delete_from_spaces": ["y"],
        "unauthorized_spaces": ["z"],
        "unauthorized_types": ["t"],
    }


def logged(caplog: pytest.LogCaptureFixture) -> list[dict[str, object]]:
    return [r.audit for r in caplog.records if r.name == AUDIT_LOGGER_NAME]  # type: ignore[attr-defined]


ALICE = Principal("alice", ("editor", "viewer"), "u_alice_0")


def test_the_logger_adds_who_and_where(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, AUDIT_LOGGER_NAME)
    event = saved_object_event(AuditAction.GET, saved_object=OBJ)
    AuditLogger().log(event, user=ALICE, space_id="x")
    (record,) = [r for r in caplog.records if r.name == AUDIT_LOGGER_NAME]
    assert record.levelno == logging.INFO
    assert record.getMessage() == "User has accessed dashboard [id=7]"
    assert record.audit["user"] == {  # type: ignore[attr-defined]
        "id": "u_alice_0",
        "name": "alice",
        "roles": ["editor", "viewer"],
    }
    assert record.audit["kibana"] == {"space_id": "x", "saved_object": OBJ}  # type: ignore[attr-defined]


def test_a_space_already_in_the_event_wins(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, AUDIT_LOGGER_NAME)
    AuditLogger().log({"message": "m", "kibana": {"space_id": "mine"}}, space_id="x")
    assert logged(caplog)[0]["kibana"] == {"space_id": "mine"}


def test_disabled_and_empty(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, AUDIT_LOGGER_NAME)
    AuditLogger(enabled=False).log(saved_object_event(AuditAction.GET, saved_object=OBJ))
    AuditLogger().log(None)
    AuditLogger().log({})
    assert logged(caplog) == []


def test_ignore_filters_drop_an_event_only_when_every_criterion_matches(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, AUDIT_LOGGER_NAME)
    audit = AuditLogger(
        ignore_filters=[
            IgnoreFilter.of(actions=["saved_object_find"], outcomes=["success"]),
            IgnoreFilter.of(users=["robot"], spaces=["x"]),
            IgnoreFilter.of(types=["access", "change"]),
        ]
    )
    find_ok = saved_object_event(AuditAction.FIND, saved_object={"type": "a", "id": "1"})
    find_failed = saved_object_event(AuditAction.FIND, error=ValueError("no"))
    create = saved_object_event(AuditAction.CREATE, outcome="unknown", saved_object=OBJ)
    delete = saved_object_event(AuditAction.DELETE, outcome="unknown", saved_object=OBJ)
    robot = Principal("robot")
    audit.log(find_ok, user=ALICE, space_id="y")  # first rule
    audit.log(find_failed, user=ALICE, space_id="y")  # find, but not a success: type access
    audit.log(create, user=robot, space_id="x")  # second rule
    audit.log(create, user=robot, space_id="y")  # robot, other space: kept
    audit.log(delete, user=ALICE, space_id="x")  # deletion is not in the third rule
    kept = [(e["event"]["action"], e["user"]["name"]) for e in logged(caplog)]  # type: ignore[index]
    assert kept == [("saved_object_create", "robot"), ("saved_object_delete", "alice")]


def test_array_fields_match_only_when_every_value_is_listed() -> None:
    event = {"event": {"category": ["database", "web"], "type": ["access"]}}
    assert not IgnoreFilter.of(categories=["database"]).matches(event)
    assert IgnoreFilter.of(categories=["database", "web", "iam"]).matches(event)
    assert IgnoreFilter.of(types=["access"]).matches(event)
    assert IgnoreFilter().matches(event)
