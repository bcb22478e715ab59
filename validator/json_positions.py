"""Find the line and column of every value in a JSON text, by JSON Pointer.

Only run when a payload has findings, so the common conformant case pays nothing. The scanner
trusts that the text already parsed (orjson accepted it) and so stays small.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import re
from collections.abc import Collection

from hegui.validator.safe_json import escape_pointer

_WS = re.compile(r"[ \t\n\r]*")
_SCALAR_END = re.compile(r"[,\]} \t\n\r]")
_decoder = json.JSONDecoder()


class _Scanner:
    def __init__(self, text: str, wanted: Collection[str] | None):
        self.text = text
        self.out: dict[str, tuple[int, int]] = {}
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        # Containers on the way to a wanted pointer are scanned; others are skipped whole.
        self._inside: set[str] | None = None
        if wanted is not None:
            self._inside = set()
            for w in wanted:
                while w and w not in self._inside:
                    self._inside.add(w)
                    w = w.rsplit("/", 1)[0]
                self._inside.add("")

    def pos(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._line_starts, offset) - 1  # last line start <= offset
        return line + 1, offset - self._line_starts[line] + 1

    def ws(self, i: int) -> int:
        m = _WS.match(self.text, i)
        return m.end() if m else i

    def value(self, i: int, pointer: str) -> int:
        i = self.ws(i)
        self.out.setdefault(pointer, self.pos(i))
        ch = self.text[i] if i < len(self.text) else ""
        if ch in "{[" and self._inside is not None and pointer not in self._inside:
            _, end = _decoder.raw_decode(self.text, i)  # no finding inside: skip it whole
            return int(end)
        if ch == "{":
            i = self.ws(i + 1)
            if self.text[i] == "}":
                return i + 1
            while True:
                key, i = _decoder.raw_decode(self.text, self.ws(i))
                i = self.ws(i)
                i = self.value(i + 1, f"{pointer}/{escape_pointer(str(key))}")  # skip ':'
                i = self.ws(i)
                if self.text[i] == ",":
                    i += 1
                    continue
                return i + 1  # '}'
        if ch == "[":
            i = self.ws(i + 1)
            if self.text[i] == "]":
                return i + 1
            n = 0
            while True:
                i = self.ws(self.value(i, f"{pointer}/{n}"))
                n += 1
                if self.text[i] == ",":
                    i += 1
                    continue
                return i + 1  # ']'
        if ch == '"':
            _, end = _decoder.raw_decode(self.text, i)
            return int(end)
        m = _SCALAR_END.search(self.text, i)
        return m.start() if m else len(self.text)


def json_positions(text: str, wanted: Collection[str] | None = None
                   ) -> dict[str, tuple[int, int]]:
    """Map every JSON Pointer in ``text`` ("" for the root) to its 1-based (line, column);
    given ``wanted`` pointers, only those and the containers on their way (the rest of the
    text is skipped at the speed of the standard library's JSON scanner)."""
    scanner = _Scanner(text, wanted)
    # On a scanning problem, positions found so far are still right; the rest are unknown.
    with contextlib.suppress(ValueError, IndexError):
        scanner.value(0, "")
    return scanner.out
