"""Find English words left in Chinese output: a helper any test can use.

Chinese output (``--lang zh``) may hold Latin letters only where they are not English prose:
identifiers (``messageType``, ``guarantee.amount``, ``EG-001``, ``payload@parse``), paths and
pointers, code values and code-list ids, the payload's own values (quoted “…” in messages, or
named by the caller), file names, hex hashes and ``sha256=``, acronyms (``JSON``, ``DTD``), and
the severity words the text format keeps English on purpose (docs/result-format.md: so that
``grep error`` works in both languages).

What is left and is a word of two or more letters written like prose (``line``, ``Expecting``)
is a leak. A word counts as an identifier, not prose, when it mixes in digits or the characters
of paths, ids and options (``_ . @ / - : = # ~``, ``--spec``), when it is camelCase, when it
is all capitals, or when it is followed by ``(`` (a function in a formula: ``max(``).
A parser's own words kept on purpose, marked ``（原文：…）`` (see
hegui.validator.parser_texts.original), are leaks too unless ``original_ok`` is given.

Usage::

    from zh_check import english_words, result_texts, spec_words
    for where, text in result_texts(json.loads(out)):
        assert english_words(text, allow=spec_words(spec)) == [], where
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

#: The severity words the text formats keep English (docs/result-format.md, "text").
SEVERITY_WORDS = frozenset({"error", "warning", "info"})

#: Words that are names or notation, not English prose, wherever they appear.
NOTATION = frozenset({
    "hegui",  # the tool's name
    "true", "false", "null",  # JSON literals and XSD booleans, as values
    "http", "https",  # URL schemes (expectations: "http:// 或 https:// 开头的网址")
    "yyyy", "dd", "mm", "ss",  # date forms (yyyy-MM-dd HH:mm:ss), when split by a space
    "sha256", "md5",
})

#: Characters that make a token an identifier, path, id, number or hash rather than a word.
_ID_MARKS = re.compile(r"[0-9_.@/\\:=#~$%&*+<>{}\[\]|-]")

#: Tokens: maximal runs of ASCII letters, digits and the identifier marks.
_TOKEN = re.compile(r"[A-Za-z0-9_.@/\\:=#~$%&*+<>{}\[\]|'\"-]+")

#: Quoted spans: payload values and names in Chinese messages (“…”, ‘…’, 「…」).
_QUOTED = re.compile(r"“[^”]*”|‘[^’]*’|「[^」]*」")

#: A parser's original words, marked on purpose (hegui.validator.parser_texts.original).
_ORIGINAL = re.compile(r"（原文：[^）]*）")

_CAMEL = re.compile(r"[a-z][A-Z]|[A-Z]{2}[a-z]")


def english_words(text: str, allow: Iterable[str] = (), *,
                  original_ok: bool = False) -> list[str]:
    """The English words in ``text`` outside the allowed ones, in order (empty: clean).

    ``allow`` holds further words that are not prose here (a spec's ids and codes, the
    payload's own words); they are compared exactly.
    """
    allowed = set(allow)
    if original_ok:
        text = _ORIGINAL.sub(" ", text)
    text = _QUOTED.sub(" ", text)
    found: list[str] = []
    for m in _TOKEN.finditer(text):
        word = m.group().strip("'\".,:;")
        if not word or _ID_MARKS.search(word) or "'" in word or '"' in word:
            continue
        if text.startswith("(", m.end()):
            continue  # a function in a formula: max(...)
        if len(word) < 2 or not word.isascii() or not word.isalpha():
            continue
        if word in allowed or word in SEVERITY_WORDS or word in NOTATION:
            continue
        if word.isupper() or _CAMEL.search(word):
            continue  # an acronym or a code (DTD, CDATA), or an identifier (messageType)
        found.append(word)
    return found


def leaks(texts: Iterable[tuple[str, str]], allow: Iterable[str] = (), *,
          original_ok: bool = False) -> list[str]:
    """``where: word`` for every English word in ``(where, text)`` pairs."""
    allowed = frozenset(allow)
    return [f"{where}: {word} in {text!r}" for where, text in texts
            for word in english_words(text, allowed, original_ok=original_ok)]


def result_texts(doc: Mapping[str, Any], *, stage_reasons: bool = True
                 ) -> Iterator[tuple[str, str]]:
    """The texts of a ``hegui-result`` JSON document written in its ``lang`` (and the
    ``*_zh`` copies), each with where it sits; ``*_en`` keys are English by contract.

    ``stage_reasons``: also the ``stages[].reason`` texts (their language is not part of the
    result contract).
    """
    for i, res in enumerate(doc.get("results", [])):
        src = f"results[{i}] {res.get('source')}"
        for key in ("error", "error_zh"):
            if res.get(key):
                yield f"{src} {key}", res[key]
        for j, f in enumerate(res.get("findings", [])):
            for key in ("message", "message_zh"):
                yield f"{src} findings[{j}].{key}", f[key]
        for j, u in enumerate(res.get("rules_unchecked", [])):
            for key in ("reason", "reason_zh"):
                yield f"{src} rules_unchecked[{j}].{key}", u[key]
        if stage_reasons:
            for s in res.get("stages", []):
                if s.get("reason"):
                    yield f"{src} stages.{s['stage']}.reason", s["reason"]
    for sid, cov in (doc.get("coverage") or {}).items():
        yield f"coverage.{sid}.sentence", cov["sentence"]


def spec_words(spec: Any) -> frozenset[str]:
    """Every identifier and code value of a loaded spec (``hegui.validator.spec.Spec``): the
    words a Chinese message may quote without translating them."""
    words: set[str] = set()

    def add(*names: object) -> None:
        for name in names:
            words.update(re.findall(r"[A-Za-z]+", str(name)))

    add(spec.id, *spec.message_types, *spec.groups, *spec.codelists)
    for mt in spec.message_types.values():
        add(*(s.name for s in mt.sections))
    for group in spec.groups.values():
        add(*(e.name for e in group.elements))
    for cl in spec.codelists.values():
        add(*(c.code for c in cl.codes))
    add(*(r.id for r in spec.rules))
    return frozenset(words)


def value_words(doc: Any) -> frozenset[str]:
    """The words of a payload's own string values (a parsed JSON document or its canonical
    form): a message may repeat them as they are."""
    words: set[str] = set()
    stack = [doc]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
        elif isinstance(v, str):
            words.update(re.findall(r"[A-Za-z]+", v))
    return frozenset(words)


#: Broken JSON payloads, one per class of parse problem (what --lang zh must say in Chinese).
BROKEN_JSON: dict[str, bytes] = {
    "truncated": b'{"messageType": "apply", "a": 1',
    "missing-colon": b'{"messageType" "apply"}',
    "single-quoted": b"{'messageType': 'apply'}",
    "unquoted-key": b"{messageType: 1}",
    "trailing-comma": b'{"messageType": "apply",}',
    "trailing-comma-array": b'{"messageType": "apply", "a": [1,]}',
    "missing-comma": b'{"messageType": "apply" "a": 1}',
    "junk-after-document": b'{"messageType": "apply"} x',
    "two-documents": b'{"messageType": "apply"}\n{"messageType": "apply"}',
    "unterminated-string": b'{"messageType": "apply',
    "control-character": b'{"messageType": "ap\x01ply"}',
    "bad-escape": b'{"messageType": "\\q"}',
    "bad-unicode-escape": b'{"messageType": "\\u12"}',
    "lone-surrogate": b'{"messageType": "\\ud800"}',
    "lone-low-surrogate": b'{"messageType": "\\udc00"}',
    "bad-utf8": b'{"messageType": "\xff"}',
    "overlong-utf8": b'{"messageType": "\xc0\xaf"}',
    "nan": b'{"messageType": "apply", "a": NaN}',
    "infinity": b'{"messageType": "apply", "a": -Infinity}',
    "lowercase-nan": b'{"messageType": "apply", "a": nan}',
    "bad-literal": b'{"messageType": "apply", "a": tru}',
    "leading-zero": b'{"messageType": "apply", "a": 01}',
    "huge-number": b'{"messageType": "apply", "a": 1e999}',
    "huge-integer": b'{"messageType": "apply", "a": ' + b"9" * 5000 + b"}",
    "deep": b'{"messageType": "apply", "a": ' + b"[" * 100 + b"]" * 100 + b"}",
    "far-too-deep": b'{"messageType": "apply", "a": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    "no-value": b'{"messageType":}',
}

#: Broken XML payloads, one per class of parse problem (in the e-guarantee namespace).
_NS = b' xmlns="urn:hegui:spec:eguarantee:1.0"'
BROKEN_XML: dict[str, bytes] = {
    "truncated": b"<apply" + _NS + b"><header>",
    "truncated-in-tag": b"<apply" + _NS + b"><header",
    "mismatched-tag": b"<apply" + _NS + b"><header></apply>",
    "unclosed-attribute-quote": b'<apply' + _NS + b' a="1></apply>',
    "unquoted-attribute": b"<apply" + _NS + b" a=1></apply>",
    "attribute-without-value": b"<apply" + _NS + b" a></apply>",
    "duplicate-attribute": b'<apply' + _NS + b' a="1" a="2"/>',
    "attributes-not-separated": b'<apply' + _NS + b' a="1"b="2"/>',
    "lt-in-attribute": b'<apply' + _NS + b' a="<"/>',
    "junk-after-root": b"<apply" + _NS + b"/>junk",
    "two-roots": b"<apply" + _NS + b"/><apply" + _NS + b"/>",
    "text-before-root": b"junk<apply" + _NS + b"/>",
    "bad-utf8": b"<apply" + _NS + b">\xff\xfe</apply>",
    "declared-utf8-but-gbk": b'<?xml version="1.0" encoding="UTF-8"?><apply'
        + _NS + "><a>东莞</a></apply>".encode("gb18030"),
    "unknown-encoding": b'<?xml version="1.0" encoding="FOO-9"?><apply' + _NS + b"/>",
    "undefined-entity": b"<apply" + _NS + b">&foo;</apply>",
    "bare-ampersand": b"<apply" + _NS + b">a & b</apply>",
    "lt-in-text": b"<apply" + _NS + b">a < b</apply>",
    "bad-character-reference": b"<apply" + _NS + b">&#0;</apply>",
    "bad-hex-reference": b"<apply" + _NS + b">&#xZZ;</apply>",
    "control-character": b"<apply" + _NS + b">\x01</apply>",
    "nul": b"<apply" + _NS + b">\x00</apply>",
    "bad-element-name": b"<1apply" + _NS + b"/>",
    "end-tag-only": b"</apply>",
    "undeclared-prefix": b"<eg:apply/>",
    "undeclared-attribute-prefix": b"<apply" + _NS + b' y:b="1"/>',
    "late-xml-declaration": b' <?xml version="1.0"?><apply' + _NS + b"/>",
    "bad-xml-declaration": b'<?xml version="abc"?><apply' + _NS + b"/>",
    "bad-standalone": b'<?xml version="1.0" standalone="maybe"?><apply' + _NS + b"/>",
    "double-hyphen-comment": b"<apply" + _NS + b"><!-- a -- b --></apply>",
    "unclosed-comment": b"<apply" + _NS + b"><!-- a</apply>",
    "unclosed-cdata": b"<apply" + _NS + b"><![CDATA[a</apply>",
    "bad-qname": b'<a:b:c xmlns:a="urn:x"/>',
    "empty-prefix-namespace": b'<apply xmlns:p=""/>',
    "doctype": b'<!DOCTYPE apply [<!ENTITY e "x">]>\n<apply' + _NS + b">&e;</apply>",
    "entity-declaration": b'<!ENTITY e "x">\n<apply' + _NS + b"/>",
    "doctype-after-long-comment": b"<!--" + b"x" * 5000 + b"-->\n<!DOCTYPE apply>\n<apply"
        + _NS + b"/>",
    "doctype-after-root": b"<apply" + _NS + b"/><!DOCTYPE apply>",
    "deep": b"<apply" + _NS + b">" + b"<a>" * 100 + b"</a>" * 100 + b"</apply>",
    "far-too-deep": b"<apply" + _NS + b">" + b"<a>" * 300 + b"</a>" * 300 + b"</apply>",
    "utf16-without-bom": "<apply>x</apply>".encode("utf-16-le"),
}
