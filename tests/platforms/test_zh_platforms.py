"""No English prose in Chinese output of platform-profile runs: findings on native messages
(every bundled profile's examples) and the profiles commands."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from hegui.cli import cli
from hegui.validator.loader import load_spec
from hegui.validator.platform_examples import check_examples
from hegui.validator.platform_loader import bundled_platform_ids, load_platform
from hegui.validator.platform_model import Platform

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from zh_check import english_words, result_texts, spec_words, value_words

CORPUS = Path(__file__).resolve().parent.parent.parent / "docs" / "coverage" / (
    "real-eguarantee-fields.json")
#: The format's own keys and the reference map's categories and directions, quoted in notes.
FORMAT_WORDS = frozenset({"envelope", "envelopes", "each", "item", "with", "codes", "form",
                          "drop", "gap", "platform", "issuer", "notCarried", "recognise", "none",
                          "security",
                          "time", "placeholders", "xxx", "token", "step", "restorenotice",
                          "Hex", "fields", "multipart"})


def corpus_words(p: Platform) -> set[str]:
    """The platform's own message names and field paths in the reference corpus."""
    out: set[str] = set()
    for f in json.loads(CORPUS.read_text(encoding="utf-8")):
        if f["platform"].startswith(p.source["corpus"]):
            for text in (f["message"], f.get("path") or f["field"]):
                out |= set(re.findall(r"[A-Za-z]+", text))
    examples = CORPUS.parent.parent.parent / "tests" / "data" / "platforms" / (
        "real-eguarantee-examples.json")
    for e in json.loads(examples.read_text(encoding="utf-8")):  # keys of its examples too
        if e["platform"].startswith(p.source["corpus"]) and isinstance(e["example"], dict):
            out |= {w for k in e["example"] for w in re.findall(r"[A-Za-z]+", k)}
    return out


def native_words(p: Platform) -> frozenset[str]:
    """The profile's own names: native fields, messages, tables, envelope members, and its
    platform's names in the reference corpus."""
    names: set[str] = set(p.codes) | set(p.envelopes) | {p.layer or "", p.family}
    names |= corpus_words(p) | FORMAT_WORDS
    for m in p.messages.values():
        names |= {part.removesuffix("[]") for path in m.fields for part in path.split(".")}
        names |= set(m.name.replace("/", " ").replace("(", " ").replace(")", " ").split())
    for env in p.envelopes.values():
        names |= {part for path in env.fields for part in path.split(".")} | {env.body}
    return frozenset(names)


@pytest.mark.parametrize("pid", bundled_platform_ids())
def test_native_findings_are_chinese(pid: str) -> None:
    p = load_platform(pid)
    spec = load_spec(p.spec, p.layer)
    allow = spec_words(spec) | native_words(p)
    leaks = []
    for o in check_examples(p):
        doc = {"results": [o.result.to_dict("zh")]}
        data = Path(p.folder, "examples", o.file).read_text(encoding="utf-8")
        words = allow | value_words(json.loads(data))
        for where, text in result_texts(doc):
            leaks += [f"{o.file} {where}: {w}" for w in english_words(text, words)]
    assert leaks == []


@pytest.mark.parametrize("pid", bundled_platform_ids())
def test_profiles_show_is_chinese(pid: str) -> None:
    p = load_platform(pid)
    r = CliRunner().invoke(cli, ["profiles", "show", pid])
    assert r.exit_code == 0
    allow = spec_words(load_spec(p.spec, p.layer)) | native_words(p) | {
        "eguarantee", "epoch", "ms", "datetime", "decimal", "integer", "text", "list",
        "boolean", "json", "github", "docs", "md", "HardyDou", "mango",
        # names the platforms' own specs use, quoted in the notes: a signing secret, a
        # response member, a native code value, a manifest key
        "appsecret", "redirecturl", "success", "date"}
    lines = [line for line in r.output.splitlines()
             if not line.lstrip().startswith(("github:", "来源"))]
    leaks = [f"{w} in {line[:120]!r}" for line in lines
             for w in english_words(line, allow)]
    assert leaks == []
