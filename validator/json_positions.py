"""Find the line and column of every value in a JSON text, by JSON Pointer.

Only run when a payload has findings, so the common conformant case pays nothing. The scanner
trusts that the text already parsed (orjson accepted it) and so stays small.
"""

from __future__ import annotations

import contextlib
import json
import re

from hegui.validator.safe_json import escape_pointer

_WS = re.compile(r"[ \t\n\r]*")
_SCALAR_END = re.compile(r"[,\]} \t\n\r]")
_decoder = json.JSONDecoder()


class _Scanner:
    def __init__(self, text: str):
        self.text = text
        self.out: dict[str, tuple[int, int]] = {}
        self._line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def pos(self, offset: int) -> tuple[int, int]:
        lo, hi = 0, len(self._line_starts) - 1
        while lo < hi:  # last line start <= offset
            mid = (lo + hi + 1) // 2
            if self._line_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, offset - self._line_starts[lo] + 1

    def ws(self, i: int) -> int:
        m = _WS.match(self.text, i)
        return m.end() if m else i

    def value(self, i: int, pointer: str) -> int:
        i = self.ws(i)
        self.out.setdefault(pointer, self.pos(i))
        ch = self.text[i] if i < len(self.text) else ""
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


def json_positions(text: str) -> dict[str, tuple[int, int]]:
    """Map every JSON Pointer in ``text`` ("" for the root) to its 1-based (line, column)."""
    scanner = _Scanner(text)
    # On a scanning problem, positions found so far are still right; the rest are unknown.
    with contextlib.suppress(ValueError, IndexError):
        scanner.value(0, "")
    return scanner.out
