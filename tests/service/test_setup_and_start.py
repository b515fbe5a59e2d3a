"""The service's setup and start rules (spec 08 §7-8): what may be declared when, once,
in which order wrappers apply, which extensions a client gets, and Kibana's messages."""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.errors import BadRequestError, UnclassifiedError
from kbn_saved_objects.extensions.spaces import SavedObjectsSpacesExtension, enable_spaces
from kbn_saved_objects.import_export import SavedObjectsExporter, SavedObjectsImporter
from kbn_saved_objects.repository.extensions import Principal, RepositoryExtensions
from kbn_saved_objects.service import (
    ClientFactoryOptions,
    ClientWrapperOptions,
    RequestContext,
    SavedObjectsClient,
    SavedObjectsService,
)
from kbn_saved_objects.types import SavedObjectTypeRegistry
from tests.service.offline import a_type, offline_service

ALICE = RequestContext(principal=Principal("alice"), space_id="s1", request_id="r-1")


def started(service: SavedObjectsService | None = None) -> Any:
    service = service or offline_service()
    service.setup().register_type(a_type("dashboard"))
    return service.start()


# --- setup: once, and never after start ---------------------------------------------


@pytest.mark.parametrize(
    ("method", "kibana_name"),
    [
        ("set_security_extension", "setSecurityExtension"),
        ("set_encryption_extension", "setEncryptionExtension"),
        ("set_spaces_extension", "setSpacesExtension"),
        ("set_client_factory_provider", "setClientFactoryProvider"),
    ],
)
def test_setters_refuse_after_startup(method: str, kibana_name: str) -> None:
    service = offline_service()
    started(service)
    with pytest.raises(UnclassifiedError) as caught:
        getattr(service.setup(), method)(lambda *_: None)
    assert caught.value.message == f"cannot call `{kibana_name}` after service startup."


def test_register_type_and_add_client_wrapper_refuse_after_startup() -> None:
    service = offline_service()
    started(service)
    with pytest.raises(UnclassifiedError, match=r"^cannot call `registerType` after service"):
        service.setup().register_type(a_type("late"))
    with pytest.raises(UnclassifiedError) as caught:
        service.setup().add_client_wrapper(1, "late", lambda options: options.client)
    assert caught.value.message == "cannot call `addClientWrapper` after service startup."
    assert "late" not in service.start().get_type_registry()


@pytest.mark.parametrize(
    ("method", "message"),
    [
        ("set_security_extension", "security extension is already set, and can only be set once"),
        (
            "set_encryption_extension",
            "encryption extension is already set, and can only be set once",
        ),
        ("set_spaces_extension", "spaces extension is already set, and can only be set once"),
        (
            "set_client_factory_provider",
            "custom client factory is already set, and can only be set once",
        ),
    ],
)
def test_each_extension_is_set_once(method: str, message: str) -> None:
    setup = offline_service().setup()
    getattr(setup, method)(lambda *_: None)
    with pytest.raises(UnclassifiedError) as caught:
        getattr(setup, method)(lambda *_: None)
    assert caught.value.message == message


def test_client_wrappers_have_unique_ids_and_priorities_and_sort_by_priority() -> None:
    setup = offline_service().setup()
    setup.add_client_wrapper(10, "ten", lambda o: o.client)
    setup.add_client_wrapper(-5, "minus-five", lambda o: o.client)
    setup.add_client_wrapper(3, "three", lambda o: o.client)
    with pytest.raises(UnclassifiedError) as by_id:
        setup.add_client_wrapper(4, "three", lambda o: o.client)
    assert by_id.value.message == "wrapper factory with id three is already defined"
    with pytest.raises(UnclassifiedError) as by_priority:
        setup.add_client_wrapper(10, "other", lambda o: o.client)
    assert by_priority.value.message == "Already have entry with this priority"
    assert setup.wrapper_ids == ["minus-five", "three", "ten"]


class Wrapped:
    """A wrapper that records the order it was applied in."""

    def __init__(self, name: str, options: ClientWrapperOptions) -> None:
        self.name = name
        self.inner = options.client
        self.request = options.request
        self.type_registry = options.type_registry


def chain(client: Any) -> list[str]:
    names = []
    while isinstance(client, Wrapped):
        names.append(client.name)
        client = client.inner
    assert isinstance(client, SavedObjectsClient)
    return names


def test_wrappers_fold_highest_priority_innermost_and_can_be_excluded() -> None:
    service = offline_service()
    setup = service.setup()
    for priority, name in [(100, "encryption"), (99, "security"), (-100, "spaces")]:
        setup.add_client_wrapper(priority, name, lambda o, n=name: Wrapped(n, o))
    start = started(service)
    outer = start.get_scoped_client(ALICE)
    assert chain(outer) == ["spaces", "security", "encryption"]  # the caller holds spaces
    assert outer.request is ALICE
    assert outer.type_registry is start.get_type_registry()
    assert chain(start.get_scoped_client(ALICE, excluded_wrappers=["security"])) == [
        "spaces",
        "encryption",
    ]


# --- start: extensions per client ---------------------------------------------------


class Recorder:
    """Extension factories that record whom they were built for."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, RequestContext]] = []

    def factory(self, name: str, returns: Any = None) -> Any:
        def build(registry: SavedObjectTypeRegistry, request: RequestContext) -> Any:
            assert registry.frozen
            self.calls.append((name, request))
            return returns if returns is not None else f"{name}-for-{request.space_id}"

        return build


def test_each_scoped_client_builds_its_extensions_for_its_request() -> None:
    service = offline_service()
    recorder = Recorder()
    service.setup().set_security_extension(recorder.factory("security"))
    service.setup().set_encryption_extension(recorder.factory("encryption"))
    start = started(service)
    client = start.get_scoped_client(ALICE)
    extensions = client.context.extensions
    assert (extensions.security, extensions.encryption, extensions.spaces) == (
        "security-for-s1",
        "encryption-for-s1",
        None,
    )
    assert [name for name, _ in recorder.calls] == ["security", "encryption"]
    assert all(request is ALICE for _, request in recorder.calls)
    bob = RequestContext(principal=Principal("bob"), space_id="s2")
    assert start.get_scoped_client(bob).context.extensions.security == "security-for-s2"


def test_excluded_extensions_are_not_even_built() -> None:
    service = offline_service()
    recorder = Recorder()
    service.setup().set_security_extension(recorder.factory("security"))
    service.setup().set_encryption_extension(recorder.factory("encryption"))
    start = started(service)
    client = start.get_scoped_client(ALICE, excluded_extensions=["encryptedSavedObjects"])
    assert client.context.extensions.encryption is None
    assert client.context.extensions.security == "security-for-s1"
    assert [name for name, _ in recorder.calls] == ["security"]


def test_a_factory_may_decline_a_request() -> None:
    service = offline_service()
    service.setup().set_security_extension(lambda registry, request: None)
    assert started(service).get_scoped_client(ALICE).context.extensions.security is None


def test_the_internal_client_never_gets_security_and_acts_for_nobody() -> None:
    service = offline_service()
    recorder = Recorder()
    service.setup().set_security_extension(recorder.factory("security"))
    service.setup().set_encryption_extension(recorder.factory("encryption"))
    start = started(service)
    client = start.get_unsafe_internal_client()
    assert client.context.extensions.security is None
    assert client.context.extensions.encryption == "encryption-for-default"
    assert recorder.calls == [("encryption", RequestContext.internal())]
    bare = start.get_unsafe_internal_client(excluded_extensions=["encryptedSavedObjects"])
    assert bare.context.extensions == RepositoryExtensions()


def test_a_custom_client_factory_receives_the_start_contract_and_the_request() -> None:
    service = offline_service()
    seen: list[Any] = []

    def provider(repository_factory: Any) -> Any:
        seen.append(repository_factory)

        def factory(options: ClientFactoryOptions) -> Any:
            seen.append(options)
            return SavedObjectsClient(
                repository_factory.create_scoped_repository(
                    options.request, options.included_hidden_types, options.extensions
                )
            )

        return factory

    service.setup().set_client_factory_provider(provider)
    service.setup().register_type(a_type("hidden", hidden=True))
    start = started(service)
    client = start.get_scoped_client(ALICE, included_hidden_types=["hidden"])
    assert seen[0] is start
    assert seen[1] == ClientFactoryOptions(ALICE, ("hidden",), RepositoryExtensions())
    assert client.context.is_allowed("hidden")


def test_start_freezes_the_registry_once() -> None:
    service = offline_service()
    start = started(service)
    assert start.get_type_registry().frozen
    assert service.start() is start
    assert service.setup().started


# --- repositories -----------------------------------------------------------------


def test_included_hidden_types_must_be_registered() -> None:
    start = started()
    with pytest.raises(UnclassifiedError) as caught:
        start.get_scoped_client(ALICE, included_hidden_types=["nope", "dashboard", "ghost"])
    assert caught.value.message == "Missing mappings for saved objects types: 'nope, ghost'"
    with pytest.raises(UnclassifiedError, match="Missing mappings"):
        start.create_internal_repository(["nope"])


def test_a_repository_needs_at_least_one_type() -> None:
    # only reachable without core types: legacy-url-alias is a visible type
    service = offline_service(SavedObjectTypeRegistry(core_types=False))
    service.setup().register_type(a_type("hidden", hidden=True))
    start = service.start()
    with pytest.raises(UnclassifiedError) as caught:
        start.create_internal_repository()
    assert caught.value.message == "Empty or missing types for saved object repository!"
    assert start.create_internal_repository(["hidden"]).context.allowed_types() == ["hidden"]


def test_hidden_types_are_included_per_client() -> None:
    service = offline_service()
    service.setup().register_type(a_type("hidden", hidden=True))
    start = started(service)
    assert not start.get_scoped_client(ALICE).context.is_allowed("hidden")
    assert start.get_scoped_client(ALICE, included_hidden_types=["hidden"]).context.is_allowed(
        "hidden"
    )


def test_repositories_have_no_extension_unless_given() -> None:
    service = offline_service()
    service.setup().set_security_extension(lambda registry, request: "security")
    start = started(service)
    assert start.create_internal_repository().context.extensions == RepositoryExtensions()
    scoped = start.create_scoped_repository(ALICE)
    assert scoped.context.extensions == RepositoryExtensions()
    assert scoped.context.namespace is None


# --- the active space, until the repository asks the spaces extension itself --------


def test_with_the_spaces_extension_a_client_acts_in_its_request_space() -> None:
    service = offline_service()
    enable_spaces(service)
    start = started(service)
    client = start.get_scoped_client(ALICE)
    assert isinstance(client.context.extensions.spaces, SavedObjectsSpacesExtension)
    # the extension decides, so the repository itself is not scoped
    assert client.context.namespace is None
    assert client.get_current_namespace() == "s1"
    in_default = start.get_scoped_client(RequestContext())
    assert in_default.get_current_namespace() is None
    unspaced = start.get_scoped_client(ALICE, excluded_extensions=["spaces"])
    assert unspaced.context.extensions.spaces is None
    assert unspaced.get_current_namespace() is None


def test_as_scoped_to_namespace_moves_the_spaces_extension_and_keeps_the_others() -> None:
    service = offline_service()
    enable_spaces(service)
    service.setup().set_security_extension(lambda registry, request: "security")
    start = started(service)
    moved = start.get_scoped_client(ALICE).as_scoped_to_namespace("s2")
    spaces = moved.context.extensions.spaces
    assert isinstance(spaces, SavedObjectsSpacesExtension)
    assert spaces.active_space_id == "s2"
    assert moved.context.extensions.security == "security"
    assert moved.get_current_namespace() == "s2"


def test_without_spaces_as_scoped_to_namespace_scopes_the_repository() -> None:
    start = started()
    client = start.get_scoped_client(ALICE).as_scoped_to_namespace("s2")
    assert client.context.namespace == "s2"
    with pytest.raises(BadRequestError, match="scoped to namespace 's2'"):
        client.as_scoped_to_namespace("s3")


# --- import/export and indices ------------------------------------------------------


def test_importer_and_exporter_work_through_the_client_with_the_service_limit() -> None:
    start = started()
    client = start.get_scoped_client(ALICE)
    exporter = start.create_exporter(client)
    importer = start.create_importer(client)
    assert isinstance(exporter, SavedObjectsExporter)
    assert isinstance(importer, SavedObjectsImporter)
    assert exporter.repository is client
    assert importer.repository is client
    assert (exporter.export_size_limit, importer.import_size_limit) == (77, 77)
    assert start.create_importer(client, import_size_limit=5).import_size_limit == 5


def test_index_names() -> None:
    service = offline_service()
    service.setup().register_type(a_type("task", index_pattern="offline_tasks"))
    start = started(service)
    assert start.get_default_index() == service.setup().get_default_index() == "offline_svc"
    assert start.get_index_for_type("task") == "offline_tasks"
    assert start.get_index_for_type("dashboard") == "offline_svc"
    assert start.get_index_for_type("unknown") == "offline_svc"
    assert start.get_indices_for_types(["dashboard", "task", "dashboard"]) == [
        "offline_svc",
        "offline_tasks",
    ]
    assert start.get_all_indices() == ["offline_svc", "offline_tasks"]
    assert (
        start.create_serializer().raw_to_doc(
            {"_id": "task:t1", "_source": {"type": "task", "task": {}}}
        )["id"]
        == "t1"
    )


# --- the request -------------------------------------------------------------------


def test_a_request_needs_a_space_and_keeps_its_headers_read_only() -> None:
    with pytest.raises(ValueError, match="space_id"):
        RequestContext(space_id="")
    request = RequestContext(headers={"x-opaque-id": "abc"})
    assert request.space_id == "default"
    with pytest.raises(TypeError):
        request.headers["x"] = "y"  # type: ignore[index]
