"""Measure how versions of the e-guarantee spec cover real platform traffic, and write the docs.

Reads the reference corpus (``docs/coverage/real-eguarantee-fields.json``, a verbatim copy of
the shared reference's 992 field objects), the map ``docs/coverage/eguarantee-reference-map.yaml``
and spec versions (every version folder of the repository's ``specs/eguarantee``, the current
one first, unless ``--spec`` names others), checks the map against each, and writes
``docs/eguarantee-coverage.md`` (per platform: mapped, carriable, gap, envelope,
acknowledgement, invoicing, every version side by side; the details of the first) and
``docs/eguarantee-core.md`` (the first version's core requirements per business step, derived
from the platforms' required marks)::

    .venv/bin/python -P scripts/eguarantee_coverage.py           # rewrite both docs
    .venv/bin/python -P scripts/eguarantee_coverage.py --check   # CI: are the docs current?

Exit codes: 0 the docs were written (or, with ``--check``, are current); 1 ``--check`` and a doc
differs from what would be written; 2 a usage error, or the corpus, the map or the spec cannot
be used (every problem is listed, in Chinese by default, ``--lang en`` for English).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eguarantee_core import render_core
from eguarantee_reference import CorpusField, MapError, Model, build_model

from hegui.validator.errors import HeguiError
from hegui.validator.loader import load_spec
from hegui.validator.spec import Lang, Spec, Text
from hegui.validator.versions import current_version, family

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "docs" / "coverage" / "real-eguarantee-fields.json"
MAP = ROOT / "docs" / "coverage" / "eguarantee-reference-map.yaml"
COVERAGE_DOC = ROOT / "docs" / "eguarantee-coverage.md"
CORE_DOC = ROOT / "docs" / "eguarantee-core.md"
DEFAULT_SPEC = ROOT / "specs" / "eguarantee"
COLUMNS = ("entries", "mapped", "carriable", "gap", "ENV", "ACK", "INV", "doubt",
           "outside", "carriable_outside")


def counts(model: Model, fields: Sequence[CorpusField]) -> Counter[str]:
    """The figures of one summary row over ``fields``."""
    row: Counter[str] = Counter()
    for f in fields:
        entry = model.entry(f)
        row["entries"] += 1
        row[entry.category] += 1
        row["doubt"] += bool(entry.doubt)
        carriable = model.carriable(entry)
        row["carriable"] += carriable
        if entry.block.step != "envelope":
            row["outside"] += 1
            row["carriable_outside"] += carriable
    return row


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


def _summary(model: Model) -> list[str]:
    lines = [
        "| platform | field entries | mapped | **carriable** | gap | ENV | ACK | INV | doubtful |"
        " outside the envelope | carriable of those | carriable share of business data |",
        "|---|" + "---:|" * 11,
    ]
    rows = _rows(model)
    for name, fields in rows:
        c = counts(model, fields)
        business = c["mapped"] + c["gap"]
        lines.append(f"| {name} | " + " | ".join(str(c[k]) for k in COLUMNS)
                     + f" | {_share(c['carriable'], business)} |")
    return lines


def _label(model: Model, code: str) -> str:
    return model.platforms[code].name


def _steps(model: Model, others: Sequence[Model] = ()) -> list[str]:
    """Per platform message: its step (and, per other version, the step there) and figures."""
    older = sorted(others, key=lambda m: _version_key(m.spec.version))
    head = " | ".join(f"{m.spec.version} step | {m.spec.version} carriable" for m in older)
    v = model.spec.version
    lines = [f"| platform | message | {head + ' | ' if head else ''}{v} step | fields | "
             f"{v} mapped | {v} carriable |",
             "|---|---|" + "---|---:|" * len(older) + "---|---:|---:|---:|"]
    for block in model.blocks:
        key = (block.platform, block.message)
        cells = [_label(model, block.platform), f"`{block.message}`"]
        for m in older:
            there = next((b for b in m.blocks if (b.platform, b.message) == key), None)
            fields = [f for f in m.fields if (f.platform, f.message) == key]
            cells += [_step_name(m, there.step) if there else "—",
                      str(counts(m, fields)["carriable"])]
        fields = [f for f in model.fields if (f.platform, f.message) == key]
        c = counts(model, fields)
        cells += [_step_name(model, block.step), str(c["entries"]), str(c["mapped"]),
                  str(c["carriable"])]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _step_name(model: Model, step: str) -> str:
    return f"`{step}`" if step in model.spec.message_types else step


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


def _not_modelled(model: Model) -> list[str]:
    return [f"- {_label(model, b.platform)} `{b.message}`: {b.reason}"
            + (f" (doubt: {b.doubt})" if b.doubt else "")
            for b in model.blocks if b.step == "none"]


def _gaps(model: Model) -> list[str]:
    out = []
    for f in model.fields:
        e = model.entry(f)
        if e.category == "gap":
            out.append(f"- {_label(model, f.platform)} `{f.message}` `{f.path}`: {e.reason}"
                       + (f" (doubt: {e.doubt})" if e.doubt else ""))
    return out


def _uncarried(model: Model) -> list[str]:
    by_block: dict[tuple[str, str], list[str]] = defaultdict(list)
    for f in model.fields:
        e = model.entry(f)
        if e.category == "mapped" and not model.carriable(e) \
                and e.block.step in model.spec.message_types:
            by_block[(f.platform, f.message)].append(f"`{f.path}` ({e.element})")
    lines = []
    for block in model.blocks:
        items = by_block.get((block.platform, block.message))
        if items:
            lines.append(f"- {_label(model, block.platform)} `{block.message}` → `{block.step}`: "
                         + ", ".join(items))
    return lines


def _doubts(model: Model) -> list[str]:
    out = [f"- {_label(model, b.platform)} `{b.message}` (message → {b.step}): {b.doubt}"
           for b in model.blocks if b.doubt]
    for f in model.fields:
        e = model.entry(f)
        if e.doubt and e.category == "mapped":
            out.append(f"- {_label(model, f.platform)} `{f.message}` `{f.path}` → "
                       f"`{e.element}`: {e.doubt}")
    return out


def _elements(model: Model) -> tuple[list[str], list[str]]:
    carried: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for f in model.fields:
        e = model.entry(f)
        if e.category != "mapped" or e.element is None:
            continue
        names = carried[e.element][f.platform]
        if f"`{f.field}`" not in names:
            names.append(f"`{f.field}`")
    codes = list(model.platforms)
    lines = ["| element | " + " | ".join(model.platforms[c].name for c in codes) + " |",
             "|---|" + "---|" * len(codes)]
    for element in sorted(carried):
        lines.append(f"| `{element}` | " + " | ".join(", ".join(carried[element].get(c, []))
                                                     for c in codes) + " |")
    unused = sorted(p for p in _spec_leaf_paths(model.spec) if p not in carried)
    return lines, [f"- `{p}`" for p in unused]


def _spec_leaf_paths(spec: Spec) -> set[str]:
    paths: set[str] = set()
    for paths_of_type in (set(mt.fields) for mt in spec.message_types.values()):
        paths |= paths_of_type
    groups = {p.rsplit(".", 1)[0] for p in paths if "." in p}
    return {p for p in paths if p not in groups}


VERSION_COLUMNS = (("mapped", "mapped"), ("carriable", "**carriable**"), ("gap", "gap"),
                   ("INV", "INV"), ("out", "out of scope (ENV + ACK)"),
                   ("carriable_outside", "carriable outside the envelope"))


def _rows(model: Model) -> list[tuple[str, list[CorpusField]]]:
    """The summary rows: each platform, each family of more than one platform, all."""
    rows: list[tuple[str, list[CorpusField]]] = [
        (p.name, [f for f in model.fields if f.platform == p.code])
        for p in model.platforms.values()]
    families = Counter(p.family for p in model.platforms.values())
    for family_name, n in families.items():
        if n > 1:
            codes = {p.code for p in model.platforms.values() if p.family == family_name}
            rows.append((f"{family_name} (all versions)",
                         [f for f in model.fields if f.platform in codes]))
    rows.append(("**all**", list(model.fields)))
    return rows


def version_figures(model: Model, fields: Sequence[CorpusField]) -> dict[str, int]:
    """The figures of one cell group of the versions table: mapped, carriable, gap, INV, out
    of scope (envelope and acknowledgement) and carriable outside the envelope."""
    c = counts(model, fields)
    return {"mapped": c["mapped"], "carriable": c["carriable"], "gap": c["gap"],
            "INV": c["INV"], "out": c["ENV"] + c["ACK"],
            "carriable_outside": c["carriable_outside"], "outside": c["outside"]}


def _compare(models: Sequence[Model]) -> list[str]:
    """Per platform, the figures of every version side by side (oldest first, ``a → b``)."""
    ordered = sorted(models, key=lambda m: _version_key(m.spec.version))
    arrow = " → ".join(m.spec.version for m in ordered)
    head = ["platform", "field entries", *(f"{label} ({arrow})" for _, label in VERSION_COLUMNS)]
    lines = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    per_version = [dict(_rows(m)) for m in ordered]
    for name, fields in _rows(ordered[0]):
        figures = [version_figures(m, rows[name])
                   for m, rows in zip(ordered, per_version, strict=True)]
        cells = [name, str(len(fields))]
        cells += [" → ".join(str(f[k]) for f in figures) for k, _ in VERSION_COLUMNS]
        cells[-1] += f" of {figures[0]['outside']}"
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def render_coverage(model: Model, others: Sequence[Model] = ()) -> str:
    """The text of docs/eguarantee-coverage.md for ``model`` (and, when ``others`` are given,
    its figures side by side with those of the other spec versions)."""
    spec = model.spec
    versions = sorted({m.spec.version for m in (model, *others)}, key=_version_key)
    against = f" against {', '.join(v for v in versions if v != spec.version)}" if others else ""
    compared = [
        "## Spec versions side by side", "",
        "The same corpus and map measured under each version (the map's `by_version` entries "
        "say where a version maps a field differently). *Out of scope* = envelope and "
        "acknowledgement entries (ENV + ACK); *carriable of those outside the envelope* counts "
        "the entries of the platforms' own messages (not of their common envelope or header), "
        "the figure issue 10 quotes for Jiangxi (300 entries).", "",
        *_compare([model, *others]), ""] if others else []
    n = len(model.fields)
    table, unused = _elements(model)
    parts = [
        f"# E-guarantee spec {spec.version}{against}: coverage of real platform interfaces",
        "",
        "Generated by `scripts/eguarantee_coverage.py` from the reference corpus "
        f"(`docs/coverage/real-eguarantee-fields.json`, {n} field entries of "
        f"{len(model.platforms)} published platform specs), the map "
        "`docs/coverage/eguarantee-reference-map.yaml` and the spec "
        f"`{spec.id}` {' and '.join(versions)}. Do not edit by hand: edit the map and run "
        "`.venv/bin/python -P scripts/eguarantee_coverage.py` (`--check` tells whether this file "
        "is current). Below the versions table, every section describes "
        f"{spec.version}. The core requirements derived from the same map are in "
        "docs/eguarantee-core.md; what the earlier, hand-fed version of this page got wrong is in "
        "docs/coverage/README.md.",
        "",
        "Every field entry is counted once, in exactly one category:",
        "",
        "- **mapped**: an element of the dictionary carries its data (possibly in another lexical "
        "form or code table: the map says so in a `doubt`);",
        "- **gap**: business data the spec does not model (listed below with the reason);",
        "- **ENV**: transport envelope or security layer (signature, keys, encryption, nonce, "
        "reserved fields);",
        "- **ACK**: synchronous acknowledgement of a call;",
        "- **INV**: invoicing data of a version that has no invoicing message type for it.",
        "",
        "**Carriable** (a subset of mapped): the element is part of the message type the platform "
        "message corresponds to, so a conformant message of that type can carry the value. A field "
        "of a message the version has no type for (listed under \"Business steps the spec does "
        "not model\") is mapped but never carriable; so is a field whose message type excludes "
        "its element. An envelope field is carriable when every message type has its element.",
        "",
        *compared,
        f"## Summary per platform ({spec.version})",
        "",
        *_summary(model),
        "",
        "Business data = mapped + gap. *Outside the envelope* = entries of the platform's messages "
        "(not of its common envelope or header), the figure the issue quotes for Jiangxi (300).",
        "",
        "## Platform messages and the message types they correspond to",
        "",
        *_steps(model, others),
        "",
        "## Business steps the spec does not model",
        "",
        f"Platform messages with no message type in {spec.version} (their mapped fields are not "
        "carriable):",
        "",
        *_not_modelled(model),
        "",
        "## Gaps (business data the spec does not model)",
        "",
        *_gaps(model),
        "",
        "## Mapped, but the message type cannot carry it",
        "",
        "Fields of messages that do correspond to a message type, whose element that type does "
        "not have:",
        "",
        *_uncarried(model),
        "",
        "## Doubtful mappings",
        "",
        *_doubts(model),
        "",
        "## Elements and the real fields they carry",
        "",
        *table,
        "",
        "## Elements no corpus field maps to",
        "",
        "Our own modelling or taken from other sources (each element's `basis` says which):",
        "",
        *unused,
        "",
    ]
    return "\n".join(parts)


def default_specs() -> list[str]:
    """The version folders of the repository's e-guarantee spec, the current version first (the
    docs describe it; the others join the versions table, newest first). Read from the
    repository, not the installed package: the docs describe the spec as committed."""
    versions = family(str(DEFAULT_SPEC))
    current = current_version(versions)
    return [str(DEFAULT_SPEC / current)] + [str(DEFAULT_SPEC / v) for v in reversed(versions)
                                            if v != current]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Write docs/eguarantee-coverage.md and docs/eguarantee-core.md from the "
                    "reference corpus, the map and a spec version.")
    parser.add_argument("--spec", action="append", dest="specs",
                        help="spec id, id@version or version folder; the first is the version "
                             "the docs describe, every one given joins the versions table "
                             "(default: the repository's specs/eguarantee, its current "
                             "version first, then the others)")
    parser.add_argument("--map", type=Path, default=MAP, dest="map_path")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--coverage-out", type=Path, default=COVERAGE_DOC)
    parser.add_argument("--core-out", type=Path, default=CORE_DOC)
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a doc differs from what would be written")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    return parser


def _say(text: Text, lang: Lang) -> None:
    print(text.get(lang), file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the script; return its exit code (see the module docstring)."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code == 0 else 2
    lang: Lang = args.lang
    models = []
    try:
        names = args.specs or default_specs()
    except HeguiError as exc:
        _say(Text(f"无法加载规范 {DEFAULT_SPEC}：{exc}", f"cannot load spec {DEFAULT_SPEC}: {exc}"),
             lang)
        return 2
    for name in names:
        try:
            spec = load_spec(name)
        except HeguiError as exc:  # SpecNotFound, SpecError
            _say(Text(f"无法加载规范 {name}：{exc}", f"cannot load spec {name}: {exc}"), lang)
            return 2
        try:
            models.append(build_model(spec, args.corpus, args.map_path))
        except MapError as exc:
            n = len(exc.problems)
            _say(Text(f"映射对规范 {name} {spec.version} 有 {n} 个问题：",
                      f"the map has {n} problem(s) against spec {name} {spec.version}:"), lang)
            for problem in exc.problems:
                _say(problem, lang)
            return 2
    model = models[0]
    outputs = {args.coverage_out: render_coverage(model, models[1:]),
               args.core_out: render_core(model)}
    stale = []
    for path, text in outputs.items():
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        if args.check:
            stale.append(path)
        else:
            path.write_text(text, encoding="utf-8")
    for path in stale:
        _say(Text(f"{path} 不是最新的：运行 .venv/bin/python -P scripts/eguarantee_coverage.py",
                  f"{path} is not current: run .venv/bin/python -P scripts/eguarantee_coverage.py"),
             lang)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
