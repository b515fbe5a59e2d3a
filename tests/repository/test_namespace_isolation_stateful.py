"""Namespace isolation, proven by comparing random operation sequences with a model.

A hypothesis state machine runs create/get/update/delete (and their overwrite, force and
initial-namespace variants, and reads through a repository scoped to one namespace) over
three namespaces and all four namespace types against
the real engine, and checks every outcome against a small in-memory model of Kibana's
rules (spec 03 §1.11, §2.1-2.9; spec 05 §4). Any divergence — an object visible where it
must not be, a conflict that should not happen — fails with the shortest sequence.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import BadRequestError, ConflictError, NotFoundError
from kbn_saved_objects.repository import RepositoryConfig, SavedObjectsRepository
from tests.repository.conftest import AGNOSTIC, MULTIPLE, MULTIPLE_ISOLATED, SINGLE, build_registry

pytestmark = pytest.mark.engine

NAMESPACES = ["default", "a", "b"]
TYPES = [SINGLE, MULTIPLE, MULTIPLE_ISOLATED, AGNOSTIC]
IDS = ["x", "y"]
_runs = itertools.count()


@dataclass
class Stored:
    title: str
    namespaces: list[str] = field(default_factory=list)


class Model:
    """Kibana's visibility rules for the four namespace types, nothing else."""

    def __init__(self) -> None:
        self.objects: dict[tuple[str, str, str], Stored] = {}

    @staticmethod
    def key(type_name: str, object_id: str, namespace: str) -> tuple[str, str, str]:
        # single-namespace objects are distinct per namespace: their raw id holds it
        return (type_name, namespace if type_name == SINGLE else "", object_id)

    def visible(self, type_name: str, object_id: str, namespace: str) -> Stored | None:
        stored = self.objects.get(self.key(type_name, object_id, namespace))
        if stored is None:
            return None
        if type_name in (MULTIPLE, MULTIPLE_ISOLATED) and not (
            namespace in stored.namespaces or "*" in stored.namespaces
        ):
            return None
        return stored


def make_machine(engine: Engine) -> type[RuleBasedStateMachine]:
    class NamespaceIsolation(RuleBasedStateMachine):
        @initialize()
        def fresh_indices(self) -> None:
            prefix = f"kbn-so-stateful-{next(_runs)}"
            self.prefix = prefix
            config = RepositoryConfig(default_index=f"{prefix}-so", refresh=False)
            self.repo = SavedObjectsRepository(
                engine, build_registry(f"{prefix}-other"), config=config
            )
            self.repo.setup_indices()
            self.model = Model()

        def teardown(self) -> None:
            prefix = getattr(self, "prefix", None)
            if prefix:
                found = engine.perform(rq.get_index(f"{prefix}*"))
                names = [name for name in found if name.startswith(prefix)]
                if names:
                    engine.perform(rq.delete_index(names))

        @rule(
            type_name=st.sampled_from(TYPES),
            object_id=st.sampled_from(IDS),
            namespace=st.sampled_from(NAMESPACES),
            overwrite=st.booleans(),
            title=st.sampled_from(["t1", "t2", "t3"]),
        )
        def create(
            self, type_name: str, object_id: str, namespace: str, overwrite: bool, title: str
        ) -> None:
            key = self.model.key(type_name, object_id, namespace)
            existing = self.model.objects.get(key)
            if existing is None:
                expected = "created"
            elif (
                type_name in (MULTIPLE, MULTIPLE_ISOLATED)
                and self.model.visible(type_name, object_id, namespace) is None
            ):
                expected = "conflict"  # exists elsewhere: never overwritable from here
            else:
                expected = "created" if overwrite else "conflict"
            try:
                result = self.repo.create(
                    type_name,
                    {"title": title},
                    id=object_id,
                    namespace=namespace,
                    overwrite=overwrite,
                )
            except ConflictError:
                assert expected == "conflict", (type_name, object_id, namespace)
                return
            assert expected == "created", (type_name, object_id, namespace)
            namespaces = existing.namespaces if existing else [namespace]
            if type_name in (SINGLE, AGNOSTIC):
                namespaces = [namespace] if type_name == SINGLE else []
            self.model.objects[key] = Stored(title, namespaces)
            if type_name in (MULTIPLE, MULTIPLE_ISOLATED):
                assert result.namespaces == namespaces

        @rule(
            object_id=st.sampled_from(IDS),
            spaces=st.sampled_from([["a", "b"], ["*"], ["default", "b"]]),
        )
        def create_shared(self, object_id: str, spaces: list[str]) -> None:
            key = self.model.key(MULTIPLE, object_id, "")
            try:
                self.repo.create(
                    MULTIPLE, {"title": "shared"}, id=object_id, initial_namespaces=spaces
                )
            except ConflictError:
                assert key in self.model.objects
                return
            assert key not in self.model.objects
            self.model.objects[key] = Stored("shared", list(spaces))

        @rule(
            type_name=st.sampled_from(TYPES),
            object_id=st.sampled_from(IDS),
            namespace=st.sampled_from(NAMESPACES),
        )
        def get(self, type_name: str, object_id: str, namespace: str) -> None:
            expected = self.model.visible(type_name, object_id, namespace)
            try:
                got = self.repo.get(type_name, object_id, namespace=namespace)
            except NotFoundError:
                assert expected is None, (type_name, object_id, namespace)
                return
            assert expected is not None, (type_name, object_id, namespace)
            assert got.attributes == {"title": expected.title}

        @rule(
            type_name=st.sampled_from(TYPES),
            object_id=st.sampled_from(IDS),
            namespace=st.sampled_from(NAMESPACES),
            title=st.sampled_from(["u1", "u2"]),
        )
        def update(self, type_name: str, object_id: str, namespace: str, title: str) -> None:
            expected = self.model.visible(type_name, object_id, namespace)
            try:
                self.repo.update(type_name, object_id, {"title": title}, namespace=namespace)
            except NotFoundError:
                assert expected is None, (type_name, object_id, namespace)
                return
            assert expected is not None, (type_name, object_id, namespace)
            expected.title = title

        @rule(
            type_name=st.sampled_from(TYPES),
            object_id=st.sampled_from(IDS),
            scope=st.sampled_from(NAMESPACES),
            namespace=st.sampled_from([*NAMESPACES, "*"]),
        )
        def scoped_read(self, type_name: str, object_id: str, scope: str, namespace: str) -> None:
            """A repository scoped to ``scope`` sees the model's view of its space, and is
            refused (400) whatever names another space or every space."""
            scoped = self.repo.as_scoped_to_namespace(scope)
            expected = self.model.visible(type_name, object_id, scope)
            try:
                got = scoped.get(type_name, object_id)
            except NotFoundError:
                assert expected is None, (type_name, object_id, scope)
            else:
                assert expected is not None, (type_name, object_id, scope)
                assert got.attributes == {"title": expected.title}
            if namespace == scope:
                return
            attempts = [
                lambda: scoped.get(type_name, object_id, namespace=namespace),
                lambda: scoped.find(type=type_name, namespaces=[namespace]),
                lambda: scoped.find(
                    type=type_name, type_to_namespaces_map={type_name: [namespace]}
                ),
            ]
            for attempt in attempts:
                try:
                    attempt()
                except BadRequestError:
                    continue
                raise AssertionError(("scoped", scope, "reached", namespace))
            if type_name in (MULTIPLE, SINGLE):
                entry = scoped.bulk_get(
                    [{"type": type_name, "id": object_id, "namespaces": [namespace]}]
                ).saved_objects[0]
                assert entry.error is not None
                assert entry.error["statusCode"] == 400, entry.error

        @rule(
            type_name=st.sampled_from(TYPES),
            object_id=st.sampled_from(IDS),
            namespace=st.sampled_from(NAMESPACES),
            force=st.booleans(),
        )
        def delete(self, type_name: str, object_id: str, namespace: str, force: bool) -> None:
            expected = self.model.visible(type_name, object_id, namespace)
            shared = expected is not None and (
                len(expected.namespaces) > 1 or "*" in expected.namespaces
            )
            try:
                self.repo.delete(type_name, object_id, namespace=namespace, force=force)
            except NotFoundError:
                assert expected is None, (type_name, object_id, namespace)
                return
            except BadRequestError:
                assert shared, (type_name, object_id, namespace)
                assert not force
                return
            assert expected is not None, (type_name, object_id, namespace)
            assert force or not shared
            del self.model.objects[self.model.key(type_name, object_id, namespace)]

    return NamespaceIsolation


def test_namespace_isolation_matches_the_model(kbn_engine: Engine) -> None:
    run_state_machine_as_test(
        make_machine(kbn_engine),
        settings=settings(
            max_examples=25,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
