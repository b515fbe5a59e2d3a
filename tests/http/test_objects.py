"""Single-object routes over real HTTP: get, create, update, delete, resolve.

Ported from Kibana's API integration tests ``src/platform/test/api_integration/apis/
saved_objects/{get,create,update,delete,resolve}.ts`` (elastic/kibana ``main``, late
2025, spec 09 §4.3) against a live uvicorn server and the real engine.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.http.conftest import LiveApp


def test_get_of_a_missing_object_is_kibanas_404(live_app: Callable[..., LiveApp]) -> None:
    http = live_app().client()
    response = http.get("/api/saved_objects/visualization/foobar")
    assert response.status_code == 404
    assert response.json() == {
        "error": "Not Found",
        "message": "Saved object [visualization/foobar] not found",
        "statusCode": 404,
    }
