"""`hegui validate --lang zh` leaves no English in its Chinese output (text and JSON formats):
over every bundled example, every payload file of the tests, and broken payloads of every parse
class. What may stay is in tests/zh_check.py: identifiers, paths, rule ids, code values, the
payload's own values, hashes, and the severity words the text format keeps English."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree

from hegui.cli import cli
from hegui.generators.schemas import write_schemas
from hegui.validator.loader import load_spec
from hegui.validator.spec import Spec
from hegui.validator.versions import bundled_names

sys.path.insert(0, str(Path(__file__).parent.parent))
from zh_check import (
    BROKEN_JSON,
    BROKEN_XML,
    english_words,
    leaks,
    result_texts,
    spec_words,
    value_words,
)

ROOT = Path(__file__).parent.parent.parent
TESTS = ROOT / "tests"
EXAMPLES = sorted(p for p in (ROOT / "specs").glob("*/*/examples/**/*") if p.is_file())
REGRESSIONS = sorted(p for p in (TESTS / "regressions").iterdir()
                     if p.suffix in (".json", ".xml"))
REPORT_PAYLOADS = sorted((TESTS / "reports" / "data" / "payloads").iterdir())

def bundled_words() -> frozenset[str]:
    words: set[str] = set()
    for sid in bundled_names():
        words |= spec_words(load_spec(sid))
    return frozenset(words)


def payload_words(path: Path) -> frozenset[str]:
    """The words of a payload file's own values (none when it does not parse)."""
    data = path.read_bytes()
    try:
        if path.suffix == ".json":
            return value_words(json.loads(data))
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except (ValueError, RecursionError, etree.XMLSyntaxError):
        return frozenset()
    texts = [*root.itertext(), *(v for el in root.iter() for v in el.attrib.values())]
    return value_words(texts)


def validate(args: list[str]) -> str:
    result = CliRunner().invoke(cli, ["validate", "--lang", "zh", *args])
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output
    return result.output


def json_leaks(files: Iterable[Path], allow: frozenset[str], extra: list[str],
               **kw: Any) -> list[str]:
    paths = list(files)
    doc = json.loads(validate(["--format", "json", *extra, *map(str, paths)]))
    by_source = {str(p): allow | payload_words(p) for p in paths}
    found = []
    for i, res in enumerate(doc["results"]):
        words = by_source.get(res["source"], allow)
        one = {**doc, "results": [res], "coverage": {}}
        texts = [(w, t) for w, t in result_texts(one, stage_reasons=False)]
        found += [f"[{i}] {x}" for x in leaks(texts, words, **kw)]
    found += leaks(result_texts({"coverage": doc.get("coverage")}), allow, **kw)
    return found


def text_leaks(files: Iterable[Path], allow: frozenset[str], extra: list[str],
               **kw: Any) -> list[str]:
    paths = list(files)
    by_source = {str(p): allow | payload_words(p) for p in paths}
    found = []
    for line in validate(["--format", "text", *extra, *map(str, paths)]).splitlines():
        source = next((s for s in by_source if line.startswith(s + ":")), None)
        words = by_source[source] if source else allow
        found += [f"{w} in {line[:300]!r}" for w in english_words(line, words, **kw)]
    return found


@pytest.mark.parametrize("form", ["json", "text"])
def test_bundled_examples_have_no_english_in_chinese(form: str) -> None:
    check = json_leaks if form == "json" else text_leaks
    assert check(EXAMPLES, bundled_words(), []) == []


@pytest.fixture(scope="module")
def spec_mini(tmp_path_factory: pytest.TempPathFactory) -> Spec:
    """The report tests' spec (tests/reports/data/spec-mini) with generated schemas."""
    folder = tmp_path_factory.mktemp("spec") / "spec-mini"
    shutil.copytree(TESTS / "reports" / "data" / "spec-mini", folder)
    write_schemas(load_spec(str(folder)))
    return load_spec(str(folder))


@pytest.mark.parametrize("form", ["json", "text"])
def test_payload_files_of_the_tests_have_no_english_in_chinese(
        form: str, minispec: Spec, spec_mini: Spec) -> None:
    # tests/data holds specs and schemas, no payloads: the payload files are these.
    check = json_leaks if form == "json" else text_leaks
    for spec, files in ((minispec, REGRESSIONS), (spec_mini, REPORT_PAYLOADS)):
        assert check(files, spec_words(spec), ["--spec", spec.folder]) == []


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """One file per broken payload of tests/zh_check.py, plus values that fail their form."""
    folder = tmp_path_factory.mktemp("broken")
    files = []
    for corpus, suffix in ((BROKEN_JSON, ".json"), (BROKEN_XML, ".xml")):
        for name, data in corpus.items():
            path = folder / f"{name}{suffix}"
            path.write_bytes(data)
            files.append(path)
    doc = json.loads((ROOT / "specs" / "eguarantee" / "1.0" / "examples" / "valid" /
                      "guaranteeRecord.json").read_bytes())
    doc["document"]["content"] = "QUFB" * 100 + "*" + "QUFB" * 100
    doc["document"]["sha256"] = "x" * 64
    (folder / "bad-forms.json").write_text(json.dumps(doc))
    files.append(folder / "bad-forms.json")
    (folder / "empty.json").write_bytes(b"")
    files.append(folder / "empty.json")
    return files


@pytest.mark.parametrize("form", ["json", "text"])
def test_broken_payloads_are_explained_in_chinese(form: str, broken: list[Path]) -> None:
    """Every parse class: translated, none left as the parser's original text (原文)."""
    check = json_leaks if form == "json" else text_leaks
    assert check(broken, bundled_words(), ["--spec", "eguarantee"]) == []


def test_the_bad_character_is_named_in_chinese(broken: list[Path]) -> None:
    [path] = [p for p in broken if p.name == "bad-forms.json"]
    doc = json.loads(validate(["--format", "json", "--spec", "eguarantee", str(path)]))
    messages = {f["rule_id"]: f["message"] for f in doc["results"][0]["findings"]}
    assert "自第 401 个字符“*”起不符合" in messages["document.content@pattern"]
    assert "自第 1 个字符“x”起不符合" in messages["document.sha256@pattern"]


def test_stage_reasons_are_chinese_too() -> None:
    doc = json.loads(validate(["--format", "json", *map(str, EXAMPLES[:4])]))
    assert leaks(result_texts(doc), bundled_words()) == []


#: A rule the CEL runtime cannot evaluate on a valid payload (a 64-bit overflow at copies 7).
OVERFLOW_RULE = """
  - id: MS-091
    severity: error
    title: {zh: 溢出, en: Overflow}
    message: {zh: 不应出现, en: never shown}
    basis: {text: test fixture, inferred: true}
    appliesTo: [order]
    fields: [order.copies]
    expr: order.copies != 7 || order.copies * 4611686018427387904 > 0
"""


def test_rule_evaluation_failures_are_chinese_too(tmp_path: Path) -> None:
    """A rule that could not be evaluated says why in Chinese (the CEL runtime's English,
    e.g. `integer overflow`, was kept as it was)."""
    folder = tmp_path / "minispec"
    shutil.copytree(TESTS / "data" / "minispec", folder)
    rules = folder / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").rstrip("\n") + "\n" + OVERFLOW_RULE,
                     encoding="utf-8")
    spec = load_spec(str(folder))
    write_schemas(spec)
    order = {"messageType": "order", "specVersion": "0.1",
             "order": {"orderNo": "A1", "kind": "1", "amount": "500000.00", "copies": 7,
                       "placedAt": "2025-03-01 09:30:00"},
             "lines": [{"sku": "S1", "qty": 2}]}
    payload = tmp_path / "p.json"
    payload.write_text(json.dumps(order, ensure_ascii=False), encoding="utf-8")
    doc = json.loads(validate(["--format", "json", "--spec", str(folder), str(payload)]))
    texts = [(w, t) for w, t in result_texts(doc, stage_reasons=False) if "无法求值" in t]
    assert texts, doc
    assert leaks(texts, spec_words(spec) | payload_words(payload)) == []


@pytest.mark.slow  # a real process
def test_a_real_process_writes_chinese(broken: list[Path]) -> None:
    hegui = Path(sys.executable).parent / "hegui"
    files = [*map(str, broken[:10]), *map(str, EXAMPLES[:10])]
    proc = subprocess.run([str(hegui), "validate", "--lang", "zh", "--spec", "eguarantee",
                           "--format", "json", *files], capture_output=True, timeout=120)
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["lang"] == "zh" and len(doc["results"]) == len(files)
    allow = bundled_words().union(*(payload_words(Path(f)) for f in files))
    assert leaks(result_texts(doc, stage_reasons=False), allow) == []
