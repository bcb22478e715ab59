"""scripts/eguarantee_coverage.py: the committed coverage docs are current, a broken map is
refused with a message naming the problem, and the figures match counts made by hand."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "eguarantee_coverage.py"
MAP = ROOT / "docs" / "coverage" / "eguarantee-reference-map.yaml"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eguarantee_coverage", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


cov = _load()


@pytest.fixture(scope="module")
def model() -> Any:
    from eguarantee_reference import build_model

    from hegui.validator.loader import load_spec

    return build_model(load_spec("eguarantee"), cov.CORPUS, MAP)


def _broken_map(tmp_path: Path, old: str, new: str) -> Path:
    text = MAP.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path = tmp_path / "map.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = cov.main(list(argv))
    return code, capsys.readouterr().err


def test_committed_docs_are_current(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(capsys, "--check", "--lang", "en")
    assert (code, err) == (0, "")


def test_check_reports_a_stale_doc(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stale = tmp_path / "coverage.md"
    stale.write_text(cov.COVERAGE_DOC.read_text(encoding="utf-8").replace("| 313 |", "| 312 |"),
                     encoding="utf-8")
    code, err = _run(capsys, "--check", "--lang", "en", "--coverage-out", str(stale),
                     "--core-out", str(cov.CORE_DOC))
    assert code == 1
    assert f"{stale} is not current" in err
    assert "eguarantee-core.md" not in err


def test_missing_entry_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = _broken_map(tmp_path, '      "insuredAddress": tenderee.address\n', "")
    code, err = _run(capsys, "--check", "--lang", "en", "--map", str(broken))
    assert code == 2
    assert "JX /lg/apply insuredAddress: corpus field has no entry in the map" in err
    assert "1 problem(s) against spec eguarantee 1.0" in err


def test_misspelled_element_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = _broken_map(tmp_path, '"insuredAddress": tenderee.address',
                         '"insuredAddress": tenderee.adress')
    code, err = _run(capsys, "--check", "--map", str(broken))  # Chinese by default
    assert code == 2
    assert "JX /lg/apply insuredAddress：元素 tenderee.adress 不在规范的数据字典中" in err


def test_unknown_message_type_and_stray_entry(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    broken = _broken_map(tmp_path, 'message: "/lg/apply"\n    step: apply\n    fields:\n',
                         'message: "/lg/apply"\n    step: aply\n    fields:\n'
                         '      "noSuchField": ENV\n')
    code, err = _run(capsys, "--check", "--lang", "en", "--map", str(broken))
    assert code == 2
    assert "JX /lg/apply: message type aply is not in spec eguarantee 1.0" in err
    assert "JX /lg/apply noSuchField: map entry matches no corpus field" in err


def test_duplicate_key_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = _broken_map(tmp_path, '      "insuredAddress": tenderee.address\n',
                         '      "insuredAddress": tenderee.address\n'
                         '      "insuredAddress": INV\n')
    code, err = _run(capsys, "--check", "--lang", "en", "--map", str(broken))
    assert code == 2
    assert "'insuredAddress' given twice" in err


def test_unknown_spec_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(capsys, "--check", "--lang", "en", "--spec", "no-such-spec")
    assert code == 2
    assert "cannot load spec no-such-spec" in err


def test_hand_counted_figures(model: Any) -> None:
    jx = [f for f in model.fields if f.platform == "JX"]
    row = cov.counts(model, jx)
    # Counted by hand from the corpus: 313 Jiangxi objects, 13 of them in the two envelopes;
    # 19 interfaces answer with receiveResult; applyInvoice 16 + invoicePush 19 +
    # invoiceWriteBackPush 21 business fields are invoicing.
    assert (row["entries"], row["outside"], row["ACK"], row["INV"]) == (313, 300, 19, 56)
    apply = [f for f in jx if f.message == "/lg/apply"]
    assert cov.counts(model, apply)["carriable"] == 31  # 1.0's apply has every one of them


def test_carriable_follows_the_message_type(model: Any) -> None:
    entry = {f.key: model.entry(f) for f in model.fields}
    carriable = model.carriable
    assert carriable(entry[("QZ", "apply", "minpremium")])  # 1.0 apply has payment.minPremium
    revoke = entry[("JX", "/lg/revokePush", "orderNo")]
    assert revoke.category == "mapped" and not carriable(revoke)  # no revoke message type
    payer = entry[("EP4", "baohannotice", "payername")]  # applyResult excludes payment.payerName
    assert payer.element == "payment.payerName" and not carriable(payer)
    fee = entry[("JX", "/lg/payRefundPush", "poundageAmount")]
    assert fee.category == "gap"  # the refund fee, not payment.poundageAmount


def test_core_derivation(model: Any) -> None:
    from eguarantee_core import derive

    apply = {d.element: d for d in derive(model, "apply")}
    assert apply["bidder.uscc"].classification == "core-required"
    assert apply["payment.minPremium"].classification == "profile"
    assert apply["payment.minPremium"].requirers == ("Quanzhou",)
    claim = {d.element: d for d in derive(model, "claimRequest")}
    assert "claim.claimedAt" not in claim  # carried by no platform
    core = cov.CORE_DOC.read_text(encoding="utf-8")
    assert "- `claimRequest` `claim.claimedAt` (required): carried by no platform" in core
    assert "- `apply` `payment.minPremium` (required): profile: required by Quanzhou only" in core


def test_spec_folder_and_version_override(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    folder = str(ROOT / "specs" / "eguarantee")
    code, err = _run(capsys, "--check", "--lang", "en", "--spec", folder)
    assert (code, err) == (0, "")  # the same spec read from its folder writes the same docs
    from eguarantee_reference import build_model

    from hegui.validator.loader import load_spec

    override = _broken_map(
        tmp_path, 'message: "/lg/revokePush"\n    step: none\n',
        'message: "/lg/revokePush"\n    step: none\n'
        '    by_version: {"1.0": {step: cancelRequest}}\n')
    model = build_model(load_spec(folder), cov.CORPUS, override)
    entry = {f.key: model.entry(f) for f in model.fields}
    assert model.carriable(entry[("JX", "/lg/revokePush", "orderNo")])


@pytest.mark.slow
def test_script_runs_as_a_process() -> None:
    import subprocess

    python = str(ROOT / ".venv" / "bin" / "python")
    ok = subprocess.run([python, "-P", str(SCRIPT), "--check", "--lang", "en"], cwd=ROOT,
                        capture_output=True, text=True, timeout=120)
    assert (ok.returncode, ok.stderr) == (0, "")
    bad = subprocess.run([python, "-P", str(SCRIPT), "--check", "--spec", "no-such-spec"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2
    assert "无法加载规范 no-such-spec" in bad.stderr and "Traceback" not in bad.stderr
