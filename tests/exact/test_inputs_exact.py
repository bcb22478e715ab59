"""Inputs expanded exactly: folder order, JSON Lines numbering, limits at their edges, and
nothing lost (unreadable inputs become error results), through the public Runner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hegui.validator.inputs import expand
from hegui.validator.limits import Limits
from hegui.validator.runner import RunConfig, Runner


def test_folder_order_is_sorted_and_recursive(tmp_path: Path) -> None:
    for name in ("b.json", "a.xml", "sub/c.jsonl", "sub/a.ndjson", "skip.txt", "Z.JSON"):
        p = tmp_path / name
        p.parent.mkdir(exist_ok=True)
        p.write_text("{}\n", encoding="utf-8")
    got = [Path(p.source).relative_to(tmp_path).as_posix() for p in expand([str(tmp_path)])]
    assert got == ["Z.JSON", "a.xml", "b.json", "sub/a.ndjson:1", "sub/c.jsonl:1"]


def test_skip_leaves_out_a_file_met_in_a_folder(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("{}", encoding="utf-8")
    (tmp_path / "manifest.json").write_text("{}", encoding="utf-8")
    skip = frozenset({(tmp_path / "manifest.json").resolve()})
    assert [Path(p.source).name for p in expand([str(tmp_path)], skip=skip)] == ["a.json"]


def test_json_lines_numbering_skips_blank_lines(tmp_path: Path) -> None:
    p = tmp_path / "x.jsonl"
    p.write_bytes(b'{"a": 1}\n\n  \n{"b": 2}\r\n{"c": 3}')
    got = [(q.source.rsplit(":", 1)[1], q.data, q.encoding_hint) for q in expand([str(p)])]
    assert got == [("1", b'{"a": 1}', "json"), ("4", b'{"b": 2}', "json"),
                   ("5", b'{"c": 3}', "json")]


def test_empty_inputs_are_read_errors(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_bytes(b"\n\n")
    (tmp_path / "folder").mkdir()
    got = [(Path(p.source).name, p.read_error is not None)
           for p in expand([str(tmp_path / "empty.jsonl"), str(tmp_path / "folder"),
                            str(tmp_path / "missing.json")])]
    assert got == [("empty.jsonl", True), ("folder", True), ("missing.json", True)]


def test_file_size_limit_is_exact(tmp_path: Path) -> None:
    p = tmp_path / "p.json"
    p.write_bytes(b"x" * 100)
    assert next(expand([str(p)], Limits(max_bytes=100))).read_error is None
    assert next(expand([str(p)], Limits(max_bytes=99))).read_error is not None


def test_json_lines_line_limit_is_exact(tmp_path: Path) -> None:
    p = tmp_path / "p.jsonl"
    p.write_bytes(b"x" * 100 + b"\n" + b"y" * 101 + b"\r\n")  # 100 and 101 bytes, line ends apart
    got = [q.read_error is None for q in expand([str(p)], Limits(max_jsonl_line_bytes=100))]
    assert got == [True, False]


def test_batch_keeps_every_input_in_order(minispec: Any, tmp_path: Path,
                                          order: dict[str, Any]) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(order), encoding="utf-8")
    lines = tmp_path / "l.jsonl"
    order["order"]["fee"] = "1.00"
    lines.write_text(json.dumps(order) + "\n" + "{broken\n", encoding="utf-8")
    batch = Runner(RunConfig(spec=minispec.folder)).run(
        [str(tmp_path / "missing.json"), str(lines), str(good)])
    got = [(Path(r.source).name, r.verdict, sorted(r.rule_ids)) for r in batch.results]
    assert got == [("missing.json", "error", ["payload@read"]),
                   ("l.jsonl:1", "nonconformant", ["MS-001"]),
                   ("l.jsonl:2", "error", ["payload@parse"]),
                   ("good.json", "conformant", [])]
    assert batch.summary() == {"total": 4, "conformant": 1, "nonconformant": 1, "error": 2}
    assert batch.exit_code() == 2


def test_unreadable_folders_are_inputs_with_a_reason(tmp_path: Path,
                                                     monkeypatch: Any) -> None:
    """A folder the walk cannot list, inside a folder or given itself, is an input with the
    reason (root reads every folder, so the refusal is simulated; tests/evil runs the real
    thing as an unprivileged user where it can)."""
    import os

    (tmp_path / "in" / "locked").mkdir(parents=True)
    (tmp_path / "in" / "ok.json").write_text("{}", encoding="utf-8")
    (tmp_path / "top").mkdir()
    real = os.scandir

    def scandir(path: Any) -> Any:
        if Path(path).name in ("locked", "top"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    got = [(Path(p.source).relative_to(tmp_path).as_posix(),
            p.read_error.en if p.read_error else None)
           for p in expand([str(tmp_path / "in"), str(tmp_path / "top")])]
    assert got == [("in/locked", "cannot read folder: Permission denied"),
                   ("in/ok.json", None), ("top", "cannot read folder: Permission denied")]
