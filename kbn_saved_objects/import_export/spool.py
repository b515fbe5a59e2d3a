"""Objects kept out of memory between the stages of an import.

Kibana's import holds every object of a file in memory for the whole request (its size
limit keeps that at 10,000 by default). Our stages need every object several times
(collect, check, migrate, write), so an import of 100,000 objects would hold hundreds of
megabytes. A spool writes each object once as a JSON line and reads it back in chunks,
so only the keys and the per-object state of the rules stay in memory: small imports
stay in RAM (``SpooledTemporaryFile``), large ones go to an anonymous file on disk.

Readers are independent (each keeps its own offset), so two spools can be read in step.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import Any

import orjson

__all__ = ["ObjectSpool"]

_IN_MEMORY_BYTES = 1024 * 1024
_READ_BYTES = 256 * 1024


class ObjectSpool:
    """An append-only sequence of JSON objects, read back as new ``dict``s."""

    def __init__(self, max_memory_bytes: int = _IN_MEMORY_BYTES) -> None:
        self._file = tempfile.SpooledTemporaryFile(max_size=max_memory_bytes)  # noqa: SIM115
        self._count = 0
        self._end = 0
        self._at_end = True  # a seek flushes the write buffer: only after a read moved it

    def __len__(self) -> int:
        return self._count

    def append(self, obj: Any) -> None:
        self.append_encoded(orjson.dumps(obj))

    def append_encoded(self, data: bytes) -> None:
        """Add one object already encoded as JSON (one line: orjson never writes a newline)."""
        if not self._at_end:
            self._file.seek(self._end)
            self._at_end = True
        self._file.write(data + b"\n")
        self._end += len(data) + 1
        self._count += 1

    def __iter__(self) -> Iterator[Any]:
        for chunk in self.chunks():
            yield from chunk

    def chunks(self, read_bytes: int = _READ_BYTES) -> Iterator[list[Any]]:
        """The objects in order, about ``read_bytes`` of them at a time."""
        position = 0
        rest = b""
        while position < self._end:
            self._at_end = False
            self._file.seek(position)
            data = self._file.read(min(read_bytes, self._end - position))
            position += len(data)
            lines = (rest + data).split(b"\n")
            rest = lines.pop()
            if lines:  # a read inside one long line completes nothing yet
                yield [orjson.loads(line) for line in lines]
        if rest:
            yield [orjson.loads(rest)]

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> ObjectSpool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
