"""HTML report: well-formed, self-contained, escaped, with the parts the standards office reads."""

from __future__ import annotations

import dataclasses
import re

import pytest
from lxml import etree, html

from hegui.reports.html import render_html
from hegui.validator.result import Batch, Finding, Location
from hegui.validator.spec import Lang, Spec, Text

HOSTILE = "<script>alert(1)</script>"  # the hostile value in the fixture batch


@pytest.fixture(scope="module")
def page(report_batch: Batch, report_specs: dict[str, Spec],
         report_sources: dict[str, bytes]) -> str:
    return render_html(report_batch, report_specs, lang="en", sources=report_sources)


def _xml(text: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.fromstring(text.encode("utf-8"), parser)


def test_well_formed(page: str) -> None:
    root = _xml(page)  # strict XML parse: every tag closed, no stray entities
    assert root.tag == "html"
    doc = html.document_fromstring(page)
    assert doc.find("head/title") is not None


def test_no_external_references(page: str) -> None:
    doc = html.document_fromstring(page)
    assert doc.xpath("//script") == []
    assert doc.xpath("//link") == []
    assert doc.xpath("//iframe|//object|//embed|//img") == []
    for el in doc.xpath("//*[@src or @href or @action or @srcset]"):
        for attr in ("src", "href", "action", "srcset"):
            value = el.get(attr)
            if value is not None:
                assert value.startswith("#"), (attr, value)
    style = "".join(doc.xpath("//style/text()"))
    assert "@import" not in style
    assert "url(" not in style
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//", page)


def test_hostile_values_are_escaped(page: str) -> None:
    assert HOSTILE not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    doc = html.document_fromstring(page)
    values = doc.xpath("//code[@class='value']/text()")
    assert HOSTILE in values  # shown to the reader as text


def test_header_has_provenance(page: str, report_batch: Batch,
                               report_specs: dict[str, Spec]) -> None:
    doc = html.document_fromstring(page)
    header = doc.get_element_by_id("provenance").text_content()
    assert "Mini spec for report tests" in header
    assert "Standard number" in header and "unknown" in header
    assert report_specs["mini"].content_sha256 in header
    assert "0.9" in header and "hegui 0.1.0-test" in header
    assert "2026-01-02T03:04:05+08:00" in header
    assert 'fail_on="error"' in header
    inputs = doc.get_element_by_id("inputs").text_content()
    for r in report_batch.results:
        assert r.input_sha256 in inputs


def test_summary_table(page: str) -> None:
    doc = html.document_fromstring(page)
    cells = {td.get("data-verdict"): td.text_content()
             for td in doc.get_element_by_id("summary").xpath(".//*[@data-verdict]")}
    assert cells == {"conformant": "2", "nonconformant": "2", "error": "2", "total": "6"}


def test_rule_table_and_coverage(page: str) -> None:
    doc = html.document_fromstring(page)
    rows = {tr.xpath("td[1]")[0].text_content(): [td.text_content() for td in tr.xpath("td")]
            for tr in doc.get_element_by_id("rules").xpath(".//tbody/tr")}
    assert rows["MINI-001"][1:] == ["error", "Guarantee amount equals the bid security",
                                    "招标投标法实施条例 第二十六条", "2", "4",
                                    "exercised"]
    assert rows["MINI-002"][3] == "hegui modelling (inferred)"
    assert rows["MINI-005"][-1] == "never reached"
    assert rows["guarantee.currency@enum"][-1] == "structural"
    coverage = doc.get_element_by_id("coverage").text_content()
    assert "exercised 2 of 5 rules" in coverage


def test_aggregated_view_links_payloads(page: str) -> None:
    doc = html.document_fromstring(page)
    first = doc.get_element_by_id("aggregate").xpath(".//tbody/tr")[0]
    assert first.xpath("td[1]")[0].text_content() == "MINI-001"
    assert [a.get("href") for a in first.xpath("td[4]/a")] == ["#payload-2", "#payload-3"]
    for a in doc.xpath("//a[@href]"):
        assert doc.get_element_by_id(a.get("href")[1:]) is not None


def test_payload_sections(page: str) -> None:
    doc = html.document_fromstring(page)
    bad = doc.get_element_by_id("payload-2")
    assert "nonconformant" in bad.xpath(".//h3")[0].text_content()
    excerpt = bad.xpath(".//pre[@class='excerpt']")[0]
    focus = excerpt.xpath(".//span[@class='focus']")[0].text_content()
    assert focus.strip().startswith("4 │") and '"400000.00"' in focus
    assert "payload cannot be parsed" in doc.get_element_by_id("payload-5").text_content()
    assert "no spec detected" in doc.get_element_by_id("payload-6").text_content()


def test_no_excerpts_without_sources(report_batch: Batch, report_specs: dict[str, Spec]) -> None:
    page = render_html(report_batch, report_specs, lang="en")
    assert 'class="excerpt"' not in page


@pytest.mark.parametrize(("lang", "word"), [("zh", "不符合"), ("en", "nonconformant")])
def test_language(lang: Lang, word: str, report_batch: Batch,
                  report_specs: dict[str, Spec]) -> None:
    page = render_html(report_batch, report_specs, lang=lang)
    assert f'<html lang="{"zh-CN" if lang == "zh" else "en"}">' in page
    assert word in page


def test_control_characters_stay_parsable(report_batch: Batch) -> None:
    r = report_batch.results[1]
    f = Finding("X-001", "error", Text("a\x00b\x1b[31mc", "a\x00b\x1b[31mc"), "rule",
                Location(pointer="/x"), value="\x0c")
    batch = dataclasses.replace(report_batch, results=(dataclasses.replace(r, findings=(f,)),))
    _xml(render_html(batch, {}, lang="en"))


def test_spec_changed_note(report_batch: Batch, report_spec: Spec) -> None:
    changed = dataclasses.replace(report_spec, content_sha256="0" * 64)
    page = render_html(report_batch, {"mini": changed}, lang="en")
    assert "differs from the one the result was made with" in page
