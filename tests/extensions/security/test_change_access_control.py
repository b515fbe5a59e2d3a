"""``change_ownership`` / ``change_access_mode`` against the real engine, with the shipped
security extension deciding (spec 08 §4.4).

Follows Kibana's
``src/core/packages/saved-objects/api-server-internal/src/lib/apis/internals/change_object_access_control.ts``
(+ ``.test.ts``), elastic/kibana commit 00038a6e1234711d6db08aae8da8e713f0ab40fc (2025),
with the ``write_restricted`` spelling of main. The stored ``accessControl`` is read and
seeded through the raw ``_source`` (the serializer does not carry it yet).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from typing import Any

import pytest

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import BadRequestError, ForbiddenError
from kbn_saved_objects.extensions.security import (
    AUDIT_LOGGER_NAME,
    AuditLogger,
    RbacSecurityExtension,
    RolePrivileges,
)
from kbn_saved_objects.repository import RepositoryConfig, SavedObjectsRepository
from kbn_saved_objects.repository.extensions import (
    AuthorizationResult,
    AuthorizationStatus,
    AuthorizationTypeEntry,
    Principal,
    RepositoryExtensions,
)
from kbn_saved_objects.repository.operation import run_offline
from kbn_saved_objects.repository.operations.change_access_control import (
    change_access_mode,
    change_ownership,
)
from kbn_saved_objects.types import SavedObjectTypeRegistry
from tests.extensions.security.conftest import OWNED, build_registry

pytestmark = pytest.mark.engine

ALICE = Principal("alice", ("editor",), "u_alice_0")
BOB = Principal("bob", ("editor",), "u_bob_0")
ADMIN = Principal("root", ("admin",), "u_root_0")
ROLES = RolePrivileges(
    {
        "editor": {"default": ["all"], "marketing": ["all"]},
        "admin": {"*": ["all", f"saved_object:{OWNED}/manage_access_control"]},
    }
)


@pytest.fixture
def registry() -> SavedObjectTypeRegistry:
    return build_registry()


@pytest.fixture
def config(kbn_index_prefix: str) -> RepositoryConfig:
    return RepositoryConfig(default_index=f"{kbn_index_prefix}-so", index_suffix="_1", refresh=True)


@pytest.fixture
def plain(
    kbn_engine: Engine, registry: SavedObjectTypeRegistry, config: RepositoryConfig
) -> SavedObjectsRepository:
    repository = SavedObjectsRepository(kbn_engine, registry, config=config)
    repository.setup_indices()
    # The root mapping gains ``accessControl`` with the serializer work; until then the
    # test index is given it here, with the same shape.
    kbn_engine.perform(
        rq.put_mapping(
            repository.context.index_for(OWNED),
            {
                "properties": {
                    "accessControl": {
                        "dynamic": "false",
                        "properties": {"owner": {"type": "keyword"}},
                    }
                }
            },
        )
    )
    return repository


def as_user(plain: SavedObjectsRepository, principal: Principal | None) -> SavedObjectsRepository:
    extension = RbacSecurityExtension(principal, ROLES, AuditLogger(), plain.context.registry)
    return SavedObjectsRepository(
        plain.engine,
        plain.context.registry,
        config=plain.context.config,
        extensions=RepositoryExtensions(security=extension),
    )


def seed(
    plain: SavedObjectsRepository,
    id: str,
    owner: str,
    mode: str = "default",
    namespaces: Sequence[str] = ("default",),
    type_name: str = OWNED,
) -> None:
    plain.create(type_name, {"title": id}, id=id, initial_namespaces=list(namespaces))
    ctx = plain.context
    plain.engine.perform(
        rq.update_document(
            ctx.index_for(type_name),
            ctx.serializer.generate_raw_id(None, type_name, id),
            {"doc": {"accessControl": {"owner": owner, "accessMode": mode}}},
            refresh=True,
        )
    )


def stored(plain: SavedObjectsRepository, id: str) -> dict[str, Any]:
    ctx = plain.context
    answer = plain.engine.perform(
        rq.get_document(ctx.index_for(OWNED), ctx.serializer.generate_raw_id(None, OWNED, id))
    )
    return answer["_source"]  # type: ignore[no-any-return]


def test_an_owner_hands_an_object_over(
    plain: SavedObjectsRepository, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, AUDIT_LOGGER_NAME)
    seed(plain, "d1", "u_alice_0", "write_restricted")
    answer = as_user(plain, ALICE).change_ownership(
        [{"type": OWNED, "id": "d1"}], new_owner_profile_uid="u_bob_0"
    )
    assert [(o.type, o.id, o.error) for o in answer.objects] == [(OWNED, "d1", None)]
    source = stored(plain, "d1")
    assert source["accessControl"] == {"owner": "u_bob_0", "accessMode": "write_restricted"}
    assert source["updated_by"] == "u_alice_0"
    assert [r.audit["event"]["outcome"] for r in caplog.records if r.name == AUDIT_LOGGER_NAME] == [
        "success"
    ]  # type: ignore[attr-defined]


def test_someone_elses_object_needs_manage_access_control(plain: SavedObjectsRepository) -> None:
    seed(plain, "d1", "u_alice_0")
    with pytest.raises(ForbiddenError, match='the "manage_access_control" privilege is required'):
        as_user(plain, BOB).change_access_mode(
            [{"type": OWNED, "id": "d1"}], access_mode="write_restricted"
        )
    assert stored(plain, "d1")["accessControl"]["accessMode"] == "default"
    answer = as_user(plain, ADMIN).change_access_mode(
        [{"type": OWNED, "id": "d1"}], access_mode="write_restricted"
    )
    assert answer.objects[0].error is None
    assert stored(plain, "d1")["accessControl"] == {
        "owner": "u_alice_0",
        "accessMode": "write_restricted",
    }


def test_access_mode_defaults_to_default(plain: SavedObjectsRepository) -> None:
    seed(plain, "d1", "u_alice_0", "write_restricted")
    as_user(plain, ALICE).change_access_mode([{"type": OWNED, "id": "d1"}])
    assert stored(plain, "d1")["accessControl"] == {"owner": "u_alice_0", "accessMode": "default"}


def test_per_object_errors(plain: SavedObjectsRepository) -> None:
    seed(plain, "mine", "u_alice_0")
    seed(plain, "elsewhere", "u_alice_0", namespaces=["marketing"])
    answer = as_user(plain, ALICE).change_ownership(
        [
            {"type": OWNED, "id": "mine"},
            {"type": OWNED, "id": "missing"},
            {"type": OWNED, "id": "elsewhere"},
            {"type": "a", "id": "x"},
            {"type": "unknown", "id": "y"},
        ],
        new_owner_profile_uid="u_bob_0",
    )
    errors = [
        (o.id, o.error and (o.error["statusCode"], o.error["message"])) for o in answer.objects
    ]
    assert errors == [
        ("mine", None),
        ("missing", (404, f"Saved object [{OWNED}/missing] not found")),
        ("elsewhere", (404, f"Saved object [{OWNED}/elsewhere] not found")),
        ("x", (400, "The type a does not support access control: Bad Request")),
        ("y", (404, "Saved object [unknown/y] not found")),
    ]
    assert stored(plain, "mine")["accessControl"]["owner"] == "u_bob_0"
    assert stored(plain, "elsewhere")["accessControl"]["owner"] == "u_alice_0"


def test_in_another_space(plain: SavedObjectsRepository) -> None:
    seed(plain, "m", "u_alice_0", namespaces=["marketing"])
    answer = as_user(plain, ALICE).change_ownership(
        [{"type": OWNED, "id": "m"}], new_owner_profile_uid="u_bob_0", namespace="marketing"
    )
    assert answer.objects[0].error is None


def test_a_concurrent_change_is_a_conflict(plain: SavedObjectsRepository) -> None:
    """The write is guarded by the version just read: a change in between wins."""
    seed(plain, "d1", "u_alice_0")
    repository = as_user(plain, ALICE)
    operation = change_ownership(
        repository.context, [{"type": OWNED, "id": "d1"}], {"new_owner_profile_uid": "u_bob_0"}
    )
    mget = next(operation)
    fetched = plain.engine.perform(mget)
    ctx = plain.context
    plain.engine.perform(  # someone else takes it over meanwhile
        rq.update_document(
            ctx.index_for(OWNED),
            ctx.serializer.generate_raw_id(None, OWNED, "d1"),
            {"doc": {"accessControl": {"owner": "u_carol_0", "accessMode": "default"}}},
            refresh=True,
        )
    )
    bulk = operation.send(fetched)
    with pytest.raises(StopIteration) as done:
        operation.send(plain.engine.perform(bulk))
    (result,) = done.value.value.objects
    assert result.error["statusCode"] == 409
    assert stored(plain, "d1")["accessControl"]["owner"] == "u_carol_0"


# --- refusals before any request -------------------------------------------------------


def test_without_a_security_extension(plain: SavedObjectsRepository) -> None:
    with pytest.raises(
        BadRequestError,
        match=r"^Unable to proceed with changing access control without security extension\.",
    ):
        plain.change_ownership([{"type": OWNED, "id": "d1"}], new_owner_profile_uid="u_bob_0")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda ctx: change_ownership(
                ctx, [{"type": OWNED, "id": "1"}], {"new_owner_profile_uid": ""}
            ),
            'The "newOwnerProfileUid" field is required to change ownership of a saved object.',
        ),
        (
            lambda ctx: change_ownership(
                ctx, [{"type": OWNED, "id": "1"}], {"new_owner_profile_uid": "bob"}
            ),
            'User profile ID is invalid: expected "u_<principal>_<version>"',
        ),
        (
            lambda ctx: change_access_mode(
                ctx, [{"type": OWNED, "id": "1"}], {"access_mode": "read_only"}
            ),
            'When specified, the "accessMode" field can only be "default" or "write_restricted".',
        ),
        (
            lambda ctx: change_ownership(ctx, [], {"new_owner_profile_uid": "u_bob_0"}),
            "No objects specified for ownership change",
        ),
        (
            lambda ctx: change_access_mode(ctx, [], {}),
            "No objects specified for access mode change",
        ),
    ],
)
def test_bad_requests(plain: SavedObjectsRepository, call: Any, message: str) -> None:
    ctx = as_user(plain, ALICE).context
    with pytest.raises(BadRequestError) as caught:
        run_offline(call(ctx), [])
    assert caught.value.message == f"{message}: Bad Request"


def test_only_unsupported_types_makes_no_request(plain: SavedObjectsRepository) -> None:
    ctx = as_user(plain, ALICE).context
    answer, sent = run_offline(
        change_ownership(ctx, [{"type": "a", "id": "1"}], {"new_owner_profile_uid": "u_bob_0"}), []
    )
    assert sent == []
    assert answer.objects[0].error is not None


class PartialAnswer:
    """An extension that lets the call through partially, knowing nothing of ``lens``."""

    def get_current_user(self) -> Principal:
        return ALICE

    def authorize_change_access_control(self, *args: Any, **kwargs: Any) -> AuthorizationResult:
        entry = AuthorizationTypeEntry(authorized_spaces=("default",))
        return AuthorizationResult(
            AuthorizationStatus.PARTIALLY_AUTHORIZED, {OWNED: {"update": entry}}
        )


def test_a_type_missing_from_a_partial_answer_is_refused_per_object(
    plain: SavedObjectsRepository,
) -> None:
    ctx = dataclasses.replace(
        plain.context,
        extensions=RepositoryExtensions(security=PartialAnswer()),  # type: ignore[arg-type]
    )
    found = {"found": True, "_seq_no": 1, "_primary_term": 1}
    answer, sent = run_offline(
        change_access_mode(ctx, [{"type": OWNED, "id": "1"}, {"type": "lens", "id": "2"}], {}),
        [
            {
                "docs": [
                    {
                        **found,
                        "_id": f"{OWNED}:1",
                        "_source": {"type": OWNED, "namespaces": ["default"]},
                    },
                    {
                        **found,
                        "_id": "lens:2",
                        "_source": {"type": "lens", "namespaces": ["default"]},
                    },
                ]
            },
            {"items": [{"update": {"status": 200}}]},
        ],
    )
    assert answer.objects[0].error is None
    assert answer.objects[1].error == {
        "statusCode": 403,
        "error": "Forbidden",
        "message": 'User is not authorized to change access mode of type "lens".',
    }
    assert len(sent) == 2
