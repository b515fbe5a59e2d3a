"""``POST /api/encrypted_saved_objects/_rotate_key`` over real HTTP, against the real
engine.

Follows Kibana's ``x-pack/platform/plugins/shared/encrypted_saved_objects/server/routes/
key_rotation.test.ts`` and the API integration test ``x-pack/test/
encrypted_saved_objects_api_integration/tests/encrypted_saved_objects_api.ts``
("key rotation") (Kibana ``main``, late 2025; spec 09 §3.13, spec 08 §5.10): 400 when no
decryption-only key is configured, 429 while a rotation runs, 200 ``{total, successful,
failed}``, superusers only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import httpx
import pytest

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.extensions.encryption import (
    ROTATION_IN_PROGRESS,
    ROTATION_NOT_CONFIGURED,
    AsyncEncryptionKeyRotation,
    EncryptedSavedObjectTypeRegistration,
    EncryptedTypeRegistry,
    EncryptionKeys,
    SavedObjectsEncryptionExtension,
)
from kbn_saved_objects.extensions.encryption.key_rotation import rotation_in_progress_guard
from kbn_saved_objects.repository import SavedObjectsRepository
from kbn_saved_objects.service import AsyncSavedObjectsServiceStart, SavedObjectsServiceStart
from tests.http._live import repository_config, serve_service, start_sync_service

ROTATE = "/api/encrypted_saved_objects/_rotate_key"
OLD_KEY = "o" * 32
NEW_KEY = "n" * 32


def encrypted_types() -> EncryptedTypeRegistry:
    registry = EncryptedTypeRegistry()
    registry.register(
        EncryptedSavedObjectTypeRegistration(
            type="connector",
            attributes_to_encrypt=["token"],
            attributes_to_include_in_aad=[],
            enforce_random_id=False,
        )
    )
    return registry


def rotation_options(
    keys: EncryptionKeys,
) -> Callable[[AsyncSavedObjectsServiceStart], dict[str, Any]]:
    def options(start: AsyncSavedObjectsServiceStart) -> dict[str, Any]:
        extension = SavedObjectsEncryptionExtension(
            start.get_type_registry(), encrypted_types(), keys
        )
        rotation = AsyncEncryptionKeyRotation(start.create_internal_repository(), extension)
        return {"key_rotation": rotation}

    return options


def repository_with_key(
    so: SavedObjectsServiceStart, engine: Engine, prefix: str, keys: EncryptionKeys
) -> SavedObjectsRepository:
    registry = so.get_type_registry()
    extension = SavedObjectsEncryptionExtension(registry, encrypted_types(), keys)
    from kbn_saved_objects.repository.extensions import RepositoryExtensions

    return SavedObjectsRepository(
        engine,
        registry,
        config=repository_config(prefix),
        extensions=RepositoryExtensions(encryption=extension),
    )


@pytest.fixture
def so(kbn_engine: Engine, kbn_index_prefix: str) -> SavedObjectsServiceStart:
    start = start_sync_service(kbn_engine, kbn_index_prefix, spaces=False)
    old = repository_with_key(start, kbn_engine, kbn_index_prefix, EncryptionKeys(OLD_KEY))
    for n in range(3):
        old.create("connector", {"title": f"c{n}", "token": f"secret-{n}"}, id=f"c{n}")
    return start


ServeRotation = Callable[..., AbstractContextManager[httpx.Client]]


@pytest.fixture
def serve(
    so: SavedObjectsServiceStart, kbn_engine_url: str, kbn_index_prefix: str
) -> ServeRotation:
    def run(keys: EncryptionKeys | None, *, security: bool = False) -> Any:
        return serve_service(
            kbn_engine_url,
            kbn_index_prefix,
            spaces=False,
            security=security,
            app_options=rotation_options(keys) if keys is not None else None,
        )

    return run


@pytest.fixture
def http(serve: ServeRotation) -> Iterator[httpx.Client]:
    with serve(EncryptionKeys(NEW_KEY, [OLD_KEY])) as client:
        yield client


def test_rotation_reencrypts_with_the_primary_key(
    http: httpx.Client, so: SavedObjectsServiceStart, kbn_engine: Engine, kbn_index_prefix: str
) -> None:
    response = http.post(ROTATE)
    assert response.status_code == 200, response.text
    assert response.json() == {"total": 3, "successful": 3, "failed": 0}
    new_only = repository_with_key(so, kbn_engine, kbn_index_prefix, EncryptionKeys(NEW_KEY))
    assert new_only.get("connector", "c1").attributes == {"title": "c1"}  # decrypted, stripped
    again = http.post(ROTATE, params={"batch_size": 2, "type": "connector"})
    assert again.json() == {"total": 3, "successful": 0, "failed": 0}


def test_rotation_of_a_type_without_secrets_finds_nothing(http: httpx.Client) -> None:
    response = http.post(ROTATE, params={"type": "dashboard"})
    assert response.json() == {"total": 0, "successful": 0, "failed": 0}


def test_rotation_without_decryption_only_keys_is_400(serve: ServeRotation) -> None:
    with serve(EncryptionKeys(NEW_KEY)) as http:
        response = http.post(ROTATE)
    assert response.status_code == 400
    assert response.json() == {
        "statusCode": 400,
        "error": "Bad Request",
        "message": ROTATION_NOT_CONFIGURED,
    }


def test_a_second_rotation_while_one_runs_is_429(http: httpx.Client) -> None:
    with rotation_in_progress_guard():  # the server runs in this process
        response = http.post(ROTATE)
    assert response.status_code == 429
    assert response.json() == {
        "statusCode": 429,
        "error": "Too Many Requests",
        "message": ROTATION_IN_PROGRESS,
    }
    assert http.post(ROTATE).status_code == 200


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"batch_size": 0},
            "[request query.batch_size]: Value must be equal to or greater than [1].",
        ),
        (
            {"batch_size": 10_001},
            "[request query.batch_size]: Value must be equal to or lower than [10000].",
        ),
        ({"wat": "x"}, "[request query.wat]: definition for this key is missing"),
    ],
)
def test_rotation_query_refusals(http: httpx.Client, params: dict[str, Any], message: str) -> None:
    response = http.post(ROTATE, params=params)
    assert response.status_code == 400
    assert response.json()["message"] == message


def test_rotation_needs_kbn_xsrf(http: httpx.Client) -> None:
    response = httpx.post(http.base_url.join(ROTATE))
    assert response.status_code == 400
    assert response.json()["message"] == "Request must contain a kbn-xsrf header."


def test_without_key_rotation_the_route_does_not_exist(serve: ServeRotation) -> None:
    with serve(None) as http:
        assert http.post(ROTATE).status_code == 404


def test_rotation_is_for_superusers(serve: ServeRotation) -> None:
    with serve(EncryptionKeys(NEW_KEY, [OLD_KEY]), security=True) as http:
        refused = http.post(ROTATE, headers={"x-test-user": "root:admin"})
        assert refused.status_code == 403
        assert refused.json() == {
            "statusCode": 403,
            "error": "Forbidden",
            "message": f"API [POST {ROTATE}] is unauthorized for user, this action is granted "
            "by the Kibana privileges [superuser]",
        }
        assert http.post(ROTATE).status_code == 403  # anonymous
        allowed = http.post(ROTATE, headers={"x-test-user": "sue:superuser"})
        assert allowed.status_code == 200
        assert allowed.json() == {"total": 3, "successful": 3, "failed": 0}
