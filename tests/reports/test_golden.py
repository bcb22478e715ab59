"""Golden files: every format, in both languages, of the fixed batch (HEGUI_UPDATE_GOLDEN=1)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from hegui.reports import RENDERERS
from hegui.validator.result import Batch
from hegui.validator.spec import Lang, Spec

EXTENSIONS = {"text": "txt", "json": "json", "jsonl": "jsonl", "html": "html", "markdown": "md",
              "junit": "junit.xml", "sarif": "sarif.json", "github": "github.txt"}


def test_every_format_has_a_golden_file() -> None:
    assert set(EXTENSIONS) == set(RENDERERS)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt", sorted(EXTENSIONS))
def test_golden(fmt: str, lang: Lang, report_batch: Batch, report_specs: dict[str, Spec],
                report_sources: dict[str, bytes], golden: Callable[[str, str], None]) -> None:
    text = RENDERERS[fmt](report_batch, report_specs, lang=lang, sources=report_sources)
    golden(f"report.{lang}.{EXTENSIONS[fmt]}", text)


@pytest.mark.parametrize("fmt", sorted(EXTENSIONS))
def test_renderers_are_pure(fmt: str, report_batch: Batch, report_specs: dict[str, Spec],
                            report_sources: dict[str, bytes]) -> None:
    """Same input, same output: no clock, no randomness, no state between calls."""
    first = RENDERERS[fmt](report_batch, report_specs, lang="en", sources=report_sources)
    again = RENDERERS[fmt](report_batch, report_specs, lang="en", sources=report_sources)
    assert first == again


@pytest.mark.parametrize("fmt", sorted(EXTENSIONS))
def test_renderers_cope_without_specs_and_sources(fmt: str, report_batch: Batch) -> None:
    """A saved result re-rendered where its spec is unavailable still renders every finding."""
    text = RENDERERS[fmt](report_batch, {}, lang="en")
    assert "MINI-001" in text
    assert "payloads/broken.json" in text


@pytest.mark.parametrize("fmt", sorted(EXTENSIONS))
def test_empty_batch(fmt: str, report_specs: dict[str, Spec]) -> None:
    empty = Batch((), "0.1.0-test", "2026-01-02T03:04:05+08:00", {})
    text = RENDERERS[fmt](empty, report_specs, lang="zh")
    assert text.strip()
