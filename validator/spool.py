"""The results of a long run kept on disk, not in memory: a sequence read back on demand.

A run of a million payloads keeps each :class:`~hegui.validator.result.Result` pickled in an
anonymous temporary file (gone when the process ends, whatever happens) and only its offset
in memory (8 bytes a result), plus the verdict counts. Reports iterate over it as over a
tuple, as many times as they need, each result read back when it is reached (``os.pread``:
two iterations at once do not disturb each other). A few results (the context documents a
report lists first) can be kept in memory, ahead of the spooled ones.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import overload

from hegui.validator.result import Result


class ResultSpool(Sequence[Result]):
    """Results in the order they were added (``head`` first), pickled to a temporary file."""

    def __init__(self, head: Iterable[Result] = ()) -> None:
        self.head: list[Result] = list(head)
        self._file = tempfile.TemporaryFile(prefix="hegui-results-")  # noqa: SIM115 - closed in close()
        self._ends = array("q")
        self._size = 0
        #: Verdict counts of every result (head included), kept as they are added.
        self.counts = {"total": 0, "conformant": 0, "nonconformant": 0, "error": 0}
        for r in self.head:
            self._count(r)

    def _count(self, r: Result) -> None:
        self.counts["total"] += 1
        self.counts[r.verdict] += 1

    def add_head(self, r: Result) -> None:
        """Keep ``r`` in memory, after the head results so far and before every spooled one."""
        self.head.append(r)
        self._count(r)

    def append(self, r: Result) -> None:
        """Spool ``r`` to disk."""
        data = pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.write(data)
        self._size += len(data)
        self._ends.append(self._size)
        self._count(r)

    def __len__(self) -> int:
        return len(self.head) + len(self._ends)

    def _read(self, i: int) -> Result:
        start = self._ends[i - 1] if i else 0
        data = os.pread(self._file.fileno(), self._ends[i] - start, start)
        result: Result = pickle.loads(data)
        return result

    @overload
    def __getitem__(self, index: int) -> Result: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Result]: ...

    def __getitem__(self, index: int | slice) -> Result | Sequence[Result]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("result index out of range")
        if index < len(self.head):
            return self.head[index]
        self._file.flush()
        return self._read(index - len(self.head))

    def __iter__(self) -> Iterator[Result]:
        self._file.flush()
        yield from self.head
        for i in range(len(self._ends)):
            yield self._read(i)

    def close(self) -> None:
        """Drop the temporary file (also dropped when the process ends)."""
        self._file.close()
