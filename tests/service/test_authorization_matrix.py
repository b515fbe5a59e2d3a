"""The service with all three extensions, on the real engine: roles x operations x types
x spaces. No call reaches an object its principal may not see, every refusal is Kibana's
403 and message, audit records say what happened, and secrets stay encrypted at rest.

The roles below are a small model of Kibana's feature privileges; ``allowed`` is the
same model written independently of the extension, so the property test compares the
library's decisions with what the roles say.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbn_saved_objects import SavedObjectsType, SavedObjectsTypeManagement
from kbn_saved_objects.engine import Engine
from kbn_saved_objects.errors import ForbiddenError, NotFoundError
from kbn_saved_objects.extensions.encryption import (
    EncryptedSavedObjectTypeRegistration,
    EncryptedTypeRegistry,
    EncryptionKeys,
    enable_encryption,
)
from kbn_saved_objects.extensions.security import (
    AUDIT_LOGGER_NAME,
    RolePrivileges,
    enable_security,
    searchable_spaces_filter,
)
from kbn_saved_objects.extensions.spaces import Space, SpacesClient, enable_spaces
from kbn_saved_objects.repository import RepositoryConfig
from kbn_saved_objects.repository.extensions import Principal
from kbn_saved_objects.service import (
    RequestContext,
    SavedObjectsClient,
    SavedObjectsService,
    SavedObjectsServiceStart,
)

pytestmark = pytest.mark.engine

SPACES = ("default", "s1", "s2")
TYPES = ("dashboard", "note", "connector")
READ = {"get", "bulk_get", "find"}
WRITE = {"create", "update", "delete"}

ROLES: dict[str, dict[str, list[str]]] = {
    "admin": {"*": ["all"]},
    "s1_reader": {"s1": ["read"]},
    "s2_dashboards": {"s2": ["all:dashboard"]},
    "notes_everywhere": {"*": ["read:note"]},
    "nobody": {},
}


def allowed(role: str, operation: str, type_name: str, space: str) -> bool:
    """What the role table grants, written out by hand."""
    kind = "read" if operation in READ else "write"
    if role == "admin":
        return True
    if role == "s1_reader":
        return space == "s1" and kind == "read"
    if role == "s2_dashboards":
        return space == "s2" and type_name == "dashboard"
    if role == "notes_everywhere":
        return type_name == "note" and kind == "read"
    return False


def may_enter(role: str, space: str) -> bool:
    return any(allowed(role, "get", type_name, space) for type_name in TYPES)


class Audit(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.events.append(record.audit)  # type: ignore[attr-defined]


@pytest.fixture
def audit() -> Iterator[Audit]:
    handler = Audit()
    logger = logging.getLogger(AUDIT_LOGGER_NAME)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)


@pytest.fixture
def start(kbn_engine: Engine, kbn_index_prefix: str) -> SavedObjectsServiceStart:
    service = SavedObjectsService(
        kbn_engine,
        config=RepositoryConfig(
            default_index=f"{kbn_index_prefix}-matrix", index_suffix="_1.0.0", refresh=True
        ),
    )
    setup = service.setup()
    properties = {"properties": {"title": {"type": "text"}}}
    setup.register_type(
        SavedObjectsType(name="dashboard", namespace_type="multiple", mappings=properties)
    )
    setup.register_type(
        SavedObjectsType(
            name="note",
            namespace_type="single",
            mappings=properties,
            management=SavedObjectsTypeManagement(importable_and_exportable=True),
        )
    )
    setup.register_type(
        SavedObjectsType(
            name="connector",
            namespace_type="single",
            mappings={"properties": {"title": {"type": "text"}, "apiKey": {"type": "binary"}}},
        )
    )
    privileges = RolePrivileges(ROLES)
    enable_spaces(service, searchable_spaces=searchable_spaces_filter(privileges))
    enable_security(service, privileges)
    encrypted = EncryptedTypeRegistry()
    encrypted.register(
        EncryptedSavedObjectTypeRegistration(type="connector", attributes_to_encrypt=["apiKey"])
    )
    enable_encryption(service, encrypted, EncryptionKeys("k" * 32))
    started = service.start()
    started.create_internal_repository().setup_indices()
    spaces = SpacesClient(started.create_internal_repository(["space"]))
    spaces.ensure_default_space()
    for space in SPACES[1:]:
        spaces.create(Space(id=space, name=space))
    return started


def client_for(start: SavedObjectsServiceStart, role: str, space: str) -> SavedObjectsClient:
    return start.get_scoped_client(
        RequestContext(principal=Principal(role, roles=(role,)), space_id=space)
    )


CONNECTOR_IDS = {space: str(uuid.uuid5(uuid.NAMESPACE_URL, space)) for space in SPACES}


def seed(start: SavedObjectsServiceStart) -> None:
    for space in SPACES:
        admin = client_for(start, "admin", space)
        admin.create("note", {"title": f"note in {space}"}, id="n")
        admin.create("dashboard", {"title": f"dashboard of {space}"}, id=f"d-{space}")
        admin.create(
            "connector", {"title": "hook", "apiKey": f"key-{space}"}, id=CONNECTOR_IDS[space]
        )
    client_for(start, "admin", "s1").create(
        "dashboard", {"title": "shared"}, id="shared", initial_namespaces=["s1", "s2"]
    )


def stored_spaces(start: SavedObjectsServiceStart, type_name: str, object_id: str) -> set[str]:
    """Where an object really is, read without any extension."""
    internal = start.create_internal_repository()
    spaces = set()
    for space in SPACES:
        try:
            found = internal.get(type_name, object_id, namespace=space)
        except NotFoundError:
            continue
        spaces.update(found.namespaces or [space])
    return spaces


def assert_visible(role: str, searched: list[str], found: Any, stored: dict[str, set[str]]) -> None:
    for obj in found:
        real = stored[f"{obj.type}:{obj.id}"]
        assert any(
            space in real and allowed(role, "find", obj.type, space) for space in searched
        ), (role, obj.type, obj.id, real, searched)
        for space in obj.namespaces or []:
            assert space in ("?", "*") or may_enter(role, space), (role, obj.namespaces)


def test_the_matrix(start: SavedObjectsServiceStart, audit: Audit) -> None:
    seed(start)
    ids = {
        "note": ["n"],
        "dashboard": ["d-default", "d-s1", "d-s2", "shared", "missing"],
        "connector": list(CONNECTOR_IDS.values()),
    }
    stored = {
        f"{type_name}:{object_id}": stored_spaces(start, type_name, object_id)
        for type_name, object_ids in ids.items()
        for object_id in object_ids
    }
    for space in SPACES:  # single-namespace notes and connectors share ids across spaces
        stored["note:n"] = set(SPACES)
        stored[f"connector:{CONNECTOR_IDS[space]}"] = {space}

    @settings(
        max_examples=80,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        role=st.sampled_from(sorted(ROLES)),
        space=st.sampled_from(SPACES),
        operation=st.sampled_from(["get", "bulk_get", "find", "find_everywhere", "search"]),
        type_name=st.sampled_from(TYPES),
        pick=st.integers(min_value=0, max_value=10),
    )
    def check(role: str, space: str, operation: str, type_name: str, pick: int) -> None:
        client = client_for(start, role, space)
        object_id = ids[type_name][pick % len(ids[type_name])]
        if operation == "get":
            if not allowed(role, "get", type_name, space):
                with pytest.raises(ForbiddenError, match=f"^Unable to get {type_name}"):
                    client.get(type_name, object_id)
                return
            try:
                found = client.get(type_name, object_id)
            except NotFoundError:
                assert space not in stored.get(f"{type_name}:{object_id}", set()) or (
                    type_name == "connector" and object_id != CONNECTOR_IDS[space]
                )
                return
            assert_visible(role, [space], [found], stored)
        elif operation == "bulk_get":
            objects = [{"type": type_name, "id": object_id}, {"type": "note", "id": "n"}]
            types = sorted({type_name, "note"})
            failed = [t for t in types if not allowed(role, "bulk_get", t, space)]
            if failed:  # Kibana names the types that failed, sorted
                with pytest.raises(ForbiddenError, match=f"^Unable to bulk_get {','.join(failed)}"):
                    client.bulk_get(objects)
                return
            result = client.bulk_get(objects)
            assert_visible(role, [space], [o for o in result.saved_objects if not o.error], stored)
        elif operation in ("find", "find_everywhere"):
            namespaces = ["*"] if operation == "find_everywhere" else None
            page = client.find(type=list(TYPES), per_page=100, namespaces=namespaces)
            searched = [s for s in SPACES if may_enter(role, s)] if namespaces else [space]
            assert_visible(role, searched, page.saved_objects, stored)
            expected = {
                key
                for key, real in stored.items()
                if any(s in real and allowed(role, "find", key.split(":")[0], s) for s in searched)
                and not key.endswith(":missing")
            }
            assert {f"{o.type}:{o.id}" for o in page.saved_objects} == expected
        else:
            answer = client.search(
                list(TYPES), {"query": {"match_all": {}}, "size": 100}, namespaces=["*"]
            )
            searched = [s for s in SPACES if may_enter(role, s)]
            for hit in answer["hits"]["hits"]:
                source = hit["_source"]
                real = set(source.get("namespaces") or [source.get("namespace", "default")])
                real.discard("?")
                type_of = source["type"]
                assert any(allowed(role, "find", type_of, s) for s in searched), (role, hit)
                if type_of == "connector":
                    assert "apiKey" not in source["connector"]

    check()


def test_writes_need_the_write_privilege_in_the_active_space(
    start: SavedObjectsServiceStart, audit: Audit
) -> None:
    seed(start)
    internal = start.create_internal_repository()
    for role in sorted(ROLES):
        for space in SPACES:
            client = client_for(start, role, space)
            object_id = f"w-{role}-{space}"
            if allowed(role, "create", "dashboard", space):
                client.create("dashboard", {"title": "new"}, id=object_id)
                client.update("dashboard", object_id, {"title": "changed"})
                changed = internal.get("dashboard", object_id, namespace=space)
                assert changed.attributes == {"title": "changed"}
                client.delete("dashboard", object_id)
                with pytest.raises(NotFoundError):
                    internal.get("dashboard", object_id, namespace=space)
                continue
            with pytest.raises(ForbiddenError, match=r"^Unable to create dashboard"):
                client.create("dashboard", {"title": "new"}, id=object_id)
            with pytest.raises(NotFoundError):
                internal.get("dashboard", object_id, namespace=space)
            # 403, not 404, for an object that exists and for one that does not
            with pytest.raises(ForbiddenError, match=r"^Unable to update dashboard"):
                client.update("dashboard", f"d-{space}", {"title": "defaced"})
            with pytest.raises(ForbiddenError, match=r"^Unable to delete dashboard"):
                client.delete("dashboard", "missing")
            got = internal.get("dashboard", f"d-{space}", namespace=space)
            assert got.attributes == {"title": f"dashboard of {space}"}
    failures = [e for e in audit.events if e["event"]["outcome"] == "failure"]
    assert failures
    assert all(e["error"]["message"].startswith("Unable to ") for e in failures)
    assert {e["event"]["action"] for e in failures} >= {
        "saved_object_create",
        "saved_object_update",
        "saved_object_delete",
    }


def test_audit_records_per_operation_and_outcome(
    start: SavedObjectsServiceStart, audit: Audit
) -> None:
    seed(start)
    audit.events.clear()
    request = RequestContext(
        principal=Principal("admin", roles=("admin",), profile_uid="u_admin_0"),
        space_id="s1",
        request_id="req-1",
        session_id="sess-1",
        client_ip="10.0.0.9",
        headers={"x-forwarded-for": "10.1.1.1"},
    )
    client = start.get_scoped_client(request)
    client.create("dashboard", {"title": "audited"}, id="a1")
    client.get("dashboard", "a1")
    client.find(type="dashboard", search="audited", search_fields=["title"])
    client.delete("dashboard", "a1")
    with pytest.raises(ForbiddenError):
        client_for(start, "s1_reader", "s1").delete("dashboard", "d-s1")
    seen = [(e["event"]["action"], e["event"]["outcome"]) for e in audit.events]
    assert seen == [
        ("saved_object_create", "unknown"),
        ("saved_object_get", "unknown"),
        ("saved_object_find", "success"),
        ("saved_object_delete", "unknown"),
        ("saved_object_delete", "failure"),
    ]
    first = audit.events[0]
    assert first["message"] == "User is creating dashboard [id=a1]"
    assert first["kibana"]["space_id"] == "s1"
    assert first["kibana"]["session_id"] == "sess-1"
    assert first["kibana"]["saved_object"] == {"type": "dashboard", "id": "a1"}
    assert first["user"] == {"id": "u_admin_0", "name": "admin", "roles": ["admin"]}
    assert first["trace"] == {"id": "req-1"}
    assert first["client"] == {"ip": "10.0.0.9"}
    assert first["http"]["request"]["headers"]["x-forwarded-for"] == "10.1.1.1"
    assert audit.events[-1]["error"]["message"] == "Unable to delete dashboard"


def test_secrets_are_ciphertext_at_rest_and_stripped_on_read(
    start: SavedObjectsServiceStart,
) -> None:
    seed(start)
    connector_id = CONNECTOR_IDS["s1"]
    raw = start.create_internal_repository().get("connector", connector_id, namespace="s1")
    assert raw.attributes["apiKey"] != "key-s1"
    assert len(raw.attributes["apiKey"]) > 100  # salt, iv, tag and ciphertext, base64
    read = client_for(start, "admin", "s1").get("connector", connector_id)
    assert read.attributes == {"title": "hook"}  # not exposed: stripped, never decrypted
    assert read.error is None


def test_import_and_export_pass_the_same_checks(
    start: SavedObjectsServiceStart, audit: Audit
) -> None:
    """The exporter reads through the client (audited, in its space); the importer's
    conflict check is authorized like any bulk_create, so a reader cannot import."""
    seed(start)
    audit.events.clear()
    reader = client_for(start, "s1_reader", "s1")
    lines = list(start.create_exporter(reader).export_by_types(["note"]))
    assert next(line for line in lines if '"type":"note"' in line).count('"id":"n"') == 1
    assert {e["event"]["action"] for e in audit.events} == {
        "saved_object_open_point_in_time",
        "saved_object_find",
        "saved_object_close_point_in_time",
    }
    assert {e["kibana"]["space_id"] for e in audit.events} == {"s1"}
    with pytest.raises(ForbiddenError, match=r"^Unable to bulk_create note"):
        start.create_importer(reader).import_([line + "\n" for line in lines])
    writer = client_for(start, "admin", "s2")
    result = start.create_importer(writer).import_([line + "\n" for line in lines], overwrite=True)
    assert result["success"] is True
    note = start.create_internal_repository().get("note", "n", namespace="s2")
    assert note.attributes == {"title": "note in s1"}


def test_search_through_the_client_is_authorized_redacted_and_decrypted(
    start: SavedObjectsServiceStart, audit: Audit
) -> None:
    seed(start)
    dashboards = client_for(start, "s2_dashboards", "s2")
    answer = dashboards.search(
        list(TYPES),
        {"size": 100, "aggs": {"types": {"terms": {"field": "type"}}}},
        namespaces=["*"],
    )
    hits = {hit["_id"]: hit["_source"] for hit in answer["hits"]["hits"]}
    assert sorted(hits) == ["dashboard:d-s2", "dashboard:shared"]
    assert hits["dashboard:shared"]["namespaces"] == ["s2", "?"]  # s1 is not hers to see
    buckets = answer["aggregations"]["types"]["buckets"]
    assert buckets == [{"key": "dashboard", "doc_count": 2}]
    assert {e["event"]["action"] for e in audit.events} >= {"saved_object_find"}

    admin = client_for(start, "admin", "s1")
    connector = admin.search("connector", {})["hits"]["hits"][0]["_source"]["connector"]
    assert connector == {"title": "hook"}  # the secret is stripped, never ciphertext
    narrowed = admin.search("connector", {"_source": ["connector.apiKey", "connector.title"]})
    assert narrowed["hits"]["hits"][0]["_source"]["connector"] == {"title": "hook"}

    nobody = client_for(start, "nobody", "s1")
    assert nobody.search(list(TYPES), {"size": 100})["hits"]["hits"] == []


def test_write_restriction_limits_writes_not_reads(
    kbn_engine: Engine, kbn_index_prefix: str
) -> None:
    """An owner's ``write_restricted`` object stays readable by everyone who may read its
    type (Kibana's get passes no access control to the extension), and the owner changes
    its mode in the space of the request."""
    service = SavedObjectsService(
        kbn_engine, config=RepositoryConfig(default_index=f"{kbn_index_prefix}-ac", refresh=True)
    )
    service.setup().register_type(
        SavedObjectsType(
            name="dashboard",
            namespace_type="multiple",
            mappings={"properties": {"title": {"type": "text"}}},
            supports_access_control=True,
        )
    )
    privileges = RolePrivileges({"editor": {"s1": ["all"]}, "reader": {"s1": ["read"]}})
    enable_spaces(service, searchable_spaces=searchable_spaces_filter(privileges))
    enable_security(service, privileges)
    start = service.start()
    start.create_internal_repository().setup_indices()
    spaces = SpacesClient(start.create_internal_repository(["space"]))
    spaces.ensure_default_space()
    spaces.create(Space(id="s1", name="S1"))

    def client(user: str, role: str) -> SavedObjectsClient:
        principal = Principal(user, roles=(role,), profile_uid=f"u_{user}_0")
        return start.get_scoped_client(RequestContext(principal=principal, space_id="s1"))

    alice, bob, rita = client("alice", "editor"), client("bob", "editor"), client("rita", "reader")
    created = alice.create("dashboard", {"title": "mine"}, id="d")
    assert created.access_control == {"owner": "u_alice_0", "accessMode": "default"}
    assert created.created_by == created.updated_by == "u_alice_0"  # the request's user
    answer = alice.change_access_mode(
        [{"type": "dashboard", "id": "d"}], access_mode="write_restricted"
    )
    assert [entry.error for entry in answer.objects] == [None]
    assert rita.get("dashboard", "d").attributes == {"title": "mine"}
    assert bob.get("dashboard", "d").access_control == {
        "owner": "u_alice_0",
        "accessMode": "write_restricted",
    }
    assert [o.error for o in bob.bulk_get([{"type": "dashboard", "id": "d"}]).saved_objects] == [
        None
    ]
    with pytest.raises(ForbiddenError):
        bob.update("dashboard", "d", {"title": "bob's"})
    bob.create("dashboard", {"title": "his"}, id="e")
    result = bob.bulk_update(
        [
            {"type": "dashboard", "id": "d", "attributes": {"title": "x"}},
            {"type": "dashboard", "id": "e", "attributes": {"title": "his, changed"}},
        ]
    )
    held_back, changed = result.saved_objects
    assert held_back.error is not None
    assert held_back.error["statusCode"] == 403
    assert changed.error is None
    with pytest.raises(ForbiddenError, match="Access control restrictions"):
        bob.bulk_update([{"type": "dashboard", "id": "d", "attributes": {"title": "x"}}])
    changed = bob.update("dashboard", "e", {"title": "his, again"})
    assert changed.updated_by == "u_bob_0"
    alice.update("dashboard", "d", {"title": "still mine"})


def test_an_import_makes_the_importer_the_owner(kbn_engine: Engine, kbn_index_prefix: str) -> None:
    """Access-control metadata in the file is dropped (spec 08 §4.5): the importing user
    owns what they import, whoever the file says owned it."""
    service = SavedObjectsService(
        kbn_engine, config=RepositoryConfig(default_index=f"{kbn_index_prefix}-aci", refresh=True)
    )
    service.setup().register_type(
        SavedObjectsType(
            name="dashboard",
            namespace_type="multiple",
            mappings={"properties": {"title": {"type": "text"}}},
            supports_access_control=True,
            management=SavedObjectsTypeManagement(importable_and_exportable=True),
        )
    )
    enable_security(service, RolePrivileges({"editor": {"*": ["all"]}}))
    start = service.start()
    start.create_internal_repository().setup_indices()
    carol = start.get_scoped_client(
        RequestContext(principal=Principal("carol", roles=("editor",), profile_uid="u_carol_0"))
    )
    line = (
        '{"type":"dashboard","id":"imported","attributes":{"title":"t"},"references":[],'
        '"accessControl":{"owner":"u_mallory_0","accessMode":"write_restricted"}}\n'
    )
    result = start.create_importer(carol).import_([line])
    assert result["success"] is True, result
    stored = carol.get("dashboard", "imported")
    assert stored.access_control == {"owner": "u_carol_0", "accessMode": "default"}
