"""The spec loader: broken spec files give file, line and problem; good ones compile."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hegui.validator.errors import SpecError, SpecNotFound
from hegui.validator.loader import compile_folder, load_spec
from hegui.validator.versions import bundled_names

DATA = Path(__file__).parent.parent / "data" / "minispec"


def broken(tmp_path: Path, file: str, old: str, new: str) -> Path:
    folder = tmp_path / "spec"
    shutil.copytree(DATA, folder)
    text = (folder / file).read_text(encoding="utf-8")
    assert old in text, f"fixture drifted: {old!r} not in {file}"
    (folder / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def test_minispec_compiles() -> None:
    spec = compile_folder(DATA)
    assert spec.id == "minispec"
    assert set(spec.message_types) == {"order", "cancel"}
    assert spec.message_types["cancel"].fields["order.reason"].use == "required"
    assert spec.message_types["order"].fields["order.reason"].use == "conditional"
    assert "order.buyer" not in spec.message_types["cancel"].fields
    assert spec.rule("MS-001") is not None
    assert len(spec.content_sha256) == 64


def test_misspelled_field_in_rule_is_a_load_error(tmp_path: Path) -> None:
    folder = broken(tmp_path, "rules.yaml", "expr: order.fee ==", "expr: order.fe ==")
    with pytest.raises(SpecError) as info:
        compile_folder(folder)
    err = info.value
    assert err.file == "rules.yaml"
    assert err.line == 9  # the `expr:` line of MS-001
    assert "order.fe" in err.problem


def test_type_error_in_rule_is_a_load_error(tmp_path: Path) -> None:
    folder = broken(tmp_path, "rules.yaml", "expr: order.dueDate >= order.placedAt",
                    'expr: order.dueDate >= "x" && order.placedAt')
    with pytest.raises(SpecError, match="overload"):
        compile_folder(folder)


def test_meta_schema_violation_names_line(tmp_path: Path) -> None:
    folder = broken(tmp_path, "dictionary.yaml", "type: money, digits: 18, scale: 2, use: required",
                    "type: moneyy, digits: 18, scale: 2, use: required")
    with pytest.raises(SpecError) as info:
        compile_folder(folder)
    assert info.value.file == "dictionary.yaml"
    assert info.value.line == 8
    assert "moneyy" in info.value.problem


def test_bad_yaml_names_line(tmp_path: Path) -> None:
    folder = broken(tmp_path, "codelists.yaml", "zh: 类别\n", "zh: [类别\n")
    with pytest.raises(SpecError) as info:
        compile_folder(folder)
    assert info.value.file == "codelists.yaml"
    assert info.value.line is not None


def test_unknown_codelist_is_a_load_error(tmp_path: Path) -> None:
    folder = broken(tmp_path, "dictionary.yaml", "codelist: kind", "codelist: kinds")
    with pytest.raises(SpecError, match="unknown code list 'kinds'"):
        compile_folder(folder)


def test_rule_for_unknown_message_type(tmp_path: Path) -> None:
    folder = broken(tmp_path, "rules.yaml", "appliesTo: [order]", "appliesTo: [ordr]")
    with pytest.raises(SpecError, match="unknown message type 'ordr'"):
        compile_folder(folder)


def test_duplicate_rule_id(tmp_path: Path) -> None:
    folder = broken(tmp_path, "rules.yaml", "id: MS-002", "id: MS-001")
    with pytest.raises(SpecError, match="duplicate rule id"):
        compile_folder(folder)


def test_missing_spec() -> None:
    with pytest.raises(SpecNotFound):
        load_spec("no-such-spec")


@pytest.mark.parametrize("spec_id", bundled_names())
def test_bundled_specs_load(spec_id: str) -> None:
    spec = load_spec(spec_id)
    assert spec.rules, "a bundled spec has business rules"
    for rule in spec.rules:
        assert rule.basis.text, f"{rule.id} cites a basis"
        assert rule.message.zh and rule.message.en


def test_every_problem_of_a_spec_is_reported_at_once(tmp_path: Path) -> None:
    """Reference errors in two files: one SpecError lists them all, each at its line (CEL is
    compiled only on a model without errors, so the misspelled field waits for the next run)."""
    folder = broken(tmp_path, "rules.yaml", "expr: order.fee ==", "expr: order.fe ==")
    for file, old, new in (("dictionary.yaml", "codelist: kind,", "codelist: kindz,"),
                           ("rules.yaml", "appliesTo: [order]", "appliesTo: [ordr]")):
        text = (folder / file).read_text(encoding="utf-8")
        assert old in text, f"fixture drifted: {old!r} not in {file}"
        (folder / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(SpecError) as info:
        compile_folder(folder)
    problems = info.value.problems
    texts = [str(p) for p in problems]
    assert any("unknown code list 'kindz'" in t for t in texts), texts
    assert any("unknown message type 'ordr'" in t for t in texts), texts
    assert all(p.line is not None for p in problems), texts
    assert len(problems) >= 2
    assert str(info.value).count("\n") == len(problems) - 1


def test_every_cel_error_is_reported_at_once(tmp_path: Path) -> None:
    folder = broken(tmp_path, "rules.yaml", "expr: order.fee ==", "expr: order.fe ==")
    text = (folder / "rules.yaml").read_text(encoding="utf-8")
    old = "expr: order.dueDate >= order.placedAt"
    assert old in text
    (folder / "rules.yaml").write_text(text.replace(old, "expr: order.dueDat >= order.placedAt"),
                                       encoding="utf-8")
    with pytest.raises(SpecError) as info:
        compile_folder(folder)
    problems = info.value.problems
    lines = (folder / "rules.yaml").read_text(encoding="utf-8").splitlines()
    want = [n for n, line in enumerate(lines, start=1)
            if "expr: order.fe ==" in line or "expr: order.dueDat >=" in line]
    assert [(p.file, p.line) for p in problems] == [("rules.yaml", n) for n in want]
    assert "order.fe" in problems[0].problem and "order.dueDat" in problems[1].problem
