"""The request-scoped client with all three extensions vs the bare repository, same run.

Both paths write, read and page through the same N small single-namespace objects in
space ``s1``, in the same batches:

* bare: ``SavedObjectsRepository`` with no extension, each call naming ``namespace="s1"``;
* client: ``SavedObjectsService`` with ``enable_spaces`` (the searchable-spaces filter of
  the security extension), ``enable_security`` (a role table; with ``--audit`` every
  audit record is built and logged at INFO, into a handler that drops it; without it the
  ``kbn_saved_objects.audit`` logger is left unconfigured, as by a service that does not
  collect them, and no record is built) and ``enable_encryption`` (a registration for
  another type), through ``get_scoped_client`` for an ``admin`` in ``s1``. A new client per
  batch, as a service builds one per request.

Operations: ``bulk_create`` (batches of 1000), ``bulk_get`` (same batches) and a
point-in-time finder over every object (``find`` pages of 1000). The two paths take
turns batch by batch (page by page for the finders) on two identical types in one index,
so a change of load on the machine weighs on both alike. The target is an
overhead under 15% (client >= 0.85x bare). The objects' type has nothing encrypted: an
encrypted value costs one PBKDF2 key derivation (10,000 rounds of SHA-512, ~10 ms), as in
Kibana, which no library overhead compares with; ``--encrypted N`` also times N creates
of an encrypted type to show it.

    .venv/bin/python benchmarks/bench_extensions.py --docs 100000
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

from _common import index_name, save_results

from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine import requests as rq
from kbn_saved_objects.engine.discovery import provide_engine
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
from kbn_saved_objects.repository import RepositoryConfig, SavedObjectsRepository
from kbn_saved_objects.repository.extensions import Principal
from kbn_saved_objects.service import (
    RequestContext,
    SavedObjectsService,
    SavedObjectsServiceStart,
)
from kbn_saved_objects.types import SavedObjectsType

ALIAS = index_name("kbn-so-bench-extensions")
TYPE = "dashboard"
CLIENT_TYPE = "dashboard2"
"""The client's objects: the same mappings under another name, so both paths can run
batch by batch in turn against one index (a load change on the machine then hits both
alike) and each finder sees only its own objects."""
SECRET_TYPE = "connector"
SPACE = "s1"


def types() -> list[SavedObjectsType]:
    mappings = {
        "properties": {
            "title": {"type": "text"},
            "count": {"type": "integer"},
            "description": {"type": "text"},
        }
    }
    return [
        SavedObjectsType(name=TYPE, namespace_type="single", mappings=mappings),
        SavedObjectsType(name=CLIENT_TYPE, namespace_type="single", mappings=mappings),
        SavedObjectsType(
            name=SECRET_TYPE,
            namespace_type="single",
            mappings={"properties": {"name": {"type": "keyword"}, "token": {"type": "binary"}}},
        ),
    ]


def attributes(i: int) -> dict[str, Any]:
    return {"title": f"Dashboard {i}", "count": i, "description": "a small saved object"}


def batches(count: int, size: int) -> Iterator[range]:
    for start in range(0, count, size):
        yield range(start, min(start + size, count))


def service_start(engine: Engine) -> SavedObjectsServiceStart:
    service = SavedObjectsService(engine, config=RepositoryConfig(default_index=ALIAS))
    setup = service.setup()
    for definition in types():
        setup.register_type(definition)
    privileges = RolePrivileges({"admin": {"*": ["all"]}})
    enable_spaces(service, searchable_spaces=searchable_spaces_filter(privileges))
    enable_security(service, privileges)
    secrets = EncryptedTypeRegistry()
    secrets.register(
        EncryptedSavedObjectTypeRegistration(type=SECRET_TYPE, attributes_to_encrypt=["token"])
    )
    enable_encryption(service, secrets, EncryptionKeys("b" * 32))
    return service.start()


REQUEST = RequestContext(
    principal=Principal("admin", roles=("admin",), profile_uid="u_admin_0"), space_id=SPACE
)


class Paths:
    """Each operation as a list of steps (one batch, or one page), for both paths."""

    def __init__(self, start: SavedObjectsServiceStart, bare: SavedObjectsRepository) -> None:
        self.start = start
        self.bare = bare

    def create(self, client: bool, chunk: range) -> None:
        if client:
            target, type_name, options = self.start.get_scoped_client(REQUEST), CLIENT_TYPE, {}
        else:
            target, type_name, options = self.bare, TYPE, {"namespace": SPACE}
        answer = target.bulk_create(
            [{"type": type_name, "id": f"b-{i}", "attributes": attributes(i)} for i in chunk],
            refresh=False,
            **options,
        )
        assert answer.saved_objects[-1].error is None, answer.saved_objects[-1].error

    def get(self, client: bool, chunk: range) -> None:
        if client:
            objects = [{"type": CLIENT_TYPE, "id": f"b-{i}"} for i in chunk]
            answer = self.start.get_scoped_client(REQUEST).bulk_get(objects)
        else:
            objects = [{"type": TYPE, "id": f"b-{i}", "namespaces": [SPACE]} for i in chunk]
            answer = self.bare.bulk_get(objects)
        assert answer.saved_objects[-1].error is None, answer.saved_objects[-1].error

    def finder(self, client: bool) -> Any:
        if client:
            return self.start.get_scoped_client(REQUEST).create_point_in_time_finder(
                type=CLIENT_TYPE, per_page=1000
            )
        return self.bare.create_point_in_time_finder(type=TYPE, per_page=1000, namespaces=[SPACE])


def timed(run: Callable[[], Any]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def one_round(paths: Paths, count: int, size: int) -> dict[str, float]:
    """Seconds per path and operation, the two paths taking turns step by step."""
    spent = {
        f"{name} {label}": 0.0
        for name in ("bulk_create", "bulk_get", "find")
        for label in ("bare", "client")
    }
    for chunk in batches(count, size):
        for client, label in ((False, "bare"), (True, "client")):
            spent[f"bulk_create {label}"] += timed(lambda: paths.create(client, chunk))  # noqa: B023
    paths.bare.engine.perform(rq.refresh(paths.bare.context.index_for(TYPE)))
    for chunk in batches(count, size):
        for client, label in ((False, "bare"), (True, "client")):
            spent[f"bulk_get {label}"] += timed(lambda: paths.get(client, chunk))  # noqa: B023
    finders = {label: paths.finder(client) for client, label in ((False, "bare"), (True, "client"))}
    pages = {label: finder.find() for label, finder in finders.items()}
    seen = dict.fromkeys(pages, 0)
    try:
        while pages:
            for label in list(pages):
                started = time.perf_counter()
                page = next(pages[label], None)
                spent[f"find {label}"] += time.perf_counter() - started
                if page is None:
                    del pages[label]
                else:
                    seen[label] += len(page.saved_objects)
    finally:
        for finder in finders.values():
            finder.close()
    assert seen == {"bare": count, "client": count}, seen
    return spent


def drop(engine: Engine) -> None:
    names = [n for n in engine.perform(rq.get_index(f"{ALIAS}*")) if n.startswith(ALIAS)]
    if names:
        engine.perform(rq.delete_index(names))


def rate(run: Callable[[], Any], count: int) -> float:
    return count / timed(run)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--encrypted", type=int, default=0, help="also time N encrypted creates")
    parser.add_argument(
        "--audit",
        action="store_true",
        help="collect audit records (INFO on the audit logger, into a handler that drops them)",
    )
    args = parser.parse_args()
    if args.audit:
        audit_logger = logging.getLogger(AUDIT_LOGGER_NAME)
        audit_logger.setLevel(logging.INFO)
        audit_logger.addHandler(logging.NullHandler())
        audit_logger.propagate = False
    provided = provide_engine()
    try:
        with Engine.connect(provided.url, request_timeout=120) as engine:
            drop(engine)
            start = service_start(engine)
            internal = start.create_internal_repository()
            paths = Paths(
                start,
                SavedObjectsRepository(
                    engine, start.get_type_registry(), config=internal.context.config
                ),
            )
            names = ("bulk_create", "bulk_get", "find")
            rates: dict[str, list[float]] = {
                f"{n} {p}": [] for n in names for p in ("bare", "client")
            }
            try:
                for _ in range(args.rounds):
                    drop(engine)
                    internal.setup_indices()
                    spaces = SpacesClient(start.create_internal_repository(["space"]))
                    spaces.ensure_default_space()
                    spaces.create(Space(id=SPACE, name="S1"))
                    for path, seconds in one_round(paths, args.docs, args.batch).items():
                        rates[path].append(args.docs / seconds)
                encrypted_rate = None
                if args.encrypted:
                    client_target = start.get_scoped_client(REQUEST)
                    encrypted_rate = rate(
                        lambda: client_target.bulk_create(
                            [
                                {"type": SECRET_TYPE, "attributes": {"name": f"c{i}", "token": "t"}}
                                for i in range(args.encrypted)
                            ]
                        ),
                        args.encrypted,
                    )
            finally:
                drop(engine)
            best = {path: max(values) for path, values in rates.items()}
            ratios = {n: best[f"{n} client"] / best[f"{n} bare"] for n in names}
            audit = "audit records collected" if args.audit else "audit not collected"
            print(
                f"{engine.info}, {args.docs} objects, batch {args.batch}, "
                f"best of {args.rounds}, {audit}"
            )
            print(f"{'path':<20}{'objects/s':>12}{'client/bare':>13}{'overhead':>10}")
            for name in names:
                for label in ("bare", "client"):
                    value = best[f"{name} {label}"]
                    extra = ""
                    if label == "client":
                        extra = f"{ratios[name]:>13.2f}{(1 - ratios[name]) * 100:>9.1f}%"
                    print(f"{name + ' ' + label:<20}{value:>12,.0f}{extra}")
            if encrypted_rate is not None:
                print(f"encrypted creates (one secret each): {encrypted_rate:,.1f}/s")
            save_results(
                "extensions",
                {
                    "engine": str(engine.info),
                    "docs": args.docs,
                    "batch": args.batch,
                    "rounds": args.rounds,
                    "audit": args.audit,
                    "objects_per_s": best,
                    "client_vs_bare": ratios,
                    "encrypted_creates_per_s": encrypted_rate,
                },
            )
    finally:
        provided.stop()


if __name__ == "__main__":
    main()
