"""Operations as pure generators: they yield engine requests and receive the answers.

An operation is written once, as plain logic::

    def get(ctx, type_name, id) -> Operation[SavedObject]:
        answer = yield rq.get_document(ctx.index_for(type_name), raw_id)
        ...
        return saved_object

and the sync and async repositories only *drive* it (send each request to their engine,
send the answer back in, throw engine errors in). So each operation's logic exists once,
and its tests can feed it answers without any server.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, TypeVar

from kbn_saved_objects.engine.requests import Request

T = TypeVar("T")

Operation = Generator[Request, Any, T]


def run_offline(operation: Operation[T], answers: list[Any]) -> tuple[T, list[Request]]:
    """Drive ``operation`` with canned ``answers`` (exceptions are thrown in).

    Returns the result and the requests it made: for unit tests of operation logic.
    """
    sent: list[Request] = []
    try:
        request = next(operation)
        while True:
            sent.append(request)
            answer = answers.pop(0)
            if isinstance(answer, BaseException):
                request = operation.throw(answer)
            else:
                request = operation.send(answer)
    except StopIteration as stop:
        return stop.value, sent
