"""The on-disk cache of parsed YAML (validator.yamlsource): a hit gives what a parse gives, a
broken or unwritable cache is no cache, and ``HEGUI_CACHE=off`` writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from hegui.validator import yamlsource

TEXT = "a: 1\nb:\n  - x\n  - {c: true}\n"


def files(root: Path) -> list[Path]:
    return list(root.rglob("*.marshal"))


def test_a_hit_equals_a_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEGUI_CACHE", str(tmp_path))
    first = yamlsource.load_located(TEXT, "t.yaml")
    assert len(files(tmp_path)) == 1
    again = yamlsource.load_located(TEXT, "t.yaml")
    assert (again.data, again.marks) == (first.data, first.marks)
    assert again.where(("b", 1, "c")) == (4, 9) == first.where(("b", 1, "c"))
    assert again.data is not first.data  # a fresh copy: callers may change it


def test_a_broken_cache_file_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEGUI_CACHE", str(tmp_path))
    yamlsource.load_located(TEXT, "t.yaml")
    (path,) = files(tmp_path)
    path.write_bytes(b"\x00garbage")
    assert yamlsource.load_located(TEXT, "t.yaml").data == {"a": 1, "b": ["x", {"c": True}]}


def test_off_and_unwritable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEGUI_CACHE", "off")
    yamlsource.load_located(TEXT, "t.yaml")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("HEGUI_CACHE", str(blocker))
    assert yamlsource.load_located(TEXT, "t.yaml").data["a"] == 1
    assert not files(tmp_path)


def test_bad_yaml_is_not_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEGUI_CACHE", str(tmp_path))
    with pytest.raises(Exception, match="duplicate key"):
        yamlsource.load_located("a: 1\na: 2\n", "t.yaml")
    assert not files(tmp_path)
