"""The extension's entry points: spaces checked, enforcement, audit records per outcome.

Ports the entry-point cases of Kibana's
``x-pack/platform/plugins/shared/security/server/saved_objects/saved_objects_security_extension.test.ts``
(elastic/kibana commit ef38cab555efb1fcd4bd8d8ea0afe11c34bf85c7, late 2025): which
spaces each ``authorize*`` checks, the ``Unable to <op> <types>`` refusals, and the audit
outcomes of spec 08 §3.3. Audit records are captured from the ``kbn_saved_objects.audit``
logger.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest

from kbn_saved_objects.errors import ForbiddenError, GeneralError
from kbn_saved_objects.extensions.security import (
    AUDIT_LOGGER_NAME,
    AuditLogger,
    RbacSecurityExtension,
    RolePrivileges,
)
from kbn_saved_objects.repository.extensions import (
    AuthorizationStatus,
    AuthorizeBulkGetObject,
    AuthorizeCreateObject,
    AuthorizeObject,
    AuthorizeObjectWithExistingSpaces,
    AuthorizeUpdateObject,
    LegacyUrlAliasTarget,
    Principal,
    SecurityExtension,
)
from kbn_saved_objects.repository.results import ResolveResponse
from kbn_saved_objects.serialization import SavedObject
from kbn_saved_objects.types import SavedObjectTypeRegistry
from tests.extensions.security.conftest import ALICE, OWNED, Grants


@pytest.fixture(autouse=True)
def _capture(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, AUDIT_LOGGER_NAME)


def events(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return [r.audit for r in caplog.records if r.name == AUDIT_LOGGER_NAME]  # type: ignore[attr-defined]


def outcomes(caplog: pytest.LogCaptureFixture) -> list[tuple[str, str, str | None]]:
    return [
        (
            e["event"]["action"],
            e["event"]["outcome"],
            e["kibana"].get("saved_object", {}).get("id"),
        )
        for e in events(caplog)
    ]


def grant(grants: Grants, space: str | None, *actions: str) -> None:
    grants.grants.setdefault(space, set()).update(actions)


def test_it_is_a_security_extension(extension: RbacSecurityExtension) -> None:
    assert isinstance(extension, SecurityExtension)
    assert extension.get_current_user() == ALICE


# --- get ------------------------------------------------------------------------------


def test_get_authorized(
    extension: RbacSecurityExtension, grants: Grants, caplog: pytest.LogCaptureFixture
) -> None:
    grant(grants, "x", "saved_object:a/get", "login:")
    obj = AuthorizeObjectWithExistingSpaces("a", "6.0.0-alpha1", "a_object_name", None, ("x", "y"))
    result = extension.authorize_get("x", obj, object_not_found=False)
    assert grants.calls == [(["saved_object:a/get", "login:"], ["x", "y"])]
    assert result.status is AuthorizationStatus.PARTIALLY_AUTHORIZED
    (event,) = events(caplog)
    assert event["message"] == "User is accessing a [id=6.0.0-alpha1]"
    assert event["kibana"] == {"space_id": "x", "saved_object": {"type": "a", "id": "6.0.0-alpha1"}}
    assert event["user"] == {"id": "u_alice_0", "name": "alice", "roles": ["editor"]}


def test_get_with_names_audited(
    registry: SavedObjectTypeRegistry, grants: Grants, caplog: pytest.LogCaptureFixture
) -> None:
    grant(grants, None, "saved_object:a/get", "login:")
    extension = RbacSecurityExtension(
        ALICE, grants, AuditLogger(include_saved_object_names=True), registry
    )
    obj = AuthorizeObjectWithExistingSpaces("a", "6.0.0-alpha1", "a_object_name")
    extension.authorize_get("default", obj, object_not_found=False)
    assert events(caplog)[0]["kibana"]["saved_object"]["name"] == "a_object_name"


def test_get_denied(
    extension: RbacSecurityExtension, grants: Grants, caplog: pytest.LogCaptureFixture
) -> None:
    obj = AuthorizeObjectWithExistingSpaces("a", "6.0.0-alpha1")
    with pytest.raises(ForbiddenError, match=r"^Unable to get a$"):
        extension.authorize_get("default", obj, object_not_found=True)
    (event,) = events(caplog)
    assert event["message"] == "Failed attempt to access a [id=6.0.0-alpha1]"
    assert event["event"]["outcome"] == "failure"
    assert event["error"] == {"code": "Error", "message": "Unable to get a"}


def test_get_of_a_missing_object_is_not_audited_as_read(
    extension: RbacSecurityExtension, grants: Grants, caplog: pytest.LogCaptureFixture
) -> None:
    grant(grants, "default", "saved_object:a/get")
    obj = AuthorizeObjectWithExistingSpaces("a", "1")
    extension.authorize_get("default", obj, object_not_found=True)
    assert events(caplog) == []


def test_empty_namespace_is_a_programming_error(extension: RbacSecurityExtension) -> None:
    with pytest.raises(ValueError, match="namespace cannot be an empty string"):
        extension.authorize_get(
            "", AuthorizeObjectWithExistingSpaces("a", "1"), object_not_found=False
        )


# --- writes ---------------------------------------------------------------------------


def test_create_checks_initial_and_existing_spaces_but_enforces_only_targets(
    extension: RbacSecurityExtension, grants: Grants, caplog: pytest.LogCaptureFixture
) -> None:
    grant(grants, "x", "saved_object:a/create")
    grant(grants, "y", "saved_object:a/create")
    obj = AuthorizeCreateObject("a", "1", existing_namespaces=("z", "*"), initial_namespaces=("y",))
    result = extension.authorize_create("x", [obj], bulk=False)
    assert grants.calls == [(["saved_object:a/create", "login:"], ["x", "y", "z"])]
    assert result.type_map["a"]["create"].authorized_spaces == ("x", "y")
    assert outcomes(caplog) == [("saved_object_create", "unknown", "1")]


def test_create_in_every_space_needs_the_global_privilege(
    extension: RbacSecurityExtension, grants: Grants, caplog: pytest.LogCaptureFixture
) -> None:
    grant(grants, "x", "saved_object:a/bulk_create")
    obj = AuthorizeCreateObject("a", "1", initial_namespaces=("*",))
    with pytest.raises(ForbiddenError, match=r"^Unable to bulk_create a$"):
        extension.authorize_create("x", [obj], bulk=True)
    assert grants.calls[0][1] is None  # a global check
    assert outcomes(caplog) == [("saved_object_create", "failure", "1")]


def test_more_than_one_object_uses_the_bulk_operation(
    extension: RbacSecurityExtension, grants: Grants, caplog: pytest.LogCaptureFixture
) -> None:
    grant(grants, "x", "saved_object:a/bulk_update", "saved_object:b/bulk_update")
    objects = [AuthorizeUpdateObject("a", "1"), AuthorizeUpdateObject("b", "2")]
    extension.authorize_update("x", objects, bulk=False)
    assert grants.calls[0][0][:2] == ["saved_object:a/bulk_update", "saved_object:b/bulk_update"]
    assert outcomes(caplog) == [
        ("saved_object_update", "unknown", "1"),
        ("saved_object_update", "unknown", "2"),
    ]


def test_update_enforces_the_object_namespace(
    extension: RbacSecurityExtension, grants: Grants, caplog: pytest.LogCaptureFixture
) -> None:
    grant(grants, "x", "saved_object:a/bulk_update", "saved_object:b/bulk_update")
    objects = [
        AuthorizeUpdateObject("a", "1", object_namespace="y"),
        AuthorizeUpdateObject("b", "2"),
    ]
    with pytest.raises(ForbiddenError, match=r"^Unable to bulk_update a$"):
        extension.authorize_update("x", objects, bulk=True)
    assert [o for _, o, _ in outcomes(caplog)] == ["failure", "failure"]


def test_delete_and_empty_lists(extension: RbacSecurityExtension, grants: Grants) -> None:
    with pytest.raises(ValueError, match="No objects specified for bulk_delete authorization"):
        extension.authorize_delete("x", [], bulk=True)
    with pytest.raises(ValueError, match="No objects specified for bulk_get authorization"):
        extension.authorize_bulk_get("x", [])
    with pytest.raises(ForbiddenError, match=r"^Unable to delete a$"):
        extension.authorize_delete("x", [AuthorizeObjectWithExistingSpaces("a", "1")], bulk=False)


def test_check_conflicts_is_never_audited(
    extension: RbacSecurityExtension, grants: Grants, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(ForbiddenError, match=r"^Unable to bulk_create a,b$"):
        extension.authorize_check_conflicts(
            "x", [AuthorizeObject("b", "1"), AuthorizeObject("a", "2")]
        )
    grant(grants, "x", "saved_object:a/bulk_create")
    extension.authorize_check_conflicts("x", [AuthorizeObject("a", "2")])
    assert events(caplog) == []


def test_remove_references_checks_delete(
    extension: RbacSecurityExtension, grants: Grants, caplog: pytest.LogCaptureFixture
) -> None:
    grant(grants, "x", "saved_object:a/delete")
    extension.authorize_remove_references("x", AuthorizeObject("a", "1"))
    assert outcomes(caplog) == [("saved_object_remove_references", "unknown", "1")]


def test_update_spaces_audits_the_spaces_and_may_need_the_global_resource(
    extension: RbacSecurityExtension, grants: Grants, caplog: pytest.LogCaptureFixture
) -> None:
    grant(grants, None, "saved_object:a/share_to_space")
    objects = [AuthorizeObjectWithExistingSpaces("a", "1", existing_namespaces=("x", "*"))]
    extension.authorize_update_spaces("x", ["*"], ["y"], objects)
    assert grants.calls[0][1] is None
    (event,) = events(caplog)
    assert event["kibana"]["add_to_spaces"] == ["*"]
    assert event["kibana"]["delete_from_spaces"] == ["y"]
    assert event["message"] == "User is updating spaces of a [id=1]"


def test_legacy_url_aliases(
    extension: RbacSecurityExtension, grants: Grants, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(ValueError, match="No aliases specified for authorization"):
        extension.authorize_disable_legacy_url_aliases([])
    grant(grants, "x", "saved_object:a/bulk_update")
    extension.authorize_disable_legacy_url_aliases([LegacyUrlAliasTarget("x", "a", "old")])
    (event,) = events(caplog)
    assert event["kibana"]["saved_object"] == {"type": "legacy-url-alias", "id": "x:a:old"}
    with pytest.raises(ForbiddenError, match=r"^Unable to bulk_update a$"):
        extension.authorize_disable_legacy_url_aliases([LegacyUrlAliasTarget("y", "a", "old")])


# --- bulk get, resolve, find, point in time --------------------------------------------


def test_bulk_get_audits_found_objects_as_success(
    extension: RbacSecurityExtension, grants: Grants, caplog: pytest.LogCaptureFixture
) -> None:
    grant(grants, "x", "saved_object:a/bulk_get")
    grant(grants, "y", "saved_object:a/bulk_get")
    objects = [
        AuthorizeBulkGetObject("a", "1", object_namespaces=("y",)),
        AuthorizeBulkGetObject("a", "2", error=True),
    ]
    extension.authorize_bulk_get("x", objects)
    assert outcomes(caplog) == [("saved_object_get", "success", "1")]


def test_bulk_get_denied_audits_every_object(
    extension: RbacSecurityExtension, grants: Grants, caplog: pytest.LogCaptureFixture
) -> None:
    grant(grants, "x", "saved_object:a/bulk_get")
    objects = [
        AuthorizeBulkGetObject("a", "1", object_namespaces=("y",)),
        AuthorizeBulkGetObject("a", "2", error=True),
    ]
    with pytest.raises(ForbiddenError, match=r"^Unable to bulk_get a$"):
        extension.authorize_bulk_get("x", objects)
    assert outcomes(caplog) == [
        ("saved_object_get", "failure", "1"),
        ("saved_object_get", "failure", "2"),
    ]


def test_resolve_redacts_and_skips_unsupported_types(
    extension: RbacSecurityExtension, grants: Grants, caplog: pytest.LogCaptureFixture
) -> None:
    grant(grants, "x", "saved_object:a/bulk_get", "login:")
    found = ResolveResponse(
        saved_object=SavedObject[Any](
            id="1", type="a", attributes={"title": "T"}, namespaces=["z", "x"]
        ),
        outcome="exactMatch",
    )
    missing = ResolveResponse(
        saved_object=SavedObject[Any](
            id="2", type="a", attributes={}, error={"statusCode": 404, "message": "Not Found"}
        ),
        outcome="exactMatch",
    )
    unsupported = ResolveResponse(
        saved_object=SavedObject[Any](
            id="3", type="nope", attributes={}, error={"statusCode": 400, "message": "Bad"}
        ),
        outcome="exactMatch",
    )
    results = extension.authorize_and_redact_internal_bulk_resolve(
        "x", [found, missing, unsupported]
    )
    assert results[0].saved_object.namespaces == ["x", "?"]
    assert results[1:] == [missing, unsupported]
    assert outcomes(caplog) == [
        ("saved_object_resolve", "success", "1"),
        ("saved_object_resolve", "success", "2"),
    ]
    assert extension.authorize_and_redact_internal_bulk_resolve("x", [unsupported]) == [unsupported]


def test_find_unauthorized_is_an_empty_answer_with_one_failure_event(
    extension: RbacSecurityExtension, grants: Grants, caplog: pytest.LogCaptureFixture
) -> None:
    grant(grants, "x", "login:")
    result = extension.authorize_find(["x", "y"], ["a", "b"])
    assert result.status is AuthorizationStatus.UNAUTHORIZED
    (event,) = events(caplog)
    assert event["message"] == "Failed attempt to access saved objects"
    assert event["error"] == {
        "code": "Exception",
        "message": "User is unauthorized for any requested types/spaces",
    }
    assert event["kibana"]["unauthorized_types"] == ["a", "b"]
    assert event["kibana"]["unauthorized_spaces"] == ["x", "y"]


def test_find_partial_example_and_redaction(
    registry: SavedObjectTypeRegistry, caplog: pytest.LogCaptureFixture
) -> None:
    roles = RolePrivileges(
        {"r": {"a": ["read:dashboard", "read:index-pattern"], "b": ["read:index-pattern"]}}
    )
    extension = RbacSecurityExtension(Principal("u", ("r",)), roles, AuditLogger(), registry)
    result = extension.authorize_find(["a", "b"], ["dashboard", "index-pattern"])
    assert result.status is AuthorizationStatus.PARTIALLY_AUTHORIZED
    assert result.type_map["dashboard"]["find"].authorized_spaces == ("a",)
    assert result.type_map["index-pattern"]["find"].authorized_spaces == ("a", "b")
    hit = SavedObject[Any](id="d", type="dashboard", attributes={}, namespaces=["a", "c"])
    found = AuthorizeObjectWithExistingSpaces("dashboard", "d", existing_namespaces=("a", "c"))
    type_map = extension.get_find_redact_type_map(["a", "b"], [found])
    assert type_map is not None  # "c" was not checked before
    assert extension.redact_namespaces(hit, type_map).namespaces == ["a", "?"]
    assert outcomes(caplog) == [("saved_object_find", "success", "d")]
    assert extension.get_find_redact_type_map(["a", "c"], [found]) is None


def test_open_point_in_time(
    extension: RbacSecurityExtension, grants: Grants, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(ForbiddenError, match=r"^unauthorized$"):
        extension.authorize_open_point_in_time(["x"], ["a"])
    grant(grants, "x", "saved_object:a/open_point_in_time")
    extension.authorize_open_point_in_time(["x"], ["a"])
    extension.audit_close_point_in_time()
    assert outcomes(caplog) == [
        ("saved_object_open_point_in_time", "failure", None),
        ("saved_object_open_point_in_time", "unknown", None),
        ("saved_object_close_point_in_time", "unknown", None),
    ]
    assert events(caplog)[1]["message"] == "User is opening point-in-time saved objects"


def test_a_failing_privilege_source_is_a_general_error(registry: SavedObjectTypeRegistry) -> None:
    class Broken:
        def check(self, *args: object) -> Any:
            error = RuntimeError("connection refused")
            error.reason = "security index unavailable"  # type: ignore[attr-defined]
            raise error

    extension = RbacSecurityExtension(ALICE, Broken(), AuditLogger(), registry)
    with pytest.raises(GeneralError) as caught:
        extension.authorize_find(["x"], ["a"])
    assert caught.value.status_code == 500
    assert caught.value.message == "security index unavailable: connection refused"


# --- access control --------------------------------------------------------------------


def restricted(owner: str, id: str) -> AuthorizeUpdateObject:
    return AuthorizeUpdateObject(
        OWNED, id, access_control={"owner": owner, "accessMode": "write_restricted"}
    )


def test_bulk_update_holds_back_objects_owned_by_others(
    extension: RbacSecurityExtension, grants: Grants, caplog: pytest.LogCaptureFixture
) -> None:
    grant(grants, "x", f"saved_object:{OWNED}/bulk_update")
    objects = [restricted("u_alice_0", "mine"), restricted("u_bob_0", "theirs")]
    result = extension.authorize_update("x", objects, bulk=True)
    assert grants.calls[0][0] == [
        f"saved_object:{OWNED}/bulk_update",
        f"saved_object:{OWNED}/manage_access_control",
        "login:",
    ]
    assert result.inaccessible_objects == {(OWNED, "theirs")}
    assert outcomes(caplog) == [
        ("saved_object_update", "failure", "theirs"),
        ("saved_object_update", "unknown", "mine"),
    ]


def test_all_objects_held_back_is_a_refusal(
    extension: RbacSecurityExtension, grants: Grants
) -> None:
    grant(grants, "x", f"saved_object:{OWNED}/update")
    with pytest.raises(ForbiddenError) as caught:
        extension.authorize_update("x", [restricted("u_bob_0", "theirs")], bulk=False)
    assert caught.value.message == (
        "Unable to update dashboard. Access control restrictions for objects: "
        'dashboard:theirs. The "manage_access_control" privilege is required to affect '
        "write restricted objects owned by another user."
    )


def test_manage_access_control_lets_everything_through(
    extension: RbacSecurityExtension, grants: Grants
) -> None:
    grant(
        grants, "x", f"saved_object:{OWNED}/update", f"saved_object:{OWNED}/manage_access_control"
    )
    result = extension.authorize_update("x", [restricted("u_bob_0", "theirs")], bulk=False)
    assert result.inaccessible_objects == frozenset()


def change(owner: str, id: str, type_name: str = OWNED) -> AuthorizeObject:
    return AuthorizeObject(type_name, id, access_control={"owner": owner, "accessMode": "default"})


def test_change_ownership_of_own_objects(
    extension: RbacSecurityExtension, grants: Grants, caplog: pytest.LogCaptureFixture
) -> None:
    grant(grants, "x", f"saved_object:{OWNED}/update")
    extension.authorize_change_access_control(
        "x", [change("u_alice_0", "1")], operation="changeOwnership"
    )
    assert grants.calls == [([f"saved_object:{OWNED}/update", "login:"], ["x"])]
    assert outcomes(caplog) == [("saved_object_update_objects_owner", "success", "1")]
    assert events(caplog)[0]["message"] == "User has updated owner of dashboard [id=1]"


def test_change_access_mode_of_others_objects_is_refused_without_the_privilege(
    extension: RbacSecurityExtension, grants: Grants, caplog: pytest.LogCaptureFixture
) -> None:
    grant(grants, "x", f"saved_object:{OWNED}/update")
    with pytest.raises(ForbiddenError, match=r"^Access denied: Unable to manage access control"):
        extension.authorize_change_access_control(
            "x", [change("u_bob_0", "1"), change("u_bob_0", "2")], operation="changeAccessMode"
        )
    (event,) = events(caplog)
    assert event["event"]["action"] == "saved_object_update_objects_access_mode"
    assert event["error"] == {
        "code": "Error",
        "message": "Unable to manage_access_control for types dashboard",
    }
    assert event["kibana"]["unauthorized_types"] == [OWNED]
    assert event["kibana"]["unauthorized_spaces"] == ["x"]


def test_change_access_control_of_unsupported_types(extension: RbacSecurityExtension) -> None:
    from kbn_saved_objects.errors import BadRequestError

    with pytest.raises(BadRequestError, match=r"^Unable to manage_access_control for types a, b$"):
        extension.authorize_change_access_control(
            "x", [change("u", "1", "b"), change("u", "2", "a")], operation="changeOwnership"
        )


# --- reference graph and space deletion --------------------------------------------------


def ref(
    type_name: str, id: str, spaces: list[str], inbound: list[tuple[str, str]]
) -> dict[str, Any]:
    return {
        "type": type_name,
        "id": id,
        "spaces": spaces,
        "inboundReferences": [{"type": t, "id": i, "name": "ref"} for t, i in inbound],
    }


def test_reference_graph_hides_what_the_caller_may_not_read(
    extension: RbacSecurityExtension, grants: Grants, caplog: pytest.LogCaptureFixture
) -> None:
    grant(grants, "x", "saved_object:a/bulk_get", "saved_object:c/bulk_get", "login:")
    objects = [
        ref("a", "1", ["x", "secret"], []),
        ref("b", "2", ["x"], [("a", "1")]),  # not readable, but reached: missing
        ref("c", "3", ["x"], [("b", "2")]),  # readable, reached only through b: dropped
        ref("c", "4", ["x"], [("a", "1"), ("c", "4")]),
    ]
    answer = extension.authorize_and_redact_multi_namespace_references(
        "x", objects, purpose="collectMultiNamespaceReferences", requested=objects[:1]
    )
    assert [(o["type"], o["id"], o["spaces"], o.get("isMissing")) for o in answer] == [
        ("a", "1", ["x", "?"], None),
        ("b", "2", [], True),
        ("c", "4", ["x"], None),
    ]
    assert answer[2]["inboundReferences"] == [
        {"type": "a", "id": "1", "name": "ref"},
        {"type": "c", "id": "4", "name": "ref"},
    ]
    assert outcomes(caplog) == [
        ("saved_object_collect_multinamespace_references", "success", "1"),
        ("saved_object_collect_multinamespace_references", "success", "4"),
    ]


def test_without_the_requested_objects_every_type_is_enforced(
    extension: RbacSecurityExtension, grants: Grants, caplog: pytest.LogCaptureFixture
) -> None:
    """Kibana's current extension receives only the result entries and so treats each as
    requested: a referenced type the caller may not read refuses the whole call."""
    grant(grants, "x", "saved_object:a/bulk_get", "login:")
    objects = [ref("a", "1", ["x"], []), ref("b", "2", ["x"], [("a", "1")])]
    with pytest.raises(ForbiddenError, match=r"^Unable to bulk_get b$"):
        extension.authorize_and_redact_multi_namespace_references(
            "x", objects, purpose="collectMultiNamespaceReferences"
        )
    assert outcomes(caplog) == [("saved_object_collect_multinamespace_references", "failure", None)]


def test_reference_graph_refuses_a_requested_type_it_cannot_read(
    extension: RbacSecurityExtension, grants: Grants
) -> None:
    with pytest.raises(ForbiddenError, match=r"^Unable to share_to_space a$"):
        extension.authorize_and_redact_multi_namespace_references(
            "x", [ref("a", "1", ["x"], [])], purpose="updateObjectsSpaces"
        )
    assert (
        extension.authorize_and_redact_multi_namespace_references(
            "x", [], purpose="updateObjectsSpaces"
        )
        == []
    )


def test_space_deletion_audit(
    extension: RbacSecurityExtension, caplog: pytest.LogCaptureFixture
) -> None:
    objects = [
        SavedObject[Any](id="only", type="a", attributes={}, namespaces=["gone"]),
        SavedObject[Any](id="shared", type="a", attributes={}, namespaces=["gone", "x"]),
        SavedObject[Any](id="everywhere", type="a", attributes={}, namespaces=["*"]),
    ]
    extension.audit_objects_for_space_deletion("gone", objects)
    assert outcomes(caplog) == [
        ("saved_object_delete", "unknown", "only"),
        ("saved_object_update_objects_spaces", "unknown", "shared"),
    ]
    assert events(caplog)[1]["kibana"]["delete_from_spaces"] == ["gone"]


def test_an_object_reached_later_in_the_list_waits_for_its_referrer(
    extension: RbacSecurityExtension, grants: Grants
) -> None:
    grant(grants, "x", "saved_object:a/bulk_get", "saved_object:c/bulk_get", "login:")
    objects = [
        ref("a", "1", ["x"], []),
        ref("c", "3", ["x"], [("a", "5")]),
        ref("a", "5", ["x"], [("a", "1")]),
    ]
    answer = extension.authorize_and_redact_multi_namespace_references(
        "x", objects, purpose="collectMultiNamespaceReferences", requested=objects[:1]
    )
    assert [(o["type"], o["id"]) for o in answer] == [("a", "1"), ("a", "5"), ("c", "3")]


def test_an_inbound_reference_to_nothing_retrieved_is_a_bug(
    extension: RbacSecurityExtension, grants: Grants
) -> None:
    grant(grants, "x", "saved_object:a/bulk_get", "saved_object:c/bulk_get")
    objects = [ref("a", "1", ["x"], []), ref("c", "3", ["x"], [("z", "9")])]
    with pytest.raises(ValueError, match=r'^Unexpected inbound reference to "z:9"$'):
        extension.authorize_and_redact_multi_namespace_references(
            "x", objects, purpose="collectMultiNamespaceReferences", requested=objects[:1]
        )
