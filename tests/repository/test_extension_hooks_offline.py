"""Where every operation calls its extensions, driven with canned answers (spec 08 §1.3).

The recording extensions (``recording_extensions.py``) log each hook and its arguments
in the same list as the engine requests, so each test reads the order Kibana's
``apis/*.ts`` call them in: spaces first, authorization after the preflight reads and
before any 404/409, encryption just before the write, decryption then redaction of
everything returned.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

import orjson
import pytest

from kbn_saved_objects.engine.flavors import EngineInfo
from kbn_saved_objects.errors import (
    BadRequestError,
    EngineUnavailableError,
    ForbiddenError,
    NotFoundError,
)
from kbn_saved_objects.repository.config import RepositoryConfig
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.extensions import (
    AuthorizationResult,
    AuthorizationStatus,
    AuthorizationTypeEntry,
    EncryptionDescriptor,
    RepositoryExtensions,
)
from kbn_saved_objects.repository.helpers.extensions import find_type_to_namespaces
from kbn_saved_objects.repository.operations.bulk_create import bulk_create
from kbn_saved_objects.repository.operations.bulk_delete import bulk_delete
from kbn_saved_objects.repository.operations.bulk_get import bulk_get
from kbn_saved_objects.repository.operations.bulk_update import bulk_update
from kbn_saved_objects.repository.operations.check_conflicts import check_conflicts
from kbn_saved_objects.repository.operations.collect_multi_namespace_references import (
    collect_multi_namespace_references,
)
from kbn_saved_objects.repository.operations.create import create
from kbn_saved_objects.repository.operations.delete import delete
from kbn_saved_objects.repository.operations.delete_by_namespace import delete_by_namespace
from kbn_saved_objects.repository.operations.disable_legacy_url_aliases import (
    disable_legacy_url_aliases,
)
from kbn_saved_objects.repository.operations.find import find
from kbn_saved_objects.repository.operations.get import get
from kbn_saved_objects.repository.operations.increment_counter import increment_counter
from kbn_saved_objects.repository.operations.point_in_time import (
    close_point_in_time,
    open_point_in_time_for_type,
)
from kbn_saved_objects.repository.operations.remove_references_to import remove_references_to
from kbn_saved_objects.repository.operations.resolve import bulk_resolve, resolve
from kbn_saved_objects.repository.operations.update import update
from kbn_saved_objects.repository.operations.update_objects_spaces import update_objects_spaces
from kbn_saved_objects.types import SavedObjectsType, SavedObjectTypeRegistry, legacy_url_alias_type
from tests.repository.conftest import AGNOSTIC, MULTIPLE, NAMESPACE_TYPES, SINGLE, TITLE_MAPPINGS
from tests.repository.recording_extensions import (
    Entry,
    RecordingEncryption,
    RecordingSecurity,
    RecordingSpaces,
    entry,
    everywhere,
    names,
    requests_in,
    run_logged,
)

NOW = "2024-05-01T10:00:00.000Z"
OWNED = "owned"
UID = "0b7cb0c6-9d2c-4d5e-8a5b-4a1b7f3b8f11"


def _registry() -> SavedObjectTypeRegistry:
    registry = SavedObjectTypeRegistry()
    for name, namespace_type in NAMESPACE_TYPES.items():
        registry.register(
            SavedObjectsType(
                name=name,
                namespace_type=namespace_type,  # type: ignore[arg-type]
                mappings=TITLE_MAPPINGS,
            )
        )
    registry.register(
        SavedObjectsType(
            name=OWNED,
            namespace_type="multiple",
            mappings=TITLE_MAPPINGS,
            supports_access_control=True,
        )
    )
    registry.register(legacy_url_alias_type)
    return registry.freeze()


REGISTRY = _registry()


class Hooks:
    """One log, the three recorders writing to it, and contexts that carry them."""

    def __init__(self) -> None:
        self.log: list[Entry] = []
        self.security = RecordingSecurity(self.log, type_map=everywhere(SINGLE, MULTIPLE, OWNED))
        self.encryption = RecordingEncryption(self.log, frozenset({SINGLE, MULTIPLE}))
        self.spaces = RecordingSpaces(self.log)

    def context(
        self, *, security: bool = True, encryption: bool = True, spaces: bool = True
    ) -> RepositoryContext:
        config = RepositoryConfig(default_index="offline-so", index_suffix="_1", clock=lambda: NOW)
        return RepositoryContext(
            REGISTRY,
            config,
            EngineInfo("opensearch", "2.19.0"),
            extensions=RepositoryExtensions(
                security=self.security if security else None,
                encryption=self.encryption if encryption else None,
                spaces=self.spaces if spaces else None,
            ),
        )


@pytest.fixture
def hooks() -> Hooks:
    return Hooks()


def doc(
    type_name: str, object_id: str, *, namespaces: list[str] | None = None, **attributes: Any
) -> dict[str, Any]:
    source: dict[str, Any] = {"type": type_name, type_name: attributes or {"title": "t"}}
    if namespaces is not None:
        source["namespaces"] = namespaces
    raw_id = f"{type_name}:{object_id}"
    return {"found": True, "_id": raw_id, "_seq_no": 3, "_primary_term": 1, "_source": source}


MISSING: dict[str, Any] = {"found": False}
WRITTEN = {"result": "created", "_seq_no": 4, "_primary_term": 1}


def bulk_items(*actions: str) -> dict[str, Any]:
    return {
        "items": [{action: {"status": 200, "_seq_no": 4, "_primary_term": 1}} for action in actions]
    }


# --- get ---------------------------------------------------------------------------


def test_get_authorizes_after_the_read_then_decrypts_and_redacts(hooks: Hooks) -> None:
    hooks.security.visible_spaces = ("default",)
    stored = doc(
        MULTIPLE, "x", namespaces=["default", "b"], title="t", secret="enc:None/shared/x:s"
    )
    result, _ = run_logged(get(hooks.context(), MULTIPLE, "x", {}), [stored], hooks.log)
    assert names(hooks.log) == [
        "get_current_namespace",
        "request:get",
        "authorize_get",
        "decrypt",
        "redact",
    ]
    checked = entry(hooks.log, "authorize_get")
    assert checked["namespace"] == "default"
    assert checked["not_found"] is False
    assert checked["obj"].existing_namespaces == ("default", "b")
    assert checked["obj"].name == "t"
    assert result.attributes["secret"] == "s"
    assert result.namespaces == ["default", "?"]


def test_get_refuses_an_unauthorized_caller_before_saying_not_found(hooks: Hooks) -> None:
    hooks.security.refuse = {"get"}
    with pytest.raises(ForbiddenError, match="Unable to get shared"):
        run_logged(get(hooks.context(), MULTIPLE, "x", {}), [MISSING], hooks.log)
    assert entry(hooks.log, "authorize_get")["not_found"] is True


def test_get_tells_the_extension_a_missing_object_then_is_404(hooks: Hooks) -> None:
    with pytest.raises(NotFoundError):
        run_logged(get(hooks.context(), MULTIPLE, "x", {}), [MISSING], hooks.log)
    assert names(hooks.log)[-1] == "authorize_get"


def test_the_active_space_comes_from_the_spaces_extension(hooks: Hooks) -> None:
    hooks.spaces.active = "a"
    with pytest.raises(NotFoundError):
        run_logged(get(hooks.context(), SINGLE, "x", {}), [MISSING], hooks.log)
    assert requests_in(hooks.log)[0].path.endswith("/_doc/a%3Aisolated%3Ax")
    assert entry(hooks.log, "authorize_get")["namespace"] == "a"
    with pytest.raises(BadRequestError, match="Namespace cannot be specified"):
        run_logged(get(hooks.context(), SINGLE, "x", {"namespace": "b"}), [], [])


def test_a_scoped_context_scopes_the_spaces_extension(hooks: Hooks) -> None:
    scoped = hooks.context().scoped_to("b")
    with pytest.raises(NotFoundError):
        run_logged(get(scoped, SINGLE, "x", {}), [MISSING], hooks.log)
    assert ("as_scoped_to_namespace", "b") in hooks.log
    assert requests_in(hooks.log)[0].path.endswith("/_doc/b%3Aisolated%3Ax")


# --- create ------------------------------------------------------------------------


def test_create_authorizes_after_the_preflight_and_encrypts_before_the_write(hooks: Hooks) -> None:
    attributes = {"title": "t", "secret": "s"}
    result, sent = run_logged(
        create(hooks.context(), MULTIPLE, attributes, {"id": UID}),
        [{"docs": [MISSING, MISSING]}, WRITTEN],
        hooks.log,
    )
    assert names(hooks.log) == [
        "get_current_namespace",
        "request:mget",
        "authorize_create",
        "encrypt",
        "request:write",
        "decrypt",
        "redact",
    ]
    descriptor, encrypted = entry(hooks.log, "encrypt")
    # multi-namespace types bind no namespace (Kibana passes the single-namespace one)
    assert descriptor == EncryptionDescriptor(MULTIPLE, UID, None)
    assert encrypted == attributes
    body = orjson.loads(sent[-1].body or b"")
    assert body[MULTIPLE]["secret"] == f"enc:None/shared/{UID}:s"
    assert entry(hooks.log, "decrypt") == (UID, attributes)  # the caller's plaintext
    assert result.attributes == attributes


def test_create_binds_a_single_namespace_object_to_its_space(hooks: Hooks) -> None:
    hooks.spaces.active = "a"
    run_logged(create(hooks.context(), SINGLE, {"secret": "s"}, {}), [WRITTEN], hooks.log)
    descriptor, _ = entry(hooks.log, "encrypt")
    assert (descriptor.type, descriptor.namespace) == (SINGLE, "a")
    uuid.UUID(descriptor.id)  # a generated id is a UUID


def test_create_403_comes_before_the_409(hooks: Hooks) -> None:
    hooks.security.refuse = {"create"}
    taken = doc(MULTIPLE, UID, namespaces=["b"])  # not in this space: a conflict
    with pytest.raises(ForbiddenError):
        run_logged(
            create(hooks.context(), MULTIPLE, {}, {"id": UID}),
            [{"docs": [taken, MISSING]}],
            hooks.log,
        )
    assert "encrypt" not in names(hooks.log)


def test_create_refuses_a_predefined_id_for_an_encrypted_type(hooks: Hooks) -> None:
    with pytest.raises(BadRequestError, match="Predefined IDs are not allowed"):
        run_logged(create(hooks.context(), SINGLE, {}, {"id": "mine"}), [], hooks.log)
    hooks.encryption.enforce_random_id = False
    run_logged(create(hooks.context(), SINGLE, {}, {"id": "mine"}), [WRITTEN], hooks.log)
    hooks.encryption.enforce_random_id = True
    version = "WzMsMV0="  # an overwrite of a known version may keep its id
    _, sent = run_logged(
        create(hooks.context(), SINGLE, {}, {"id": "mine", "overwrite": True, "version": version}),
        [WRITTEN],
        hooks.log,
    )
    assert sent[-1].method == "PUT"
    # a type without encrypted attributes keeps any id
    run_logged(create(hooks.context(), AGNOSTIC, {}, {"id": "mine"}), [WRITTEN], hooks.log)


def test_create_stores_the_current_user_as_owner(hooks: Hooks) -> None:
    run_logged(
        create(
            hooks.context(),
            OWNED,
            {"title": "t"},
            {"access_control": {"accessMode": "write_restricted"}},
        ),
        [WRITTEN],
        hooks.log,
    )
    checked = entry(hooks.log, "authorize_create")["objects"][0]
    assert checked.access_control == {"owner": "u_u_0", "accessMode": "write_restricted"}


def test_create_access_mode_errors(hooks: Hooks) -> None:
    hooks.security.user = None
    with pytest.raises(BadRequestError, match="could not determine the user profile ID"):
        run_logged(
            create(
                hooks.context(), OWNED, {}, {"access_control": {"accessMode": "write_restricted"}}
            ),
            [],
            hooks.log,
        )
    with pytest.raises(BadRequestError, match='The "accessMode" field is not supported'):
        run_logged(
            create(hooks.context(), AGNOSTIC, {}, {"access_control": {"accessMode": "default"}}),
            [],
            hooks.log,
        )
    assert "authorize_create" not in names(hooks.log)


# --- bulk_create -------------------------------------------------------------------


def test_bulk_create_order_and_per_object_403(hooks: Hooks) -> None:
    hooks.security.inaccessible = frozenset({(OWNED, "o")})
    objects: list[Any] = [
        {"type": MULTIPLE, "id": UID, "attributes": {"secret": "s"}},
        {"type": OWNED, "id": "o", "attributes": {"title": "t"}},
        {"type": SINGLE, "attributes": {"secret": "z"}},
    ]
    result, sent = run_logged(
        bulk_create(hooks.context(), objects, {"overwrite": True}),
        [{"docs": [MISSING] * 4}, bulk_items("index", "create")],
        hooks.log,
    )
    assert names(hooks.log) == [
        "get_current_namespace",
        "request:mget",
        "authorize_create",
        "encrypt",
        "encrypt",
        "request:bulk",
        "decrypt",
        "redact",
        "decrypt",
        "redact",
    ]
    # the preflight reads the stored access control for the extension
    assert "accessControl" in orjson.loads(sent[0].body or b"")["docs"][0]["_source"]
    descriptors = [value[0] for name, value in hooks.log if name == "encrypt"]
    assert [(d.type, d.namespace) for d in descriptors] == [(MULTIPLE, None), (SINGLE, None)]
    checked = entry(hooks.log, "authorize_create")["objects"]
    assert [(c.type, c.id) for c in checked][:2] == [(MULTIPLE, UID), (OWNED, "o")]
    assert checked[1].access_control == {"owner": "u_u_0", "accessMode": "default"}
    forbidden = result.saved_objects[1].error
    assert forbidden is not None
    assert forbidden["statusCode"] == 403
    assert forbidden["message"] == (
        'Overwriting objects in "write_restricted" mode that are owned by another user '
        'requires the "manage_access_control" privilege.'
    )
    assert result.saved_objects[0].attributes == {"secret": "s"}
    assert result.saved_objects[2].attributes == {"secret": "z"}
    assert len(orjson.loads(b"[" + (sent[-1].body or b"").strip().replace(b"\n", b",") + b"]")) == 4


def test_bulk_create_refused_whole_call(hooks: Hooks) -> None:
    hooks.security.refuse = {"bulk_create"}
    with pytest.raises(ForbiddenError, match="Unable to bulk_create isolated"):
        run_logged(
            bulk_create(hooks.context(), [{"type": SINGLE, "attributes": {}}], {}), [], hooks.log
        )


def test_bulk_create_predefined_id_is_a_per_object_400(hooks: Hooks) -> None:
    objects: list[Any] = [{"type": SINGLE, "id": "mine", "attributes": {}}]
    result, sent = run_logged(bulk_create(hooks.context(), objects, {}), [], hooks.log)
    assert sent == []
    error = result.saved_objects[0].error
    assert error is not None
    assert error["statusCode"] == 400
    assert "Predefined IDs" in error["message"]


def test_bulk_create_access_mode_without_a_user_is_a_400_entry(hooks: Hooks) -> None:
    hooks.security.user = None
    objects: list[Any] = [
        {"type": OWNED, "attributes": {}, "access_control": {"accessMode": "default"}}
    ]
    result, _ = run_logged(bulk_create(hooks.context(), objects, {}), [], hooks.log)
    error = result.saved_objects[0].error
    assert error is not None
    assert "with an access mode" in error["message"]


# --- bulk_get ----------------------------------------------------------------------


def test_bulk_get_authorizes_all_then_decrypts_each_found(hooks: Hooks) -> None:
    objects: list[Any] = [
        {"type": MULTIPLE, "id": "x", "namespaces": ["*"]},
        {"type": SINGLE, "id": "y"},
        {"type": "unknown", "id": "z"},
    ]
    found = doc(MULTIPLE, "x", namespaces=["a"], secret="enc:..:s")
    result, _ = run_logged(
        bulk_get(hooks.context(), objects, {}), [{"docs": [found, MISSING]}], hooks.log
    )
    assert names(hooks.log) == [
        "get_current_namespace",
        "get_searchable_namespaces",
        "request:mget",
        "authorize_bulk_get",
        "decrypt",
        "redact",
    ]
    checked = entry(hooks.log, "authorize_bulk_get")["objects"]
    assert [(c.type, c.error) for c in checked] == [
        (MULTIPLE, False),
        (SINGLE, True),
        ("unknown", True),
    ]
    assert checked[0].object_namespaces == ("default", "a", "b")
    assert checked[0].existing_namespaces == ("a",)
    assert result.saved_objects[0].attributes["secret"] == "s"


def test_bulk_get_star_for_a_caller_who_may_search_no_space(hooks: Hooks) -> None:
    hooks.spaces.forbidden = True
    hooks.spaces.reads = True  # the sub-operation's own request goes through the driver
    objects: list[Any] = [{"type": MULTIPLE, "id": "x", "namespaces": ["*"]}]
    run_logged(bulk_get(hooks.context(), objects, {}), [{}, {"docs": [MISSING]}], hooks.log)
    assert names(hooks.log)[:4] == [
        "get_current_namespace",
        "get_searchable_namespaces",
        "request:get",
        "request:mget",
    ]
    assert entry(hooks.log, "authorize_bulk_get")["objects"][0].object_namespaces == ("default",)


def test_bulk_get_refused(hooks: Hooks) -> None:
    hooks.security.refuse = {"bulk_get"}
    with pytest.raises(ForbiddenError):
        run_logged(
            bulk_get(hooks.context(), [{"type": SINGLE, "id": "y"}], {}),
            [{"docs": [MISSING]}],
            hooks.log,
        )


# --- resolve -----------------------------------------------------------------------


def test_resolve_decrypts_then_authorizes_and_redacts(hooks: Hooks) -> None:
    alias_missing = {
        "items": [{"update": {"status": 404, "error": {"type": "document_missing_exception"}}}]
    }
    found = doc(SINGLE, "x", secret="enc:..:s")
    result, _ = run_logged(
        resolve(hooks.context(), SINGLE, "x", {}), [alias_missing, {"docs": [found]}], hooks.log
    )
    assert names(hooks.log) == [
        "get_current_namespace",
        "request:bulk",
        "request:mget",
        "decrypt",
        "authorize_bulk_resolve",
    ]
    assert result.saved_object.attributes["secret"] == "s"


def test_resolve_403_before_the_404(hooks: Hooks) -> None:
    hooks.security.refuse = {"bulk_get"}
    alias_missing = {"items": [{"update": {"status": 404, "error": {"type": "x"}}}]}
    with pytest.raises(ForbiddenError):
        run_logged(
            resolve(hooks.context(), SINGLE, "x", {}),
            [alias_missing, {"docs": [MISSING]}],
            hooks.log,
        )
    hooks.security.refuse = set()
    with pytest.raises(NotFoundError):
        run_logged(
            resolve(hooks.context(), SINGLE, "x", {}),
            [alias_missing, {"docs": [MISSING]}],
            hooks.log,
        )


def test_bulk_resolve_gives_the_extension_kibanas_public_entries(hooks: Hooks) -> None:
    alias_missing = {"items": [{"update": {"status": 404, "error": {"type": "x"}}}]}
    objects: list[Any] = [{"type": SINGLE, "id": "x"}, {"type": "unknown", "id": "u"}]
    run_logged(
        bulk_resolve(hooks.context(), objects, {}), [alias_missing, {"docs": [MISSING]}], hooks.log
    )
    results = entry(hooks.log, "authorize_bulk_resolve")["results"]
    assert [(r.saved_object.type, r.saved_object.error["statusCode"]) for r in results] == [
        (SINGLE, 404),
        ("unknown", 400),
    ]


# --- update ------------------------------------------------------------------------


def test_update_encrypts_only_the_supplied_attributes(hooks: Hooks) -> None:
    hooks.spaces.active = "a"
    stored = doc(SINGLE, "x", title="old", secret="enc:a/isolated/x:old")
    stored["_id"] = "a:isolated:x"
    stored["_source"]["namespace"] = "a"
    result, sent = run_logged(
        update(hooks.context(), SINGLE, "x", {"secret": "new"}, {}), [stored, WRITTEN], hooks.log
    )
    assert names(hooks.log) == [
        "get_current_namespace",
        "request:get",
        "authorize_update",
        "encrypt",
        "request:write",
        "decrypt",
        "redact",
    ]
    descriptor, supplied = entry(hooks.log, "encrypt")
    assert (descriptor, supplied) == (EncryptionDescriptor(SINGLE, "x", "a"), {"secret": "new"})
    checked = entry(hooks.log, "authorize_update")["objects"][0]
    assert (checked.object_namespace, checked.name) == ("a", "old")
    body = orjson.loads(sent[-1].body or b"")
    assert body[SINGLE] == {"title": "old", "secret": "enc:a/isolated/x:new"}
    assert result.attributes == {"secret": "new"}


def test_update_403_for_a_missing_object(hooks: Hooks) -> None:
    hooks.security.refuse = {"update"}
    with pytest.raises(ForbiddenError):
        run_logged(update(hooks.context(), SINGLE, "x", {}, {}), [MISSING], hooks.log)


def test_upsert_encrypts_the_whole_upsert(hooks: Hooks) -> None:
    upsert = {"title": "t", "secret": "s"}
    run_logged(
        update(hooks.context(), SINGLE, "x", {"ignored": 1}, {"upsert": upsert}),
        [MISSING, WRITTEN],
        hooks.log,
    )
    assert entry(hooks.log, "encrypt")[1] == upsert
    assert entry(hooks.log, "decrypt") == ("x", upsert)


# --- bulk_update -------------------------------------------------------------------


def test_bulk_update_authorizes_after_the_mget_with_per_object_403(hooks: Hooks) -> None:
    hooks.security.inaccessible = frozenset({(OWNED, "o")})
    objects: list[Any] = [
        {"type": SINGLE, "id": "x", "attributes": {"secret": "n"}, "namespace": "b"},
        {"type": OWNED, "id": "o", "attributes": {"title": "t"}},
        {"type": SINGLE, "id": "gone", "attributes": {}},
    ]
    x = doc(SINGLE, "x")
    x["_id"] = "b:isolated:x"
    x["_source"]["namespace"] = "b"
    result, _ = run_logged(
        bulk_update(hooks.context(), objects, {}),
        [{"docs": [x, doc(OWNED, "o", namespaces=["default"]), MISSING]}, bulk_items("index")],
        hooks.log,
    )
    assert names(hooks.log) == [
        "get_current_namespace",
        "request:mget",
        "authorize_update",
        "encrypt",
        "request:bulk",
        "decrypt",
        "redact",
    ]
    checked = entry(hooks.log, "authorize_update")["objects"]
    assert [(c.id, c.object_namespace) for c in checked] == [
        ("x", "b"),
        ("o", None),
        ("gone", None),
    ]
    assert entry(hooks.log, "encrypt")[0] == EncryptionDescriptor(SINGLE, "x", "b")
    errors = [o.error and o.error["statusCode"] for o in result.saved_objects]
    assert errors == [None, 403, 404]
    assert result.saved_objects[1].error["message"].startswith("Updating objects")  # type: ignore[index]


# --- delete and bulk_delete ---------------------------------------------------------


def test_delete_authorizes_before_the_namespace_check(hooks: Hooks) -> None:
    stored = doc(MULTIPLE, "x", namespaces=["default"], title="t")
    stored["_source"]["accessControl"] = {"owner": "u_x_0", "accessMode": "write_restricted"}
    run_logged(
        delete(hooks.context(encryption=False), MULTIPLE, "x", {}),
        [stored, {"result": "deleted"}, {"updated": 0}],
        hooks.log,
    )
    assert names(hooks.log) == [
        "get_current_namespace",
        "request:get",
        "authorize_delete",
        "request:delete",
        "request:update_by_query",
    ]
    checked = entry(hooks.log, "authorize_delete")["objects"][0]
    assert (checked.name, checked.access_control["accessMode"]) == ("t", "write_restricted")


def test_delete_403_for_a_missing_single_namespace_object(hooks: Hooks) -> None:
    hooks.security.refuse = {"delete"}
    with pytest.raises(ForbiddenError):
        run_logged(delete(hooks.context(), SINGLE, "x", {}), [MISSING], hooks.log)


def test_bulk_delete_per_object_403(hooks: Hooks) -> None:
    hooks.security.inaccessible = frozenset({(MULTIPLE, "o")})
    objects: list[Any] = [{"type": MULTIPLE, "id": "o"}, {"type": SINGLE, "id": "s"}]
    result, sent = run_logged(
        bulk_delete(hooks.context(), objects, {}),
        [
            {"docs": [doc(MULTIPLE, "o", namespaces=["default"])]},
            {"items": [{"delete": {"result": "deleted", "status": 200}}]},
        ],
        hooks.log,
    )
    assert names(hooks.log) == [
        "get_current_namespace",
        "request:mget",
        "authorize_delete",
        "request:bulk",
    ]
    assert orjson.loads(sent[0].body or b"")["docs"][0]["_source"] == [
        "type",
        "namespace",
        "namespaces",
        "accessControl",
        "shared.name",
        "shared.title",
    ]
    assert [s.error and s.error["statusCode"] for s in result.statuses] == [403, None]
    assert result.statuses[0].error["message"].startswith("Deleting objects")  # type: ignore[index]


# --- the rest ----------------------------------------------------------------------


def test_check_conflicts_authorizes_before_reading(hooks: Hooks) -> None:
    objects: list[Any] = [{"type": SINGLE, "id": "x"}, {"type": "unknown", "id": "u"}]
    run_logged(check_conflicts(hooks.context(), objects, {}), [{"docs": [MISSING]}], hooks.log)
    assert names(hooks.log) == [
        "get_current_namespace",
        "authorize_check_conflicts",
        "request:mget",
    ]
    assert [o.type for o in entry(hooks.log, "authorize_check_conflicts")["objects"]] == [SINGLE]


def test_remove_references_to_authorizes_before_the_update_by_query(hooks: Hooks) -> None:
    run_logged(remove_references_to(hooks.context(), SINGLE, "x", {}), [{"updated": 1}], hooks.log)
    assert names(hooks.log) == [
        "get_current_namespace",
        "authorize_remove_references",
        "request:update_by_query",
    ]


def test_update_objects_spaces_authorizes_after_the_mget(hooks: Hooks) -> None:
    hooks.security.refuse = {"share_to_space"}
    with pytest.raises(ForbiddenError):
        run_logged(
            update_objects_spaces(hooks.context(), [{"type": MULTIPLE, "id": "x"}], ["a"], [], {}),
            [{"docs": [MISSING]}],
            hooks.log,
        )
    assert names(hooks.log) == ["get_current_namespace", "request:mget", "authorize_update_spaces"]
    checked = entry(hooks.log, "authorize_update_spaces")
    assert (checked["add"], checked["remove"]) == (["a"], [])


def test_collect_references_filters_through_security_and_searches_without_hooks(
    hooks: Hooks,
) -> None:
    found = doc(MULTIPLE, "x", namespaces=["default", "b"])
    found["_source"]["references"] = []
    pit = {"pit_id": "p", "id": "p"}
    no_hits = {"hits": {"total": 0, "hits": []}}
    result, _ = run_logged(
        collect_multi_namespace_references(hooks.context(), [{"type": MULTIPLE, "id": "x"}], {}),
        [{"docs": [found]}, pit, no_hits, {}, pit, no_hits, {}],
        hooks.log,
    )
    hook_names = [n for n in names(hooks.log) if not n.startswith("request:")]
    assert hook_names == ["get_current_namespace", "authorize_multi_namespace_references"]
    given = entry(hooks.log, "authorize_multi_namespace_references")["objects"]
    assert given == [
        {"type": MULTIPLE, "id": "x", "spaces": ["default", "b"], "inboundReferences": []}
    ]
    requested = entry(hooks.log, "authorize_multi_namespace_references")["requested"]
    assert requested == [{"type": MULTIPLE, "id": "x"}]
    assert result.objects[0].spaces == ["?", "?"]


def test_disable_legacy_url_aliases_authorizes_the_aliases_only(hooks: Hooks) -> None:
    aliases: list[Any] = [{"target_space": "a", "target_type": MULTIPLE, "source_id": "x"}]
    run_logged(
        disable_legacy_url_aliases(hooks.context(spaces=False), aliases),
        [{"docs": [MISSING]}],
        hooks.log,
    )
    assert names(hooks.log) == ["authorize_disable_legacy_url_aliases", "request:mget"]
    hooks.security.refuse = {"bulk_update"}
    with pytest.raises(ForbiddenError, match="Unable to disable aliases: Unable to bulk_update"):
        run_logged(disable_legacy_url_aliases(hooks.context(spaces=False), aliases), [], hooks.log)


def test_increment_counter_and_delete_by_namespace_call_no_extension(hooks: Hooks) -> None:
    ctx = hooks.context()
    run_logged(
        increment_counter(ctx, SINGLE, "c", ["n"], {}),
        [
            {
                "_seq_no": 1,
                "_primary_term": 1,
                "get": {"_source": {"type": SINGLE, SINGLE: {"n": 1}}},
            }
        ],
        hooks.log,
    )
    run_logged(delete_by_namespace(ctx, "a", {}), [{"updated": 0}], hooks.log)
    assert [n for n in names(hooks.log) if not n.startswith("request:")] == []


# --- find and point-in-time --------------------------------------------------------


def hit(type_name: str, object_id: str, namespaces: list[str], **attributes: Any) -> dict[str, Any]:
    found = doc(type_name, object_id, namespaces=namespaces, **attributes)
    return {**found, "_score": 1.0, "sort": None}


def test_find_with_partial_authorization(hooks: Hooks) -> None:
    a_only = AuthorizationTypeEntry(authorized_spaces=("a",))
    hooks.security.status = AuthorizationStatus.PARTIALLY_AUTHORIZED
    hooks.security.type_map = {
        SINGLE: {"find": a_only, "login:": a_only},
        MULTIPLE: {"find": AuthorizationTypeEntry(is_globally_authorized=True)},
        AGNOSTIC: {"login:": a_only},  # no find entry: left out of the query
    }
    hooks.security.redact_map = hooks.security.type_map
    hooks.security.visible_spaces = ("a",)
    answer = {"hits": {"total": 1, "hits": [hit(MULTIPLE, "m", ["a", "b"], secret="enc:..:s")]}}
    result, sent = run_logged(
        find(
            hooks.context(), {"type": [SINGLE, MULTIPLE, AGNOSTIC], "namespaces": ["a", "b", "c"]}
        ),
        [answer],
        hooks.log,
    )
    assert names(hooks.log) == [
        "get_searchable_namespaces",
        "authorize_find",
        "request:search",
        "get_find_redact_type_map",
        "decrypt",
        "redact",
    ]
    assert entry(hooks.log, "authorize_find") == {
        "namespaces": ["a", "b"],  # "c" is not a space the caller may search
        "types": [SINGLE, MULTIPLE, AGNOSTIC],
    }
    clauses = orjson.loads(sent[0].body or b"")["query"]["bool"]["filter"][0]["bool"]["should"]
    searched = {c["bool"]["must"][0]["term"]["type"]: c for c in clauses}
    assert set(searched) == {SINGLE, MULTIPLE}  # no find entry, no clause: AGNOSTIC is gone
    assert searched[SINGLE]["bool"]["should"] == [{"terms": {"namespace": ["a"]}}]
    assert searched[MULTIPLE]["bool"]["must"][1] == {"terms": {"namespaces": ["a", "b", "*"]}}
    assert entry(hooks.log, "get_find_redact_type_map") == {
        "namespaces": ["a", "b"],
        "objects": [(MULTIPLE, "m")],
    }
    assert result.saved_objects[0].attributes["secret"] == "s"
    assert result.saved_objects[0].namespaces == ["a", "?"]


def test_find_unauthorized_or_without_spaces_is_an_empty_page(hooks: Hooks) -> None:
    hooks.security.status = AuthorizationStatus.UNAUTHORIZED
    result, sent = run_logged(find(hooks.context(), {"type": SINGLE}), [], hooks.log)
    assert (sent, result.total, result.saved_objects) == ([], 0, [])
    hooks.spaces.forbidden = True
    result, sent = run_logged(find(hooks.context(), {"type": SINGLE}), [], hooks.log)
    assert (sent, result.total) == ([], 0)
    hooks.spaces.forbidden = False
    result, sent = run_logged(
        find(hooks.context(), {"type": SINGLE, "namespaces": ["zz"]}), [], hooks.log
    )
    assert (sent, result.total) == ([], 0)
    result, sent = run_logged(
        find(hooks.context(), {"type": SINGLE, "namespaces": []}), [], hooks.log
    )
    assert (sent, result.total) == ([], 0)


def test_find_fully_authorized_searches_as_asked(hooks: Hooks) -> None:
    ctx = hooks.context(spaces=False)
    answer = {"hits": {"total": 0, "hits": []}}
    _, with_security = run_logged(find(ctx, {"type": SINGLE}), [dict(answer)], hooks.log)
    _, without = run_logged(
        find(hooks.context(security=False, spaces=False, encryption=False), {"type": SINGLE}),
        [dict(answer)],
        [],
    )
    assert with_security[0].body == without[0].body
    assert entry(hooks.log, "authorize_find") == {"namespaces": ["default"], "types": [SINGLE]}


def test_open_point_in_time_asks_spaces_then_security(hooks: Hooks) -> None:
    run_logged(
        open_point_in_time_for_type(hooks.context(), SINGLE, {}), [{"pit_id": "p"}], hooks.log
    )
    assert names(hooks.log) == [
        "get_searchable_namespaces",
        "authorize_open_point_in_time",
        "request:pit",
    ]
    assert entry(hooks.log, "authorize_open_point_in_time") == {
        "namespaces": ["default"],
        "types": [SINGLE],
    }
    hooks.spaces.forbidden = True
    with pytest.raises(BadRequestError) as refused:
        run_logged(open_point_in_time_for_type(hooks.context(), SINGLE, {}), [], hooks.log)
    assert refused.value.message == "Bad Request"


def test_close_point_in_time_is_audited_first(hooks: Hooks) -> None:
    run_logged(close_point_in_time(hooks.context(), "p"), [{"succeeded": True}], hooks.log)
    assert names(hooks.log) == ["audit_close_point_in_time", "request:pit"]


def test_delete_authorizes_even_when_the_read_cannot_be_verified(hooks: Hooks) -> None:
    unverified = EngineUnavailableError(metadata={"engine_status": 404})
    hooks.security.refuse = {"delete"}
    with pytest.raises(ForbiddenError):
        run_logged(delete(hooks.context(), MULTIPLE, "x", {}), [unverified], hooks.log)
    hooks.security.refuse = set()
    with pytest.raises(NotFoundError):
        run_logged(delete(hooks.context(), MULTIPLE, "x", {}), [unverified, unverified], hooks.log)


def test_the_spaces_extension_cannot_move_a_scoped_repository(hooks: Hooks) -> None:
    hooks.spaces.active = "a"
    outside = dataclasses.replace(hooks.context(), namespace="b")  # not scoped_to: unscoped spaces
    with pytest.raises(BadRequestError, match="scoped to namespace 'b'"):
        run_logged(get(outside, SINGLE, "x", {}), [], hooks.log)


def test_find_type_map_keeps_only_what_both_the_caller_and_security_allow() -> None:
    in_a = AuthorizationTypeEntry(authorized_spaces=("a",))
    result = AuthorizationResult(
        AuthorizationStatus.PARTIALLY_AUTHORIZED,
        {
            SINGLE: {"find": in_a},
            MULTIPLE: {"find": AuthorizationTypeEntry(is_globally_authorized=True)},
            AGNOSTIC: {"login:": in_a},
        },
    )
    namespaces = ["default", "a", "b"]
    types = [SINGLE, MULTIPLE, AGNOSTIC]
    assert find_type_to_namespaces(result, namespaces, types, None) == {
        SINGLE: ["a"],
        MULTIPLE: ["default", "a", "b"],
    }
    asked = {SINGLE: ["b"], MULTIPLE: None}  # None: the default space
    assert find_type_to_namespaces(result, namespaces, types, asked) == {
        SINGLE: [],
        MULTIPLE: ["default"],
    }
    fully = AuthorizationResult(AuthorizationStatus.FULLY_AUTHORIZED, {})
    assert find_type_to_namespaces(fully, namespaces, types, None) is None


def test_find_where_no_requested_type_may_be_found_sends_nothing(hooks: Hooks) -> None:
    hooks.security.status = AuthorizationStatus.PARTIALLY_AUTHORIZED
    hooks.security.type_map = {AGNOSTIC: {"find": AuthorizationTypeEntry(authorized_spaces=("a",))}}
    result, sent = run_logged(find(hooks.context(), {"type": SINGLE}), [], hooks.log)
    assert (sent, result.total) == ([], 0)


def test_open_point_in_time_checks_the_types_before_the_spaces(hooks: Hooks) -> None:
    with pytest.raises(NotFoundError):
        run_logged(open_point_in_time_for_type(hooks.context(), "unknown", {}), [], hooks.log)
    assert names(hooks.log) == []
