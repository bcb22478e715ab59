"""scripts/platform_coverage.py: the committed platform coverage doc is current, its counts add
up and match counts made from the profiles, and a profile changed in a temporary copy (a field
invented, a field left out) shows in the doc where it should."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import re
import shutil
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "platform_coverage.py"
PROFILES = ROOT / "specs" / "eguarantee" / "platforms"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("platform_coverage", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while defined
    spec.loader.exec_module(module)
    return module


cov = _load()


@pytest.fixture(scope="module")
def coverages() -> dict[str, Any]:
    return {c.platform.id: c for c in cov.load(cov.default_profiles(), cov.CORPUS, cov.MAP)}


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = cov.main(list(argv))
    return code, capsys.readouterr().err


def _copy(tmp_path: Path, profile: str, message: str, old: str, new: str) -> Path:
    """A copy of ``profile`` whose ``message`` block in messages.yaml has ``old`` replaced."""
    folder = tmp_path / profile
    shutil.copytree(PROFILES / profile, folder)
    path = folder / "messages.yaml"
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition(f"\n  {message}:\n")
    assert sep, message
    block, nxt, tail = rest.partition("\n  /")
    assert block.count(old) == 1, old
    path.write_text(head + sep + block.replace(old, new) + nxt + tail, encoding="utf-8")
    return folder


def _section(doc: str, profile: str) -> str:
    return doc.split(f"\n## {profile}\n", 1)[1].split("\n## ", 1)[0]


def test_committed_doc_is_current(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "--check", "--lang", "en") == (0, "")


def test_check_reports_a_stale_doc(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stale = tmp_path / "platform-coverage.md"
    stale.write_text(cov.DOC.read_text(encoding="utf-8").replace("| 313 |", "| 312 |"),
                     encoding="utf-8")
    code, err = _run(capsys, "--check", "--lang", "en", "--out", str(stale))
    assert code == 1
    assert f"{stale} is not current" in err


def test_counts_add_up(coverages: dict[str, Any]) -> None:
    corpus = json.loads(cov.CORPUS.read_text(encoding="utf-8"))
    doc = cov.DOC.read_text(encoding="utf-8")
    total = 0
    for pid, c in coverages.items():
        prefix = c.platform.source["corpus"]
        own = [o for o in corpus if o["platform"].startswith(prefix)]
        assert own and len(c.fields) == len(own), pid
        assert sum(c.count(s) for s in cov.STATUSES) == len(own), pid
        total += len(own)
        row = [r for r in doc.splitlines() if r.startswith(f"| [{pid}](")]
        cells = [x.strip() for x in row[0].strip("|").split("|")]
        assert cells[1:5] == [str(len(own)), *(str(c.count(s)) for s in cov.STATUSES)], pid
    assert total == len(corpus) == 992  # every corpus field belongs to exactly one profile


def test_epoint_versions_are_told_apart(coverages: dict[str, Any]) -> None:
    assert (len(coverages["epoint-2.0.4"].fields), len(coverages["epoint-4.0"].fields)) \
        == (147, 172)
    # with the common prefix only, the version in the platform text still tells them apart
    short = [dataclasses.replace(coverages[p].platform, source={
        **coverages[p].platform.source, "corpus": "国泰新点(Epoint)"})
        for p in ("epoint-2.0.4", "epoint-4.0")]
    texts = sorted({o["platform"] for o in json.loads(cov.CORPUS.read_text(encoding="utf-8"))
                    if o["platform"].startswith("国泰新点")})
    owner, problems = cov.assign(short, texts)
    assert problems == []
    assert sorted(owner.values()) == ["epoint-2.0.4", "epoint-4.0"]
    assert all(owner[t] == ("epoint-4.0" if " V4.0 " in t else "epoint-2.0.4") for t in texts)
    same = [dataclasses.replace(p, source={**p.source, "version": "V9"}) for p in short]
    _, problems = cov.assign(same, texts)
    assert len(problems) == 2 and "belongs to no single profile" in problems[0].en


def test_jiangxi_apply_is_fully_covered(coverages: dict[str, Any]) -> None:
    jx = coverages["jiangxi-2.3.0"]
    apply = [f for f in jx.fields if f.message == "/lg/apply"]
    assert len(apply) == 31
    assert all(f.status in ("mapped", "dropped") for f in apply)
    assert next(f for f in apply if f.path == "tenderDeposit").fieldmap.targets \
        == ("guarantee.amount",)
    receipts = [f for f in jx.fields if f.message.endswith(" (response)") and f.unit is None]
    assert receipts and all(f.status == "unmapped" and f.entry.category == "ACK"
                            for f in receipts)


def test_the_path_rule() -> None:
    assert cov.corpus_candidates("applydata(decrypted).biddername", frozenset({"applydata"})) \
        == ["applydata.biddername", "biddername"]
    assert cov.corpus_candidates("(outer message).sign", frozenset({"data"})) == ["sign"]
    assert cov.corpus_candidates("data.payurl", frozenset({"data"})) == ["data.payurl", "payurl"]
    assert cov.corpus_candidates("data.payurl", frozenset({"body"})) == ["data.payurl"]
    assert cov.same_path("fileInfos[?].fileType", "fileInfos[].fileType")
    assert cov.same_path("fileInfos[?].fileType", "fileInfos.fileType")
    assert not cov.same_path("fileInfos[?].fileType", "fileInfos[].fileName")


def test_wrapped_paths_are_matched(coverages: dict[str, Any]) -> None:
    """Every corpus field of a message or envelope the profiles model with a body, a qualifier
    or grouped headers is matched, none left unmapped."""
    for pid, message in [("epoint-4.0", "baohanapply"),
                         ("xib-1.0", "2.4 推送电子保函文件 [URL supplied by platform]"),
                         ("quanzhou-1.3", "apply (response data)"),
                         ("quanzhou-1.3", "(common HTTP request header)"),
                         ("manyan-1.0", "(HTTP header, every request)"),
                         ("manyan-1.0", "methodID=claim")]:
        fields = [f for f in coverages[pid].fields if f.message == message]
        assert fields and all(f.status != "unmapped" for f in fields), (pid, message)
    ep4 = {f.path: f for f in coverages["epoint-4.0"].fields if f.message == "baohanapply"}
    assert ep4["applydata"].body and ep4["applydata"].status == "mapped"
    assert ep4["applydata(decrypted).bzjamount"].native == "bzjamount"
    assert ep4["applydata(decrypted).bzjamount"].unit.kind == "message"
    assert ep4["sign"].status == "dropped" and ep4["sign"].unit.kind == "envelope"
    qz = {f.path: f for f in coverages["quanzhou-1.3"].fields}
    assert qz["productcode"].status == "mapped"  # default maps it, close-headers drops it
    for c in coverages.values():
        assert c.extra == () and c.strays == (), c.platform.id


def test_invented_field_is_not_in_the_corpus(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    folder = _copy(tmp_path, "jiangxi-2.3.0", "/lg/apply", "      orderNo: guarantee.orderNo\n",
                   "      orderNo: guarantee.orderNo\n      inventedField: tenderee.address\n")
    out = tmp_path / "doc.md"
    assert _run(capsys, "--lang", "en", "--profile", str(folder), "--out", str(out)) == (0, "")
    doc = _section(out.read_text(encoding="utf-8"), "jiangxi-2.3.0")
    assert "- `/lg/apply` → `apply` `inventedField` (mapped): not in the corpus" in doc
    assert "313 corpus fields: 287 mapped, 9 dropped, 17 unmapped." in doc


def test_left_out_field_is_unmapped_with_the_maps_reading(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _copy(tmp_path, "jiangxi-2.3.0", "/lg/apply",
                   "      insuredAddress: tenderee.address\n",
                   "      insuredAdress: tenderee.address\n")  # a typo of the native name
    out = tmp_path / "doc.md"
    assert _run(capsys, "--lang", "en", "--profile", str(folder), "--out", str(out)) == (0, "")
    doc = _section(out.read_text(encoding="utf-8"), "jiangxi-2.3.0")
    assert "| `/lg/apply` | `/lg/apply` → `apply` | 31 | 30 | 0 | 1 |" in doc
    assert re.search(r"- `/lg/apply` — modelled by `/lg/apply` → `apply`, these paths not "
                     r"\(the map: step `apply`[^)]*\)\. the map carries `insuredAddress` → "
                     r"`tenderee.address`", doc)
    assert "- `/lg/apply` → `apply` `insuredAdress` (mapped): not in the corpus" in doc


def test_unusable_profile_is_a_usage_error(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(capsys, "--check", "--lang", "en", "--profile", "no-such-profile")
    assert code == 2
    assert "cannot load platform profile no-such-profile" in err
    folder = _copy(tmp_path, "jiangxi-2.3.0", "/lg/apply", "      orderNo: guarantee.orderNo\n",
                   "      orderNo: guarantee.noSuchElement\n")
    code, err = _run(capsys, "--check", "--profile", str(folder))  # Chinese by default
    assert code == 2
    assert "无法加载平台配置" in err and "messages.yaml" in err


@pytest.mark.slow
def test_script_runs_as_a_process() -> None:
    import subprocess

    python = str(ROOT / ".venv" / "bin" / "python")
    ok = subprocess.run([python, "-P", str(SCRIPT), "--check", "--lang", "en"], cwd=ROOT,
                        capture_output=True, text=True, timeout=120)
    assert (ok.returncode, ok.stderr) == (0, "")
    bad = subprocess.run([python, "-P", str(SCRIPT), "--check", "--profile", "no-such"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2
    assert "无法加载平台配置 no-such" in bad.stderr and "Traceback" not in bad.stderr
