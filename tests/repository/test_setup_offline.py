"""setup_indices waits for a new index to be green, as Kibana's fresh install does."""

from __future__ import annotations

import pytest

from kbn_saved_objects.errors import EngineUnavailableError, GeneralError, NotFoundError
from kbn_saved_objects.repository.context import RepositoryContext
from kbn_saved_objects.repository.operation import run_offline
from kbn_saved_objects.repository.setup import HEALTH_TIMEOUT, ensure_indices, wait_until_green

GREEN = {"status": "green", "timed_out": False}


def test_a_new_index_is_waited_for_until_green(offline_context: RepositoryContext) -> None:
    answers: list[object] = []
    for _alias in ("offline-so", "offline-other"):
        answers += [False, {"acknowledged": True}, GREEN]
    outcome, sent = run_offline(ensure_indices(offline_context), answers)
    assert outcome == {"offline-so": "created", "offline-other": "created"}
    health = [r for r in sent if r.path.startswith("/_cluster/health/")]
    assert [r.path for r in health] == [
        "/_cluster/health/offline-so_1_001",
        "/_cluster/health/offline-other_1_001",
    ]
    assert health[0].params == {"wait_for_status": "green", "timeout": HEALTH_TIMEOUT}


def test_an_existing_alias_is_not_waited_for(offline_context: RepositoryContext) -> None:
    _, sent = run_offline(ensure_indices(offline_context), [True, {}, {}, True, {}, {}])
    assert not any(r.path.startswith("/_cluster/health") for r in sent)
    puts = [r for r in sent if r.method == "PUT"]
    assert all(b"_meta" in (r.body or b"") for r in puts)


def test_an_index_the_zdt_migrator_manages_keeps_its_meta(
    offline_context: RepositoryContext,
) -> None:
    """A replica starting during a rolling upgrade adds its fields, never its _meta: that
    would rewind mappingVersions and erase docVersions."""
    zdt = {"offline-so_1": {"mappings": {"_meta": {"docVersions": {"a": "10.1.0"}}}}}
    _, sent = run_offline(ensure_indices(offline_context), [True, zdt, {}, True, {}, {}])
    puts = [r for r in sent if r.method == "PUT"]
    assert [(b"_meta" in (r.body or b"")) for r in puts] == [False, True]


@pytest.mark.parametrize(
    "answer",
    [
        {"status": "yellow", "timed_out": True},
        GeneralError("Request Timeout", metadata={"engine_status": 408}),
    ],
)
def test_an_index_that_stays_yellow_is_a_clear_error(answer: object) -> None:
    with pytest.raises(GeneralError, match=r"\[index_not_green_timeout\].*\[x_001\]"):
        run_offline(wait_until_green("x_001"), [answer])


def test_other_engine_errors_pass_through() -> None:
    with pytest.raises(EngineUnavailableError):
        run_offline(wait_until_green("x_001"), [EngineUnavailableError()])
    with pytest.raises(NotFoundError):
        run_offline(wait_until_green("x_001"), [NotFoundError(metadata={"engine_status": 404})])
