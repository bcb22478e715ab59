"""Where a value stops matching its pattern: the first character no match can have there.

A value that fails its ``pattern`` (or the lexical form of its datatype) is reported with the
offset of its first bad character: the length of its longest prefix that can still be extended
to a match. That is exact, whatever the pattern: a 2 MB Base64 attachment with one ``*`` is
reported at that ``*``; ``2024-1-05`` at its ``-`` (the month needs two digits); a value that is
a match cut short ends too early (offset = its length).

How, with the standard library's ``re`` only (the ``regex`` module's ``partial=True`` match is
quadratic on a failing value: minutes for 2 MB): a pattern of the portable subset the schema
generators use (hegui.generators.schema_parts: classes, groups, ``|``, ``* + ? {m,n}``, no
anchors or look-arounds) is rewritten into a pattern of its *prefixes* (a prefix of ``AB`` is a
prefix of ``A``, or ``A`` then a prefix of ``B``; of ``A{m,n}``, up to ``n - 1`` times ``A`` then
a prefix of ``A``). One greedy match of that pattern gives a prefix that can be extended; one
full match one character further checks that it is the longest (a prefix pattern holds every
prefix of its matches, so the first character that cannot follow ends the search), and only
when it is not does a binary search over the length run. Each step is linear, and a pattern
``A*B`` (Base64: quads, then the padded end) is checked on a short window at the end (see
:func:`_extendable`). Measured on the development machine: a bad character in a 2 MB Base64
value, a few milliseconds; the worst places in a 20 MB one (the payload limit), 0.3-0.6 s
(tests/validator/test_offsets.py keeps a bound).

Patterns that could make ``re`` backtrack exponentially (a repetition inside a repetition, an
alternation inside a repetition) are not analysed: no offset is given for them, the finding is
unchanged. Offsets are 0-based here; messages say the 1-based character number
(:attr:`Mismatch.position`), like the 1-based columns of locations.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from hegui.generators.schema_parts import TYPE_PATTERNS, scalar
from hegui.validator.spec import Element

__all__ = ["Mismatch", "first_mismatch", "lexical_patterns", "value_mismatch"]


@dataclass(frozen=True)
class Mismatch:
    """Where ``value`` stops matching: ``offset`` is the 0-based index of the first character
    that no match can have there, or the value's length when it ends too early."""

    offset: int
    char: str | None  # the character at ``offset``; None when the value ends too early

    @property
    def position(self) -> int:
        """The 1-based number of the bad character (of the last one, when it ends early)."""
        return self.offset + 1 if self.char is not None else self.offset


def value_mismatch(element: Element | None, facet: str, value: str | None) -> Mismatch | None:
    """Where ``value`` of ``element`` stops matching, for a ``pattern`` finding (None when not
    known: another facet, no pattern, a pattern not analysed, or a value that matches)."""
    if facet != "pattern" or element is None or not isinstance(value, str) or not value:
        return None
    return first_mismatch(value, lexical_patterns(element))


def lexical_patterns(element: Element) -> tuple[str, ...]:
    """The patterns (XSD syntax, as in the generated schemas) a value of ``element`` must
    match: its own, the decimal form of money and rates, its datatype's fixed form."""
    if element.datatype in ("group", "list", "integer", "boolean"):
        return ()
    try:
        sc = scalar(element)
    except (ValueError, KeyError):
        return ()
    return sc.patterns + ((TYPE_PATTERNS[sc.builtin],) if sc.builtin else ())


def first_mismatch(value: str, patterns: Sequence[str]) -> Mismatch | None:
    """The earliest place where ``value`` stops matching one of ``patterns`` (each must match
    all of ``value``), or None when it matches them all or none can be analysed."""
    found: int | None = None
    for pattern in patterns:
        prefixes = _prefix_pattern(pattern)
        if prefixes is None or (prefixes.limit is not None and len(value) > prefixes.limit):
            continue
        at = _longest_prefix(value, prefixes)
        if at == len(value) and _window(value, len(value), prefixes, prefixes.full):
            continue  # every prefix can be extended, and the whole value is a match
        found = at if found is None else min(found, at)
    if found is None:
        return None
    return Mismatch(found, value[found] if found < len(value) else None)


# -- the search --------------------------------------------------------------------------------

def _longest_prefix(value: str, p: _Prefixes) -> int:
    """Length of the longest prefix of ``value`` that some match of the pattern starts with."""
    m = p.prefix.match(value)
    low = m.end() if m else 0  # a prefix that can be extended: the answer is at least this
    if low == len(value):
        return low
    if not p.alphabet.fullmatch(value[low]) or not _extendable(value, low + 1, p):
        return low  # prefixes of prefixes are prefixes: nothing longer can be extended either
    low, high = low + 1, len(value)  # low can be extended; find the last length that can
    while low < high:
        mid = (low + high + 1) // 2
        if _extendable(value, mid, p):
            low = mid
        else:
            high = mid - 1
    return low


def _extendable(value: str, end: int, p: _Prefixes) -> bool:
    """Whether ``value[:end]`` is a prefix of some match.

    A pattern ``A*B`` with ``A`` of fixed width ``w`` and ``B`` of bounded width (Base64: quads,
    then the padded end) is checked on a short window: every way of reading a prefix of a
    match reads whole ``A``s up to within ``max(w, |B|)`` of its end, so the text before the
    window need only be ``A``s (a match without backtracking) and the window a prefix. A full
    match of the prefix pattern over all the text would retry every ``A`` when it fails.
    """
    return _window(value, end, p, p.prefix)


def _window(value: str, end: int, p: _Prefixes, pattern: re.Pattern[str]) -> bool:
    """Whether ``pattern`` (the prefix pattern, or the pattern itself: a match is read the same
    way) matches all of ``value[:end]``, on a window where :func:`_extendable` allows one."""
    if p.lead is not None:
        start = max(0, end - p.margin)
        start -= start % p.width
        if start > 0:
            return (p.lead.fullmatch(value, 0, start) is not None
                    and pattern.fullmatch(value, start, end) is not None)
    return pattern.fullmatch(value, 0, end) is not None


# -- patterns of prefixes ----------------------------------------------------------------------

@dataclass(frozen=True)
class _Node:
    kind: str  # "leaf" (one character: a class, an escape, a literal, "."), "seq", "alt", "rep"
    text: str = ""
    items: tuple[_Node, ...] = ()
    low: int = 0
    high: int | None = None  # rep only; None: unbounded


@dataclass(frozen=True)
class _Prefixes:
    full: re.Pattern[str]  # the pattern itself
    prefix: re.Pattern[str]  # every prefix of its matches, and nothing else
    alphabet: re.Pattern[str]  # one character the pattern can contain at all
    limit: int | None  # longest value analysed (None: any), see _limit
    lead: re.Pattern[str] | None = None  # A* of a pattern A*B (see _extendable)
    width: int = 1  # the fixed width of A
    margin: int = 0  # max(width of A, longest B)


class _Unsupported(Exception):
    """A pattern outside the subset analysed here."""


@functools.lru_cache(maxsize=256)
def _prefix_pattern(pattern: str) -> _Prefixes | None:
    try:
        tree = _Parser(pattern).parse()
        _check_backtracking(tree, inside=False)
        leaves = "|".join(sorted({n.text for n in _leaves(tree)})) or "(?!)"
        lead = _lead(tree)
        return _Prefixes(re.compile(_full(tree)), re.compile(_prefix(tree)),
                         re.compile(f"(?:{leaves})"), _limit(tree),
                         *(lead if lead is not None else (None, 1, 0)))
    except (_Unsupported, re.error, RecursionError):
        return None


def _lead(tree: _Node) -> tuple[re.Pattern[str], int, int] | None:
    """For a pattern ``A*B`` (``A`` of fixed width, ``B`` bounded): ``A*``, ``A``'s width and
    the window :func:`_extendable` checks; None for other patterns."""
    items = tree.items if tree.kind == "seq" else (tree,)
    first, rest = items[0], items[1:]
    if first.kind != "rep" or first.low != 0 or first.high is not None:
        return None
    width = _fixed_width(first.items[0])
    tail = sum(_max_width(n) or 0 for n in rest) if all(
        _max_width(n) is not None for n in rest) else None
    if not width or tail is None:
        return None
    return re.compile(_full(first)), width, max(width, tail)


def _fixed_width(node: _Node) -> int | None:
    """The length of every match of ``node``, or None when it varies."""
    if node.kind == "leaf":
        return 1
    widths = [_fixed_width(n) for n in node.items]
    if any(w is None for w in widths):
        return None
    known = [w for w in widths if w is not None]
    if node.kind == "seq":
        return sum(known)
    if node.kind == "alt":
        return known[0] if len(set(known)) == 1 else None
    return known[0] * node.low if node.low == node.high else None


def _max_width(node: _Node) -> int | None:
    """The length of the longest match of ``node``, or None when unbounded."""
    if node.kind == "leaf":
        return 1
    widths = [_max_width(n) for n in node.items]
    if any(w is None for w in widths):
        return None
    known = [w for w in widths if w is not None]
    if node.kind == "seq":
        return sum(known)
    if node.kind == "alt":
        return max(known)
    return None if node.high is None else known[0] * node.high


class _Parser:
    """The portable pattern subset: ``alt := seq ('|' seq)*``, ``seq := (atom quantifier*)*``."""

    def __init__(self, pattern: str):
        self.p = pattern
        self.i = 0

    def parse(self) -> _Node:
        node = self._alt()
        if self.i != len(self.p):
            raise _Unsupported(self.p)
        return node

    def _alt(self) -> _Node:
        branches = [self._seq()]
        while self.i < len(self.p) and self.p[self.i] == "|":
            self.i += 1
            branches.append(self._seq())
        return branches[0] if len(branches) == 1 else _Node("alt", items=tuple(branches))

    def _seq(self) -> _Node:
        items: list[_Node] = []
        while self.i < len(self.p) and self.p[self.i] not in "|)":
            items.append(self._quantified())
        return items[0] if len(items) == 1 else _Node("seq", items=tuple(items))

    _QUANT = re.compile(r"\*|\+|\?|\{(\d+)(,(\d*))?\}")

    def _quantified(self) -> _Node:
        node = self._atom()
        while (m := self._QUANT.match(self.p, self.i)) is not None:
            self.i = m.end()
            q = m.group()
            if q in ("*", "+", "?"):
                low, high = {"*": (0, None), "+": (1, None), "?": (0, 1)}[q]
            else:
                low = int(m.group(1))
                high = low if m.group(2) is None else (int(m.group(3)) if m.group(3) else None)
            if self.p.startswith(("?", "+"), self.i):
                raise _Unsupported("lazy or possessive quantifier")
            node = _Node("rep", items=(node,), low=low, high=high)
        return node

    def _atom(self) -> _Node:
        p, i = self.p, self.i
        c = p[i]
        if c == "(":
            if p.startswith("(?", i):
                raise _Unsupported("(? group")
            self.i += 1
            inner = self._alt()
            if self.i >= len(p) or p[self.i] != ")":
                raise _Unsupported("unclosed group")
            self.i += 1
            return inner
        if c == "[":
            j = i + 1
            if p.startswith("^", j):
                j += 1
            if p.startswith("]", j):
                j += 1
            while j < len(p) and p[j] != "]":
                if p[j] == "[":
                    raise _Unsupported("class subtraction")
                j += 2 if p[j] == "\\" else 1
            if j >= len(p):
                raise _Unsupported("unclosed class")
            self.i = j + 1
            return _Node("leaf", p[i:j + 1])
        if c == "\\":
            if i + 1 >= len(p) or p[i + 1].isdigit() or p[i + 1] in "bBAZzG":
                raise _Unsupported("escape")
            self.i += 2
            return _Node("leaf", p[i:i + 2])
        if c in "*+?{^$)":
            raise _Unsupported(c)
        self.i += 1
        return _Node("leaf", c if c == "." else re.escape(c))


def _leaves(node: _Node) -> list[_Node]:
    if node.kind == "leaf":
        return [node]
    return [leaf for item in node.items for leaf in _leaves(item)]


def _check_backtracking(node: _Node, inside: bool) -> None:
    """Refuse what could backtrack exponentially: a repetition or an alternation inside a
    repetition of more than one."""
    if node.kind == "leaf":
        return
    many = node.kind == "rep" and (node.high is None or node.high > 1)
    if inside and (many or node.kind == "alt"):
        raise _Unsupported("nested repetition")
    for item in node.items:
        _check_backtracking(item, inside or many)


def _limit(node: _Node) -> int | None:
    """Two unbounded repetitions can cost a quadratic search (``[^@]+@[^@]+\\.[^@]+``):
    such patterns are analysed on values up to 10,000 characters only."""
    unbounded = [n for n in _walk(node) if n.kind == "rep" and n.high is None]
    return None if len(unbounded) < 2 else 10_000


def _walk(node: _Node) -> list[_Node]:
    return [node, *(n for item in node.items for n in _walk(item))]


def _wrap(text: str, node: _Node) -> str:
    return text if node.kind == "leaf" else f"(?:{text})"


def _quantifier(low: int, high: int | None) -> str:
    if high is None:
        return "*" if low == 0 else ("+" if low == 1 else f"{{{low},}}")
    return "?" if (low, high) == (0, 1) else f"{{{low},{high}}}"


def _full(node: _Node) -> str:
    if node.kind == "leaf":
        return node.text
    if node.kind == "seq":
        return "".join(_full(n) for n in node.items)
    if node.kind == "alt":
        return "(?:" + "|".join(_full(n) for n in node.items) + ")"
    atom = node.items[0]
    return _wrap(_full(atom), atom) + _quantifier(node.low, node.high)


def _prefix(node: _Node) -> str:
    """A pattern of every prefix of the matches of ``node``, the empty one included."""
    return f"(?:{_nonempty(node)})?"


def _nonempty(node: _Node) -> str:
    """The non-empty prefixes of the matches of ``node`` (with :func:`_prefix`'s empty one, all
    of them). Longer alternatives come first, so that a greedy match mostly finds the longest
    prefix at once; :func:`_longest_prefix` checks that it did."""
    if node.kind == "leaf":
        return node.text
    if node.kind == "alt":
        return "|".join(f"(?:{_nonempty(n)})" for n in node.items)
    if node.kind == "seq":
        out = _nonempty(node.items[-1])
        for item in reversed(node.items[:-1]):  # AB: A then a prefix of B, or a prefix of A
            out = f"{_full_wrapped(item)}(?:{out})?|{_nonempty(item)}"
            out = f"(?:{out})"
        return out
    atom = node.items[0]
    if node.high == 0:
        return "(?!)"  # matches nothing but the empty string: no non-empty prefix
    if atom.kind == "leaf":  # one character: up to `high` of them
        return atom.text + _quantifier(1, node.high)
    if node.high == 1:
        return _nonempty(atom)
    # A{m,n}: one to n - 1 times A, then a prefix of A; or a prefix of the first A
    more = _wrap(_full(atom), atom) + _quantifier(1, None if node.high is None else node.high - 1)
    return f"(?:{more}(?:{_nonempty(atom)})?|{_nonempty(atom)})"


def _full_wrapped(node: _Node) -> str:
    text = _full(node)
    return text if node.kind in ("leaf", "rep", "alt") else f"(?:{text})"
