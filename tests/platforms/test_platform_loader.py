"""A broken or loosening platform profile is a load error naming the file and the line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from hegui.cli import cli
from hegui.validator.errors import SpecError
from hegui.validator.platform_loader import load_platform

SYNTHETIC = Path(__file__).parent.parent / "data" / "platforms" / "synthetic"


def broken(tmp_path: Path, file: str, old: str, new: str) -> tuple[Path, int]:
    """A copy of the synthetic profile with ``old`` replaced by ``new`` in ``file``; and the
    line ``new`` starts on."""
    folder = tmp_path / "profile"
    shutil.copytree(SYNTHETIC, folder)
    text = (folder / file).read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    (folder / file).write_text(text, encoding="utf-8")
    return folder, text[:text.index(new)].count("\n") + 1


CASES = [
    ("target the type lacks", "messages.yaml", "insureName: bidder.name",
     "insureName: bidder.nickname", "has no element 'bidder.nickname'"),
    ("element the type excludes", "messages.yaml", "insureName: bidder.name",
     "insureName: guarantee.guaranteeNo", "has no element 'guarantee.guaranteeNo'"),
    ("code element by a plain rename", "messages.yaml",
     "productType: {to: guarantee.issuanceMode, codes: productType}",
     "productType: guarantee.issuanceMode", "needs a translation"),
    ("code word outside its code list", "codes.yaml", '"2": SEPARATED', '"2": INDIRECT',
     "'INDIRECT' is not a code of code list issuanceMode"),
    ("a constant standing in for a core-required element (loosening)", "messages.yaml",
     "constants: {guarantee.purpose: BID}",
     "constants: {guarantee.purpose: BID, bidder.uscc: 91441900315208746A}",
     "a constant cannot stand in for it"),
    ("form that cannot write the type", "messages.yaml", "openBeginDate: project.bidOpenTime",
     "openBeginDate: {to: project.bidOpenTime, form: integer}", "form 'integer' cannot write"),
    ("date-only form without a time of day", "messages.yaml",
     'formats: ["%Y%m%d%H%M%S", "%Y-%m-%d %H:%M:%S"]', 'formats: ["%Y%m%d"]',
     "needs the time of day"),
    ("unknown code table", "messages.yaml", "codes: status}", "codes: auditStatus}",
     "no code table 'auditStatus'"),
    ("unknown envelope", "messages.yaml", "    messageType: applyResult",
     "    messageType: applyResult\n    envelope: answer", "no envelope 'answer'"),
    ("a member the format does not have", "messages.yaml",
     "    recognise: {keys: [orderNo, status]}",
     "    recognise: {keys: [orderNo, status]}\n    optional: [note]", "optional"),
    ("a scalar filling a list", "messages.yaml", 'attachInfo[].attachUrl: "attachments[].url"',
     'orderUrl: "attachments[].url"', "is not in a list"),
]


@pytest.mark.parametrize(("file", "old", "new", "said"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_load_error_names_file_and_line(tmp_path: Path, file: str, old: str, new: str,
                                        said: str) -> None:
    folder, line = broken(tmp_path, file, old, new)
    with pytest.raises(SpecError) as info:
        load_platform(str(folder))
    text = str(info.value)
    assert said in text
    assert f"{file}:{line}:" in text or f"{file}:{line + 1}:" in text, text


def test_yaml_error_is_placed(tmp_path: Path) -> None:
    folder, _ = broken(tmp_path, "codes.yaml", "    values: {\"1\": DIRECT",
                          "    values: {\"1\": [DIRECT")
    with pytest.raises(SpecError) as info:
        load_platform(str(folder))
    assert "codes.yaml:" in str(info.value) and "YAML error" in str(info.value)


def test_cli_reports_a_broken_profile_with_exit_code_2(tmp_path: Path) -> None:
    folder, line = broken(tmp_path, "messages.yaml", "insureName: bidder.name",
                          "insureName: bidder.nickname")
    r = CliRunner().invoke(cli, ["validate", "--profile", str(folder),
                                 str(SYNTHETIC / "platform.yaml")])
    assert r.exit_code == 2
    assert f"messages.yaml:{line}:" in r.output and "Traceback" not in r.output


def test_unknown_profile_is_a_usage_error() -> None:
    r = CliRunner().invoke(cli, ["profiles", "show", "nowhere-9.9"])
    assert r.exit_code == 2
    assert "no platform profile 'nowhere-9.9'" in r.output
