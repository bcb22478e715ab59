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


SPECS = ROOT / "specs" / "eguarantee"


def _model(version: str) -> Any:
    from eguarantee_reference import build_model

    from hegui.validator.loader import load_spec

    return build_model(load_spec(str(SPECS / version)), cov.CORPUS, MAP)


@pytest.fixture(scope="module")
def model() -> Any:
    """The map read for 1.0 (the figures counted by hand are 1.0's)."""
    return _model("1.0")


@pytest.fixture(scope="module")
def model11() -> Any:
    return _model("1.1")


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
    assert "1 problem(s) against spec" in err and " 1.1:" in err  # the current version first


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
    assert "JX /lg/apply: message type aply is not in spec eguarantee 1.1" in err
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
    from eguarantee_core import derive, render_core

    apply = {d.element: d for d in derive(model, "apply")}
    assert apply["bidder.uscc"].classification == "core-required"
    assert apply["payment.minPremium"].classification == "profile"
    assert apply["payment.minPremium"].requirers == ("Quanzhou",)
    claim = {d.element: d for d in derive(model, "claimRequest")}
    assert "claim.claimedAt" not in claim  # carried by no platform
    core = render_core(model)  # 1.0's core doc (the committed one is 1.1's)
    assert "- `claimRequest` `claim.claimedAt` (required): carried by no platform" in core
    assert "- `apply` `payment.minPremium` (required): profile: required by Quanzhou only" in core


def test_core_of_the_new_steps(model11: Any) -> None:
    from eguarantee_core import derive

    revoke = {d.element: d for d in derive(model11, "revokeNotice")}
    # Jiangxi revokePush orderNo, Epoint giveupapply applyno, Quanzhou close cnewguid: all Y
    assert revoke["guarantee.orderNo"].families == ("Epoint", "Jiangxi", "Quanzhou")
    assert revoke["guarantee.orderNo"].classification == "core-required"
    assert revoke["revoke.reason"].requirers == ("Jiangxi",)
    invoice = {d.element: d for d in derive(model11, "invoiceRequest")}
    assert invoice["invoiceApplication.type"].classification == "core-required"
    assert invoice["invoiceApplication.buyerName"].requirers == ("Jiangxi", "Manyan")
    core = cov.CORE_DOC.read_text(encoding="utf-8")
    assert core.startswith("# E-guarantee core: what every studied platform requires, per "
                           "business step (eguarantee 1.1)")
    # the Jiangxi-only demands 1.1 keeps out of its core are listed for the Jiangxi profile
    assert ("- `premiumRefundNotice`, required by Jiangxi (one family only): "
            "`header.messageId` (optional)") in core
    assert "`premiumRefund.fee` (optional)" in core


def _versions_row(doc: str, platform: str) -> list[str]:
    """The cells of ``platform``'s row in the coverage doc's versions table."""
    table = doc.split("## Spec versions side by side", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith(f"| {platform} |")]
    assert len(rows) == 1, platform
    return [cell.strip() for cell in rows[0].strip("|").split("|")]


def test_versions_table(model: Any, model11: Any) -> None:
    doc = cov.COVERAGE_DOC.read_text(encoding="utf-8")
    assert doc.startswith("# E-guarantee spec 1.1 against 1.0: coverage")
    head = _versions_row(doc, "platform")
    assert head[2:] == [f"{label} (1.0 → 1.1)" for _, label in cov.VERSION_COLUMNS]
    for code, platform in model.platforms.items():
        figures = [cov.version_figures(m, [f for f in m.fields if f.platform == code])
                   for m in (model, model11)]
        cells = _versions_row(doc, platform.name)
        expected = [" → ".join(str(f[k]) for f in figures) for k, _ in cov.VERSION_COLUMNS]
        expected[-1] += f" of {figures[0]['outside']}"
        assert cells[2:] == expected, platform.name
    jx = _versions_row(doc, "Jiangxi v2.3.0")
    # 1.0: of Jiangxi's 300 business fields 142 are carriable and 56 are invoicing (counted
    # by hand in test_hand_counted_figures); 1.1 models invoicing, so none is left as INV
    assert jx[1] == "313" and jx[5] == "56 → 0" and jx[7].startswith("142 → ")
    assert jx[7].endswith(" of 300")


def test_new_steps_carry_what_1_0_could_not(model: Any, model11: Any) -> None:
    old = {f.key: model.entry(f) for f in model.fields}
    new = {f.key: model11.entry(f) for f in model11.fields}
    for key in [("JX", "/lg/revokePush", "revokeReason"),
                ("JX", "/lg/applyDelay", "reason"),
                ("JX", "/jrapi/lg/invoicePush", "invoiceList[].orderList[].orderNo"),
                ("EP4", "invoiceapply", "type"),
                ("MY", "methodID=query (response)", "elecPolicyUrl")]:
        assert not model.carriable(old[key]), key
        assert model11.carriable(new[key]), key
    fee = new[("JX", "/lg/payRefundPush", "poundageAmount")]
    assert fee.element == "premiumRefund.fee"  # the refund fee, never payment.poundageAmount
    assert old[("JX", "/lg/payRefundPush", "poundageAmount")].category == "gap"


def test_spec_folder_and_version_override(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    folders = [str(SPECS / "1.1"), str(SPECS / "1.0")]
    code, err = _run(capsys, "--check", "--lang", "en", "--spec", folders[0], "--spec", folders[1])
    assert (code, err) == (0, "")  # the default is these two folders, the current one first
    code, err = _run(capsys, "--check", "--lang", "en", "--spec", folders[0])
    assert code == 1  # without 1.0 the coverage doc has no versions table
    assert "eguarantee-coverage.md is not current" in err
    assert "eguarantee-core.md" not in err  # the core doc is 1.1's either way
    from eguarantee_reference import build_model

    from hegui.validator.loader import load_spec

    override = _broken_map(
        tmp_path, 'message: "downloadpublickey"\n    step: none\n',
        'message: "downloadpublickey"\n    step: none\n'
        '    by_version: {"1.0": {step: refundRequest}}\n')
    model = build_model(load_spec(folders[1]), cov.CORPUS, override)
    entry = {f.key: model.entry(f) for f in model.fields}
    assert model.carriable(entry[("EP4", "downloadpublickey", "applyno")])


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
