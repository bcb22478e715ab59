"""The format table and write_outputs."""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path

import pytest

from hegui.reports import (
    FORMATS,
    RENDERERS,
    ReportWriteError,
    parse_output,
    render,
    write_outputs,
)
from hegui.reports.registry import locate_sources, write_text_atomically
from hegui.validator.errors import UsageError
from hegui.validator.result import Batch, Result
from hegui.validator.spec import Spec


def test_formats() -> None:
    assert FORMATS == ("text", "json", "jsonl", "html", "markdown", "junit", "sarif", "github")
    assert set(RENDERERS) == set(FORMATS)


def test_render_unknown_format(report_batch: Batch) -> None:
    with pytest.raises(UsageError, match=r"unknown report format 'pdf'.*known: text"):
        render("pdf", report_batch, {}, lang="en")


@pytest.mark.parametrize(("value", "expected"), [
    ("json=out/r.json", ("json", "out/r.json")),
    ("html", ("html", "-")),
    ("sarif=-", ("sarif", "-")),
])
def test_parse_output(value: str, expected: tuple[str, str]) -> None:
    assert parse_output(value) == expected


@pytest.mark.parametrize("value", ["pdf=x.pdf", "json=", "=x"])
def test_parse_output_errors(value: str) -> None:
    with pytest.raises(UsageError):
        parse_output(value)


def test_write_outputs(tmp_path: Path, report_batch: Batch, report_specs: dict[str, Spec],
                       report_sources: dict[str, bytes]) -> None:
    out = io.StringIO()
    write_outputs(report_batch, report_specs,
                  [("json", str(tmp_path / "deep" / "r.json")), ("text", "-"),
                   ("html", str(tmp_path / "r.html"))],
                  "en", report_sources, stdout=out)
    assert (tmp_path / "deep" / "r.json").read_text(encoding="utf-8") == render(
        "json", report_batch, report_specs, lang="en")
    assert 'class="excerpt"' in (tmp_path / "r.html").read_text(encoding="utf-8")
    assert out.getvalue() == render("text", report_batch, report_specs, lang="en")


def test_write_outputs_checks_formats_first(tmp_path: Path, report_batch: Batch) -> None:
    with pytest.raises(UsageError):
        write_outputs(report_batch, {}, [("json", str(tmp_path / "r.json")), ("pdf", "-")], "en")
    assert not (tmp_path / "r.json").exists()


def test_unwritable_destination(tmp_path: Path, report_batch: Batch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    target = str(blocker / "r.json")
    with pytest.raises(ReportWriteError, match="cannot write json report to") as info:
        write_outputs(report_batch, {}, [("json", target)], "en")
    assert info.value.exit_code == 2
    assert str(info.value) == f"cannot write json report to {target}: Not a directory"
    assert info.value.text.zh == f"无法将 json 报告写入 {target}：路径中有一级不是文件夹"
    with pytest.raises(ReportWriteError) as zh:
        write_outputs(report_batch, {}, [("json", target)], "zh")
    assert str(zh.value) == info.value.text.zh


def _left_over(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_write_replaces_a_report_whole(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_text_atomically(target, "新的\n")
    assert target.read_bytes() == "新的\n".encode()
    assert target.stat().st_mode & 0o777 == 0o640  # an existing report keeps its mode
    assert _left_over(tmp_path) == []


def test_a_failed_rename_leaves_the_old_report_and_no_temp_file(
        tmp_path: Path, report_batch: Batch, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "r.json"
    target.write_text("old", encoding="utf-8")

    def refuse(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ReportWriteError, match="磁盘空间不足"):
        write_outputs(report_batch, {}, [("json", str(target))], "zh")
    assert target.read_text(encoding="utf-8") == "old"
    assert _left_over(tmp_path) == []


def test_a_folder_as_destination_leaves_no_temp_file(tmp_path: Path,
                                                     report_batch: Batch) -> None:
    (tmp_path / "r.json").mkdir()
    with pytest.raises(ReportWriteError, match=r"r\.json"):
        write_outputs(report_batch, {}, [("sarif", str(tmp_path / "r.json"))], "en")
    assert _left_over(tmp_path) == []
    assert list((tmp_path / "r.json").iterdir()) == []


def test_locate_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    (repo / "sub").mkdir(parents=True)
    link = tmp_path / "link"
    link.symlink_to(repo, target_is_directory=True)
    monkeypatch.chdir(repo)

    def result(source: str) -> Result:
        return Result(source, "conformant", None, None, "json", "0" * 64, ())

    sources = ["sub/a.json", "./sub/../b.json", f"{repo}/c.json", f"{link}/sub/d.json",
               "sub/e.jsonl:3", "../out.json", "-", "-:2"]
    batch = Batch(tuple(map(result, sources)), "0", "2026-01-01T00:00:00+00:00")
    base = locate_sources(batch, repo)
    assert base.root == str(repo)
    assert dict(base.inside) == {"sub/a.json": "sub/a.json", "./sub/../b.json": "b.json",
                                 f"{repo}/c.json": "c.json", f"{link}/sub/d.json": "sub/d.json",
                                 "sub/e.jsonl": "sub/e.jsonl"}
    assert dict(base.outside) == {"../out.json": str(tmp_path / "out.json")}
    assert locate_sources(batch, link).inside["sub/a.json"] == "sub/a.json"
    assert locate_sources(batch).root == str(Path.cwd())  # default: the current directory


def test_a_folder_refusing_files_is_a_bilingual_error(
        tmp_path: Path, report_batch: Batch, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a read-only folder does for users other than root (the CLI test of it skips as root)."""
    real_open = os.open

    def refuse(path: object, flags: int, mode: int = 0o777) -> int:
        if str(path).endswith(".tmp"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)
    target = tmp_path / "r.json"
    with pytest.raises(ReportWriteError) as info:
        write_outputs(report_batch, {}, [("junit", str(target))], "zh")
    assert str(info.value) == f"无法将 junit 报告写入 {target}：没有写入权限"
    assert info.value.text.en == f"cannot write junit report to {target}: Permission denied"
    assert list(tmp_path.iterdir()) == []
