"""Namespace isolation, proven by comparing random operation sequences with a model.

A hypothesis state machine runs create/get/update/delete (and their overwrite, force and
initial-namespace variants, and reads through a repository scoped to one namespace),
sharing and unsharing (``update_objects_spaces``), legacy URL aliases (created, disabled,
cleaned up), ``resolve``/``bulk_resolve``, ``find``/``bulk_get`` and
``collect_multi_namespace_references`` over three namespaces and all four namespace types
against the real engine, and checks every outcome against a small in-memory model of
Kibana's rules (spec 03 §1.11, §2.1-2.9; spec 05 §2-6). Any divergence — an object visible
where it must not be, a conflict that should not happen, an alias left pointing at an
object that left its space, a resolve counted wrongly — fails with the shortest sequence.

The repository writes with ``refresh=False`` (``get``, ``_mget`` and resolve's alias
updates are real-time); before a step that *searches* (find, the sharing graph, the alias
search of a create into ``*``) the test refreshes, as Kibana's default ``wait_for`` would
have. Aliases are written with ``refresh=True`` for the same reason.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.errors import BadRequestError, ConflictError, NotFoundError
from kbn_saved_objects.repository import RepositoryConfig, SavedObjectsRepository
from kbn_saved_objects.types import LEGACY_URL_ALIAS_TYPE
from tests.repository.conftest import AGNOSTIC, MULTIPLE, MULTIPLE_ISOLATED, SINGLE, build_registry

pytestmark = pytest.mark.engine

NAMESPACES = ["default", "a", "b"]
TYPES = [SINGLE, MULTIPLE, MULTIPLE_ISOLATED, AGNOSTIC]
MULTI = (MULTIPLE, MULTIPLE_ISOLATED)
IDS = ["x", "y"]
SOURCE_IDS = [*IDS, "z"]
"""Old ids an alias may redirect from: ``z`` never names an object, so its aliases give
pure ``aliasMatch``; ``x``/``y`` also give ``conflict``."""
SHARE_TYPES = [MULTIPLE, MULTIPLE, MULTIPLE, MULTIPLE_ISOLATED, SINGLE, AGNOSTIC]
"""Mostly shareable objects, so that sharing steps usually change something."""
ALIAS_TYPES = [MULTIPLE, MULTIPLE, MULTIPLE_ISOLATED]
SEED_SPACES = [None, ["default"], ["a"], ["a", "b"], ["default", "a", "b"], ["*"]]
SPACE_LISTS = [[], ["default"], ["a"], ["b"], ["*"], ["a", "b"], ["default", "a"]]
_runs = itertools.count()


@dataclass
class Stored:
    title: str
    namespaces: list[str] = field(default_factory=list)


@dataclass
class Alias:
    target_id: str
    disabled: bool = False
    resolve_counter: int = 0


Resolved = tuple[str, str, str | None]
"""(outcome, id of the object returned, alias target id)."""


class Model:
    """Kibana's visibility, sharing, alias and resolve rules, nothing else."""

    def __init__(self) -> None:
        self.objects: dict[tuple[str, str, str], Stored] = {}
        self.aliases: dict[tuple[str, str, str], Alias] = {}
        """(space, target type, source id) -> the alias ``<space>:<type>:<source id>``."""

    @staticmethod
    def key(type_name: str, object_id: str, namespace: str) -> tuple[str, str, str]:
        # single-namespace objects are distinct per namespace: their raw id holds it
        return (type_name, namespace if type_name == SINGLE else "", object_id)

    def visible(self, type_name: str, object_id: str, namespace: str) -> Stored | None:
        stored = self.objects.get(self.key(type_name, object_id, namespace))
        if stored is None:
            return None
        if type_name in MULTI and not (namespace in stored.namespaces or "*" in stored.namespaces):
            return None
        return stored

    def alias_conflict(self, type_name: str, object_id: str, spaces: list[str]) -> bool:
        """The create preflight: an enabled alias of this id in a space the object would
        be in (any space for ``*``) refuses the create (spec 05 §4.1)."""
        return any(
            alias_type == type_name
            and source == object_id
            and not alias.disabled
            and ("*" in spaces or space in spaces)
            for (space, alias_type, source), alias in self.aliases.items()
        )

    def drop_aliases(
        self, type_name: str, object_id: str, spaces: list[str], *, inclusive: bool
    ) -> None:
        """Spec 05 §5.4: the aliases pointing at the object whose space is in ``spaces``
        (inclusive) or not (exclusive), disabled ones included."""
        for key, alias in list(self.aliases.items()):
            space, alias_type, _ = key
            if (
                alias_type == type_name
                and alias.target_id == object_id
                and (space in spaces) == inclusive
            ):
                del self.aliases[key]

    def deleted(self, type_name: str, object_id: str, namespace: str) -> None:
        stored = self.objects.pop(self.key(type_name, object_id, namespace))
        if type_name in MULTI:
            if "*" in stored.namespaces:
                self.drop_aliases(type_name, object_id, [], inclusive=False)
            else:
                self.drop_aliases(type_name, object_id, stored.namespaces, inclusive=True)

    def resolve(self, type_name: str, object_id: str, namespace: str) -> Resolved | None:
        """The outcome in ``namespace``, counting the resolve on an enabled alias whether
        or not its target is found (Kibana's script runs before the target is read)."""
        exact = self.visible(type_name, object_id, namespace)
        alias = self.aliases.get((namespace, type_name, object_id))
        target = None
        if alias is not None and not alias.disabled:
            alias.resolve_counter += 1
            target = self.visible(type_name, alias.target_id, namespace)
        if exact is not None and target is not None and alias is not None:
            return ("conflict", object_id, alias.target_id)
        if exact is not None:
            return ("exactMatch", object_id, None)
        if target is not None and alias is not None:
            return ("aliasMatch", alias.target_id, alias.target_id)
        return None


def status(error: dict[str, Any] | None) -> int | None:
    """The status code of a per-object error, ``None`` for no error."""
    return None if error is None else int(error["statusCode"])


def make_machine(engine: Engine) -> type[RuleBasedStateMachine]:
    class NamespaceIsolation(RuleBasedStateMachine):
        @initialize(
            shared=st.lists(st.sampled_from(SEED_SPACES), min_size=len(IDS), max_size=len(IDS)),
            isolated=st.lists(
                st.sampled_from([None, *NAMESPACES]), min_size=len(IDS), max_size=len(IDS)
            ),
            aliases=st.lists(
                st.tuples(
                    st.sampled_from(NAMESPACES),
                    st.sampled_from(ALIAS_TYPES),
                    st.sampled_from(SOURCE_IDS),
                    st.sampled_from(IDS),
                ),
                max_size=4,
                unique_by=lambda alias: alias[:3],
            ),
        )
        def fresh_indices(
            self,
            shared: list[list[str] | None],
            isolated: list[str | None],
            aliases: list[tuple[str, str, str, str]],
        ) -> None:
            """Fresh indices, seeded with shared objects and aliases pointing at them, so
            that every run starts where sharing, cleanup and resolve have work to do."""
            prefix = f"kbn-so-test-stateful-{os.getpid()}-{next(_runs)}"
            self.prefix = prefix
            config = RepositoryConfig(default_index=f"{prefix}-so", refresh=False)
            self.repo = SavedObjectsRepository(
                engine, build_registry(f"{prefix}-other"), config=config
            )
            self.repo.setup_indices()
            self.model = Model()
            for object_id, spaces in zip(IDS, shared, strict=True):
                if spaces is not None:
                    self.create_shared(object_id, spaces)
            for object_id, space in zip(IDS, isolated, strict=True):
                if space is not None:
                    self.create(MULTIPLE_ISOLATED, object_id, space, False, "seed")
            for space, type_name, source_id, target_id in aliases:
                self.create_alias(space, type_name, source_id, target_id, False)

        def teardown(self) -> None:
            prefix = getattr(self, "prefix", None)
            if prefix:
                # the pid keeps runs of other processes on the same engine apart, and the
                # kbn-so-test- prefix is the one the docs tests' clean-up leaves alone
                found = engine.perform(rq.get_index(f"{prefix}-*"))
                names = [name for name in found if name.startswith(f"{prefix}-")]
                if names:
                    engine.perform(rq.delete_index(names))

        def refresh(self) -> None:
            engine.perform(rq.refresh(f"{self.prefix}-*"))

        def check_resolved(
            self, type_name: str, object_id: str, namespace: str, got: Any, expected: Resolved
        ) -> None:
            outcome, returned_id, alias_target = expected
            where = (type_name, object_id, namespace)
            assert got.outcome == outcome, (where, got.outcome, expected)
            assert got.saved_object.id == returned_id, (where, got.saved_object.id, expected)
            assert got.alias_target_id == alias_target, (where, got.alias_target_id)
            stored = self.model.visible(type_name, returned_id, namespace)
            assert stored is not None
            assert got.saved_object.attributes == {"title": stored.title}

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
            if type_name in MULTI and self.model.alias_conflict(type_name, object_id, [namespace]):
                expected = "conflict"  # an enabled alias owns this id in this space
            elif existing is None:
                expected = "created"
            elif type_name in MULTI and self.model.visible(type_name, object_id, namespace) is None:
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
            if type_name in MULTI:
                assert result.namespaces == namespaces

        @rule(
            object_id=st.sampled_from(IDS),
            spaces=st.sampled_from([["a", "b"], ["*"], ["default", "b"]]),
        )
        def create_shared(self, object_id: str, spaces: list[str]) -> None:
            key = self.model.key(MULTIPLE, object_id, "")
            conflict = key in self.model.objects or self.model.alias_conflict(
                MULTIPLE, object_id, spaces
            )
            if "*" in spaces:
                self.refresh()  # the preflight searches every space's aliases
            try:
                self.repo.create(
                    MULTIPLE, {"title": "shared"}, id=object_id, initial_namespaces=spaces
                )
            except ConflictError:
                assert conflict, (object_id, spaces)
                return
            assert not conflict, (object_id, spaces)
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
            object_id=st.sampled_from(SOURCE_IDS),
            scope=st.sampled_from(NAMESPACES),
            namespace=st.sampled_from([*NAMESPACES, "*"]),
        )
        def scoped_sharing(
            self, type_name: str, object_id: str, scope: str, namespace: str
        ) -> None:
            """Through a scoped repository, resolve follows only its own space's aliases
            and objects, the sharing graph reports only its own space's aliases; every
            sharing and alias call naming another space (or ``*``) is refused with 400
            before anything is read or written."""
            scoped = self.repo.as_scoped_to_namespace(scope)
            expected = self.model.resolve(type_name, object_id, scope)
            try:
                got = scoped.resolve(type_name, object_id)
            except NotFoundError:
                assert expected is None, (type_name, object_id, scope)
            else:
                assert expected is not None, (type_name, object_id, scope)
                self.check_resolved(type_name, object_id, scope, got, expected)
            obj: Any = {"type": type_name, "id": object_id}
            stored = self.model.visible(type_name, object_id, scope)
            if type_name in MULTI and stored is not None:
                # the sharing graph, seen from the scope: the aliases and copies of other
                # spaces are not searched
                self.refresh()
                [entry] = scoped.collect_multi_namespace_references([obj]).objects
                alias = self.model.aliases.get((scope, type_name, object_id))
                enabled = [scope] if alias is not None and not alias.disabled else []
                assert (entry.spaces_with_matching_aliases or []) == enabled, (obj, scope)
                origins = ["*"] if "*" in stored.namespaces else sorted(stored.namespaces)
                assert entry.spaces_with_matching_origins == origins, (obj, scope)
            if namespace == scope:
                return
            attempts = [
                lambda: scoped.resolve(type_name, object_id, namespace=namespace),
                lambda: scoped.bulk_resolve([obj], namespace=namespace),
                lambda: scoped.update_objects_spaces([obj], [namespace], []),
                lambda: scoped.update_objects_spaces([obj], [], [namespace]),
                lambda: scoped.update_objects_spaces([obj], [scope], [], namespace=namespace),
                lambda: scoped.collect_multi_namespace_references([obj], namespace=namespace),
                lambda: scoped.disable_legacy_url_aliases(
                    [{"target_space": namespace, "target_type": type_name, "source_id": object_id}]
                ),
            ]
            if namespace not in ("default", "*"):
                attempts.append(lambda: scoped.delete_by_namespace(namespace))
            for number, attempt in enumerate(attempts):
                try:
                    attempt()
                except BadRequestError:
                    continue
                raise AssertionError(("scoped", scope, "reached", namespace, "attempt", number))

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
            self.model.deleted(type_name, object_id, namespace)
            self.check_aliases()

        @rule(
            objects=st.lists(
                st.tuples(st.sampled_from(SHARE_TYPES), st.sampled_from(IDS)),
                min_size=1,
                max_size=2,
                unique=True,
            ),
            namespace=st.sampled_from(NAMESPACES),
            force=st.booleans(),
        )
        def bulk_delete(self, objects: list[tuple[str, str]], namespace: str, force: bool) -> None:
            """delete's rules per object, and the same alias clean-up for all of them."""
            response = self.repo.bulk_delete(
                [{"type": t, "id": i} for t, i in objects], namespace=namespace, force=force
            )
            for (type_name, object_id), entry in zip(objects, response.statuses, strict=True):
                where = (type_name, object_id, namespace, force)
                expected = self.model.visible(type_name, object_id, namespace)
                if expected is None:
                    assert status(entry.error) == 404, where
                    continue
                if not force and (len(expected.namespaces) > 1 or "*" in expected.namespaces):
                    assert status(entry.error) == 400, where
                    continue
                assert entry.success, (where, entry.error)
                self.model.deleted(type_name, object_id, namespace)
            self.check_aliases()

        @rule(
            objects=st.lists(
                st.tuples(st.sampled_from(SHARE_TYPES), st.sampled_from(IDS)),
                min_size=1,
                max_size=2,
                unique=True,
            ),
            data=st.data(),
        )
        def update_objects_spaces(self, objects: list[tuple[str, str]], data: Any) -> None:
            """Share and unshare: only ``multiple`` objects visible from ``namespace``
            change; one left in no space is deleted; the aliases of the spaces an object
            leaves are deleted with it (spec 05 §2). The spaces are drawn mostly from those
            the first object is in, so that most calls change something."""
            first = self.model.objects.get(self.model.key(*objects[0], ""))
            its_spaces = first.namespaces if first is not None else []
            namespace = data.draw(
                st.sampled_from([*NAMESPACES, *(s for s in its_spaces if s != "*")]),
                label="namespace",
            )
            to_add = data.draw(st.sampled_from(SPACE_LISTS), label="to_add")
            to_remove = data.draw(
                st.sampled_from([*SPACE_LISTS, *([space] for space in its_spaces)]),
                label="to_remove",
            )
            request: Any = [{"type": t, "id": i} for t, i in objects]
            if (not to_add and not to_remove) or set(to_add) & set(to_remove):
                with pytest.raises(BadRequestError):
                    self.repo.update_objects_spaces(request, to_add, to_remove, namespace=namespace)
                return
            response = self.repo.update_objects_spaces(
                request, to_add, to_remove, namespace=namespace
            )
            assert len(response.objects) == len(objects)
            for (type_name, object_id), entry in zip(objects, response.objects, strict=True):
                where = (type_name, object_id, namespace, to_add, to_remove)
                assert (entry.type, entry.id) == (type_name, object_id)
                if type_name != MULTIPLE:
                    assert status(entry.error) == 400, where
                    continue
                stored = self.model.visible(type_name, object_id, namespace)
                if stored is None:
                    assert status(entry.error) == 404, where
                    continue
                assert entry.error is None, (where, entry.error)
                current = stored.namespaces
                removed = [space for space in current if space in to_remove]
                updated = [space for space in current if space not in to_remove]
                updated += [space for space in dict.fromkeys(to_add) if space not in current]
                assert entry.spaces == updated, (where, current, entry.spaces)
                if not updated:
                    del self.model.objects[self.model.key(type_name, object_id, namespace)]
                else:
                    stored.namespaces = updated
                if removed and "*" not in updated:
                    if "*" in removed:
                        self.model.drop_aliases(type_name, object_id, updated, inclusive=False)
                    else:
                        self.model.drop_aliases(type_name, object_id, removed, inclusive=True)
            self.check_aliases()

        @rule(namespace=st.sampled_from(["a", "b"]))
        def delete_space(self, namespace: str) -> None:
            """delete_by_namespace, as when the space is deleted: its single-namespace
            objects go, multi-namespace ones lose it (and go with their last space), objects
            in ``*`` stay, and every alias of the space goes."""
            self.refresh()  # an update-by-query only sees what was refreshed
            self.repo.delete_by_namespace(namespace, refresh=True)
            for key, stored in list(self.model.objects.items()):
                type_name = key[0]
                if type_name == SINGLE and key[1] == namespace:
                    del self.model.objects[key]
                elif type_name in MULTI and namespace in stored.namespaces:
                    stored.namespaces = [s for s in stored.namespaces if s != namespace]
                    if not stored.namespaces:
                        del self.model.objects[key]
            for alias_key in [k for k in self.model.aliases if k[0] == namespace]:
                del self.model.aliases[alias_key]
            self.check_aliases()

        @rule(
            space=st.sampled_from(NAMESPACES),
            type_name=st.sampled_from(ALIAS_TYPES),
            source_id=st.sampled_from(SOURCE_IDS),
            target_id=st.sampled_from(IDS),
            overwrite=st.booleans(),
        )
        def create_alias(
            self, space: str, type_name: str, source_id: str, target_id: str, overwrite: bool
        ) -> None:
            """An alias object ``<space>:<type>:<source id>``, as conversion and import
            write them; the repository does not check that its target exists."""
            key = (space, type_name, source_id)
            try:
                self.repo.create(
                    LEGACY_URL_ALIAS_TYPE,
                    {
                        "sourceId": source_id,
                        "targetNamespace": space,
                        "targetType": type_name,
                        "targetId": target_id,
                        "purpose": "savedObjectConversion",
                    },
                    id=f"{space}:{type_name}:{source_id}",
                    overwrite=overwrite,
                    refresh=True,
                )
            except ConflictError:
                assert (key in self.model.aliases, overwrite) == (True, False), key
                return
            assert key not in self.model.aliases or overwrite, key
            self.model.aliases[key] = Alias(target_id)

        @rule(
            space=st.sampled_from(NAMESPACES),
            type_name=st.sampled_from(MULTI),
            source_id=st.sampled_from(SOURCE_IDS),
        )
        def disable_alias(self, space: str, type_name: str, source_id: str) -> None:
            key = (space, type_name, source_id)
            response = self.repo.disable_legacy_url_aliases(
                [{"target_space": space, "target_type": type_name, "source_id": source_id}]
            )
            [entry] = response.saved_objects
            alias = self.model.aliases.get(key)
            if alias is None:
                assert status(entry.error) == 404, key
                return
            assert entry.error is None, (key, entry.error)
            alias.disabled = True

        @rule(
            type_name=st.sampled_from(TYPES),
            object_id=st.sampled_from(SOURCE_IDS),
            namespace=st.sampled_from(NAMESPACES),
        )
        def resolve(self, type_name: str, object_id: str, namespace: str) -> None:
            expected = self.model.resolve(type_name, object_id, namespace)
            try:
                got = self.repo.resolve(type_name, object_id, namespace=namespace)
            except NotFoundError:
                assert expected is None, (type_name, object_id, namespace)
                return
            assert expected is not None, (type_name, object_id, namespace)
            self.check_resolved(type_name, object_id, namespace, got, expected)

        @rule(namespace=st.sampled_from(NAMESPACES))
        def read_space(self, namespace: str) -> None:
            """Everything a space shows — bulk_get, find and bulk_resolve of every (type,
            id) — is exactly the model's view of that space."""
            pairs = [(t, i) for t in TYPES for i in IDS]
            got = self.repo.bulk_get(
                [{"type": t, "id": i} for t, i in pairs], namespace=namespace
            ).saved_objects
            for (type_name, object_id), entry in zip(pairs, got, strict=True):
                expected = self.model.visible(type_name, object_id, namespace)
                where = (type_name, object_id, namespace)
                if expected is None:
                    assert status(entry.error) == 404, where
                else:
                    assert entry.error is None, where
                    assert entry.attributes == {"title": expected.title}, where
            self.refresh()
            found = self.repo.find(type=TYPES, namespaces=[namespace], per_page=100)
            assert sorted((o.type, o.id) for o in found.saved_objects) == sorted(
                (t, i) for t, i in pairs if self.model.visible(t, i, namespace) is not None
            ), namespace
            resolving = [(t, i) for t in TYPES for i in SOURCE_IDS]
            resolved = self.repo.bulk_resolve(
                [{"type": t, "id": i} for t, i in resolving], namespace=namespace
            ).resolved_objects
            for (type_name, object_id), result in zip(resolving, resolved, strict=True):
                outcome = self.model.resolve(type_name, object_id, namespace)
                if outcome is None:
                    error = result.saved_object.error
                    assert status(error) == 404, (
                        type_name,
                        object_id,
                        namespace,
                    )
                else:
                    self.check_resolved(type_name, object_id, namespace, result, outcome)

        @rule(
            objects=st.lists(
                st.tuples(st.sampled_from(TYPES), st.sampled_from(IDS)),
                min_size=1,
                max_size=2,
                unique=True,
            ),
            namespace=st.sampled_from(NAMESPACES),
            for_sharing=st.booleans(),
        )
        def collect_references(
            self, objects: list[tuple[str, str]], namespace: str, for_sharing: bool
        ) -> None:
            """The sharing graph of objects without references: each object with its spaces
            if visible (else missing), the spaces of its enabled aliases and of its copies
            (itself, unless the purpose is sharing it)."""
            self.refresh()  # aliases and origins are searched
            request: Any = [{"type": t, "id": i} for t, i in objects]
            if for_sharing:
                response = self.repo.collect_multi_namespace_references(
                    request, namespace=namespace, purpose="updateObjectsSpaces"
                )
            else:
                response = self.repo.collect_multi_namespace_references(
                    request, namespace=namespace
                )
            assert [(o.type, o.id) for o in response.objects] == objects
            for (type_name, object_id), entry in zip(objects, response.objects, strict=True):
                where = (type_name, object_id, namespace, for_sharing)
                assert entry.inbound_references == [], where
                eligible = type_name == MULTIPLE or (type_name in MULTI and not for_sharing)
                stored = self.model.visible(type_name, object_id, namespace)
                if not eligible:
                    assert (entry.spaces, bool(entry.is_missing)) == ([], False), where
                    assert entry.spaces_with_matching_aliases is None, where
                    continue
                if stored is None:
                    assert (entry.spaces, bool(entry.is_missing)) == ([], True), where
                    assert entry.spaces_with_matching_aliases is None, where
                    continue
                assert (entry.spaces, bool(entry.is_missing)) == (stored.namespaces, False), where
                aliases = sorted(
                    space
                    for (space, alias_type, source), alias in self.model.aliases.items()
                    if alias_type == type_name and source == object_id and not alias.disabled
                )
                assert (entry.spaces_with_matching_aliases or []) == aliases, where
                origins = (
                    []
                    if for_sharing
                    else ["*"]
                    if "*" in stored.namespaces
                    else sorted(stored.namespaces)
                )
                assert (entry.spaces_with_matching_origins or []) == origins, where

        @rule()
        def check_aliases(self) -> None:
            """The engine's alias documents are the model's: none left pointing at an object
            that was deleted or left the alias's space, disabled flags and resolve counters
            as the model counted them."""
            self.refresh()
            found = self.repo.find(type=LEGACY_URL_ALIAS_TYPE, per_page=100)
            stored: dict[tuple[str, str, str], Alias] = {}
            for alias in found.saved_objects:
                attributes = alias.attributes
                key = (
                    attributes["targetNamespace"],
                    attributes["targetType"],
                    attributes["sourceId"],
                )
                assert alias.id == ":".join(key)
                stored[key] = Alias(
                    attributes["targetId"],
                    attributes.get("disabled") is True,
                    attributes.get("resolveCounter", 0),
                )
            assert stored == self.model.aliases

    return NamespaceIsolation


def test_namespace_isolation_matches_the_model(kbn_engine: Engine) -> None:
    run_state_machine_as_test(
        make_machine(kbn_engine),
        settings=settings(
            max_examples=30,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
