"""Measure how the platform profiles cover the real fields of their platforms, and write the doc.

Reads the platform profiles (every folder of the repository's ``specs/eguarantee/platforms``,
unless ``--profile`` names others), the reference corpus
(``docs/coverage/real-eguarantee-fields.json``, a verbatim copy of the shared reference's 992
field objects) and the map ``docs/coverage/eguarantee-reference-map.yaml`` (read for the spec
version each profile maps onto), and writes ``docs/platform-coverage.md``: per profile, every
corpus field of its platform counted once as **mapped** (the profile maps its native path to a
canonical target), **dropped** (the profile drops it, with a reason) or **unmapped** (its
message is not modelled, or the path is not among its message's fields), the unmapped fields
with the map's reason, and the fields a profile maps that the corpus does not list::

    .venv/bin/python -P scripts/platform_coverage.py           # rewrite the doc
    .venv/bin/python -P scripts/platform_coverage.py --check   # CI: is the doc current?

Nothing here is particular to one platform: a profile's corpus fields are those whose
``platform`` starts with its ``source.corpus`` (where two profiles share that prefix, the one
whose ``source.version`` is written in the platform text), a corpus message is modelled by the
profile's messages and envelopes whose ``corpus`` names it, and corpus paths are compared with
native paths by one rule (:func:`corpus_candidates`, :func:`native_key`).

Exit codes: 0 the doc was written (or, with ``--check``, is current); 1 ``--check`` and the doc
differs from what would be written; 2 a usage error, or a profile, the corpus or the map cannot
be used (every problem is listed, in Chinese by default, ``--lang en`` for English).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eguarantee_reference import Entry, MapError, Model, build_model

from hegui.validator.errors import HeguiError
from hegui.validator.loader import load_spec
from hegui.validator.platform_loader import load_platform
from hegui.validator.platform_model import FieldMap, Platform
from hegui.validator.spec import Lang, Text

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "docs" / "coverage" / "real-eguarantee-fields.json"
MAP = ROOT / "docs" / "coverage" / "eguarantee-reference-map.yaml"
DOC = ROOT / "docs" / "platform-coverage.md"
PLATFORMS = ROOT / "specs" / "eguarantee" / "platforms"
STATUSES = ("mapped", "dropped", "unmapped")
#: The map's categories of what is not business data, as the doc names them.
_CATEGORY = {"ENV": "ENV (envelope or security layer)", "ACK": "ACK (acknowledgement of a call)",
             "INV": "INV (invoicing the version does not model)"}
_QUALIFIER = re.compile(r"\([^()]*\)$")  # `(outer message)`, the `(decrypted)` of `applydata(…)`


class CoverageError(Exception):
    """A profile, the corpus or the map cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: list[Text]) -> None:
        super().__init__("; ".join(p.en for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Unit:
    """A profile's message or envelope that models a corpus message."""

    name: str
    kind: str  # "message" or "envelope"
    message_type: str | None  # for a message
    fields: Mapping[str, FieldMap]
    #: Body members that frame this unit's paths: an envelope's own body; for a message, the
    #: body of the envelope it travels in (its native paths are relative to that body).
    bodies: frozenset[str]
    #: For an envelope: leading members that only group other members (``headers`` of
    #: ``headers.appkey``) and are no field of their own.
    groups: frozenset[str]
    #: For a batch message (``each``): the native list whose items are the messages (it is
    #: read as the batch, not mapped itself).
    batch: str | None = None

    @property
    def label(self) -> str:
        """``/lg/apply` → `apply``, or ``envelope `answer```."""
        if self.kind == "envelope":
            return f"envelope `{self.name}`"
        return f"`{self.name}` → `{self.message_type}`"


@dataclass(frozen=True)
class Counted:
    """One corpus field and what the profile does with it."""

    message: str  # its corpus message
    path: str  # its corpus path (`path`, else `field`)
    status: str  # one of STATUSES
    native: str | None  # the native path (or envelope body) it matched
    unit: Unit | None
    fieldmap: FieldMap | None
    entry: Entry  # the map's entry (for the profile's spec version)
    body: bool = False  # the body member of an envelope (counted as mapped)

    @property
    def business(self) -> bool:
        """Business data by the map: mapped onto an element, or a gap (not ENV, ACK, INV)."""
        return self.entry.category in ("mapped", "gap")


@dataclass(frozen=True)
class Coverage:
    """One profile measured against the corpus fields of its platform."""

    platform: Platform
    fields: tuple[Counted, ...]
    units: Mapping[str, tuple[Unit, ...]]  # corpus message -> the units modelling it
    #: (unit label, native path, its mapping) of the fields no corpus field matches.
    extra: tuple[tuple[str, str, FieldMap], ...]
    #: (unit label, corpus message) of the profile's messages and envelopes whose corpus
    #: message is none of the platform's.
    strays: tuple[tuple[str, str], ...]

    def count(self, status: str, fields: Sequence[Counted] | None = None) -> int:
        """How many of ``fields`` (default: all) have ``status``."""
        return sum(f.status == status for f in (self.fields if fields is None else fields))

    def messages(self) -> list[str]:
        """The corpus messages in corpus order."""
        return list(dict.fromkeys(f.message for f in self.fields))


# --- matching corpus paths to native paths -------------------------------------------------

def _segments(path: str) -> list[str]:
    return path.split(".")


def corpus_candidates(path: str, bodies: frozenset[str]) -> list[str]:
    """The native paths a corpus path may stand for, most literal first. The same rule for
    every profile: (1) a leading parenthesised qualifier goes, a segment that is only one
    (``(outer message).sign`` -> ``sign``) or one after a name (``applydata(decrypted).x`` ->
    ``applydata.x``); (2) a leading body member of an envelope framing the message goes too
    (``applydata.x`` -> ``x``, ``data.payurl`` -> ``payurl``): a profile's message paths are
    relative to the body."""
    parts = _segments(path)
    first = parts[0]
    if _QUALIFIER.fullmatch(first) and len(parts) > 1:
        parts = parts[1:]
    else:
        parts[0] = _QUALIFIER.sub("", first).strip() or first
    out = [".".join(parts)]
    if len(parts) > 1 and parts[0] in bodies:
        out.append(".".join(parts[1:]))
    return out


def native_key(path: str, unit: Unit) -> str:
    """A unit's native path as the corpus would write it: (3) an envelope's leading member
    that only groups others goes (``headers.appkey`` -> ``appkey``: the profile's
    ``{headers, body}`` convention for HTTP headers)."""
    parts = _segments(path)
    if len(parts) > 1 and parts[0] in unit.groups:
        return ".".join(parts[1:])
    return path


def same_path(corpus: str, native: str) -> bool:
    """Equal paths, where the corpus's ``[?]`` (a nesting its source does not state) stands for
    ``[]`` or for nothing (an object)."""
    if "[?]" not in corpus:
        return corpus == native
    pattern = "".join(r"(?:\[\])?" if part == "[?]" else re.escape(part)
                      for part in re.split(r"(\[\?\])", corpus))
    return re.fullmatch(pattern, native) is not None


def _status(fm: FieldMap) -> str:
    return "dropped" if fm.drop is not None else "mapped"


# --- reading ---------------------------------------------------------------------------------

def _units(platform: Platform) -> dict[str, list[Unit]]:
    """The profile's messages and envelopes by the corpus message they model."""
    out: dict[str, list[Unit]] = {}
    for name, env in platform.envelopes.items():
        if env.corpus is None:
            continue
        groups = {p.split(".", 1)[0] for p in env.fields if "." in p} - set(env.fields)
        out.setdefault(env.corpus, []).append(
            Unit(name, "envelope", None, env.fields, frozenset({env.body}), frozenset(groups)))
    for name, msg in platform.messages.items():
        carrier = platform.envelopes.get(msg.envelope) if msg.envelope else None
        bodies = frozenset({carrier.body}) if carrier is not None else frozenset()
        out.setdefault(msg.corpus or name, []).append(
            Unit(name, "message", msg.message_type, msg.fields, bodies, frozenset(),
                 msg.each.removesuffix("[]") if msg.each else None))
    return out


def _version_token(version: str) -> re.Pattern[str] | None:
    token = version.split()[0] if version.split() else ""
    return re.compile(rf"(?<![\w.]){re.escape(token)}(?![\w.])") if token else None


def assign(platforms: Sequence[Platform], texts: Sequence[str]) -> tuple[dict[str, str],
                                                                          list[Text]]:
    """Each corpus ``platform`` text -> the id of the profile it belongs to: the profiles whose
    ``source.corpus`` starts it; of several, the one whose ``source.version`` (its first word)
    the text names. Texts no profile claims are left out; a text two profiles claim is a
    problem."""
    out: dict[str, str] = {}
    problems: list[Text] = []
    for text in dict.fromkeys(texts):
        found = [p for p in platforms if text.startswith(p.source["corpus"])]
        if len(found) > 1:
            found = [p for p in found if (t := _version_token(p.source["version"])) is not None
                     and t.search(text)]
        if len(found) == 1:
            out[text] = found[0].id
        elif len(found) > 1 or any(text.startswith(p.source["corpus"]) for p in platforms):
            ids = ", ".join(p.id for p in platforms if text.startswith(p.source["corpus"]))
            problems.append(Text(f"语料平台“{text}”不能归到唯一一个平台配置（{ids}）",
                                 f"corpus platform {text!r} belongs to no single profile "
                                 f"({ids})"))
    return out, problems


def _map_code(model: Model, text: str) -> str:
    codes = [c for c, p in model.platforms.items() if p.match in text]
    return codes[0]  # build_model has checked that exactly one matches


def measure(platform: Platform, objects: Sequence[Mapping[str, Any]], model: Model) -> Coverage:
    """Count the corpus ``objects`` of ``platform``'s platform against the profile."""
    units = _units(platform)
    counted: list[Counted] = []
    matched: set[tuple[str, str]] = set()  # (unit name and kind, native path)
    for obj in objects:
        message = obj["message"]
        path = obj.get("path") or obj["field"]
        # the map is keyed by the corpus `path` (eguarantee_reference.read_corpus)
        entry = model.entries[(_map_code(model, obj["platform"]), message, obj["path"])]
        here = units.get(message, [])
        if not here:
            counted.append(Counted(message, path, "unmapped", None, None, None, entry))
            continue
        bodies = frozenset().union(*(u.bodies for u in here))
        candidates = corpus_candidates(path, bodies)
        hits = [(u, native, fm) for u in here for native, fm in u.fields.items()
                if any(same_path(c, native_key(native, u)) for c in candidates)]
        for u, native, _ in hits:
            matched.add((f"{u.kind} {u.name}", native))
        hits.sort(key=lambda h: STATUSES.index(_status(h[2])))  # mapped anywhere wins
        if hits:
            u, native, fm = hits[0]
            counted.append(Counted(message, path, _status(fm), native, u, fm, entry))
            continue
        envelope = next((u for u in here if u.kind == "envelope"
                         and candidates[0] in u.bodies), None)
        batch = next((u for u in here if u.batch is not None
                      and any(same_path(c, u.batch) for c in candidates)), None)
        if batch is not None:  # the batch list itself: read as the batch
            counted.append(Counted(message, path, "mapped", batch.batch, batch, None, entry,
                                   body=True))
        elif envelope is not None:
            counted.append(Counted(message, path, "mapped", candidates[0], envelope, None, entry,
                                   body=True))
        else:
            counted.append(Counted(message, path, "unmapped", None, None, None, entry))
    listed = {o["message"] for o in objects}
    extra = []
    strays = []
    for message, here in units.items():
        for u in here:
            if message not in listed:
                strays.append((u.label, message))
                continue
            texts = [n for n, fm in u.fields.items() if fm.container and fm.form == "json"]
            extra += [(u.label, native, fm) for native, fm in u.fields.items()
                      if (f"{u.kind} {u.name}", native) not in matched
                      # members inside JSON text: the corpus describes them in prose only
                      and not any(native.startswith(t + "[].") or native.startswith(t + ".")
                                  for t in texts)]
    return Coverage(platform, tuple(counted), {m: tuple(u) for m, u in units.items()},
                    tuple(extra), tuple(strays))


def load(profiles: Sequence[str], corpus: Path, map_path: Path) -> list[Coverage]:
    """Load the profiles, the corpus and the map (once per spec version) and measure each
    profile; raise CoverageError listing every problem."""
    problems: list[Text] = []
    platforms: list[Platform] = []
    for name in profiles:
        try:
            platforms.append(load_platform(name))
        except HeguiError as exc:  # SpecError, UsageError
            problems.append(Text(f"无法加载平台配置 {name}：{exc}",
                                 f"cannot load platform profile {name}: {exc}"))
    try:
        objects = json.loads(corpus.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        problems.append(Text(f"无法读取参考语料 {corpus}：{exc}",
                             f"cannot read the reference corpus {corpus}: {exc}"))
        objects = []
    if problems:
        raise CoverageError(problems)
    owner, found = assign(platforms, [o["platform"] for o in objects])
    problems += found
    models: dict[str, Model] = {}
    for p in platforms:
        if p.spec in models:
            continue
        try:
            models[p.spec] = build_model(load_spec(p.spec), corpus, map_path)
        except HeguiError as exc:
            problems.append(Text(f"无法加载规范 {p.spec}：{exc}",
                                 f"cannot load spec {p.spec}: {exc}"))
        except MapError as exc:
            problems += exc.problems
    for p in platforms:
        if p.id not in owner.values():
            problems.append(Text(f"{p.id}：source.corpus “{p.source['corpus']}” "
                                 "不匹配语料中的任何字段",
                                 f"{p.id}: source.corpus {p.source['corpus']!r} matches no "
                                 "field of the corpus"))
    if problems:
        raise CoverageError(problems)
    return [measure(p, [o for o in objects if owner.get(o["platform"]) == p.id], models[p.spec])
            for p in platforms]


# --- writing ---------------------------------------------------------------------------------

def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


def _figures(cov: Coverage) -> dict[str, int]:
    business = [f for f in cov.fields if f.business]
    return {"fields": len(cov.fields), **{s: cov.count(s) for s in STATUSES},
            "business": len(business), "business_mapped": cov.count("mapped", business)}


def _summary(coverages: Sequence[Coverage]) -> list[str]:
    lines = ["| profile | corpus fields | mapped | dropped | unmapped | business fields | "
             "mapped of those | share mapped of business fields |",
             "|---|" + "---:|" * 7]
    for cov in coverages:
        f = _figures(cov)
        lines.append(f"| [{cov.platform.id}](#{cov.platform.id.replace('.', '')}) | "
                     f"{f['fields']} | {f['mapped']} | {f['dropped']} | {f['unmapped']} | "
                     f"{f['business']} | {f['business_mapped']} | "
                     f"{_share(f['business_mapped'], f['business'])} |")
    return lines


def _messages_table(cov: Coverage) -> list[str]:
    lines = ["| corpus message | modelled by | fields | mapped | dropped | unmapped |",
             "|---|---|---:|---:|---:|---:|"]
    for message in cov.messages():
        fields = [f for f in cov.fields if f.message == message]
        units = cov.units.get(message, ())
        by = ", ".join(u.label for u in units) or "not modelled"
        lines.append(f"| `{message}` | {by} | {len(fields)} | "
                     + " | ".join(str(cov.count(s, fields)) for s in STATUSES) + " |")
    return lines


def _names(message: str) -> list[str]:
    """The forms a note may name a corpus message by: as written; without a trailing
    ``(…)`` or ``[…]``; its last ``/`` segment; the value of a ``key=value`` name."""
    base = re.sub(r"\s*(\([^()]*\)|\[[^\[\]]*\])\s*$", "", message)
    base = re.sub(r"\s*(\([^()]*\)|\[[^\[\]]*\])\s*$", "", base)
    forms = [message, base, base.rsplit("/", 1)[-1], base.split("=", 1)[-1]]
    return [f for f in dict.fromkeys(forms) if f]


def _notes_naming(cov: Coverage, message: str) -> tuple[list[int], list[str]]:
    """The numbers (1-based) of the profile's notes that name ``message``, and the names
    they use."""
    numbers: list[int] = []
    used: list[str] = []
    for i, note in enumerate(cov.platform.notes, 1):
        text = f"{note.zh}\n{note.en}"
        found = [n for n in _names(message)
                 if re.search(rf"(?<![\w/=]){re.escape(n)}(?![\w/])", text)]
        if found:
            numbers.append(i)
            used += [n for n in found[:1] if n not in used]
    return numbers, used


def _reason(f: Counted) -> str:
    e = f.entry
    if e.category in _CATEGORY:
        return _CATEGORY[e.category]
    if e.category == "gap":
        return f"gap: {e.reason}"
    return f"the map carries it as `{e.element}`"


def _block(f: Counted) -> str:
    b = f.entry.block
    if b.step == "none":
        return f"the map: step none, {b.reason}"
    if b.step == "ack":
        return "the map: step ack, an acknowledgement of a call"
    return f"the map: step `{b.step}`"


def _by_reason(fields: Sequence[Counted]) -> str:
    """``the map carries `appkey` → `header.senderCode`; ACK …: `code`, `msg``` (reasons in
    the order they first occur)."""
    groups: dict[str, list[str]] = {}
    for f in fields:
        if f.entry.category == "mapped":
            groups.setdefault("the map carries", []).append(f"`{f.path}` → `{f.entry.element}`")
        else:
            groups.setdefault(_reason(f), []).append(f"`{f.path}`")
    return "; ".join(f"{reason}: {', '.join(paths)}" if reason != "the map carries"
                     else f"{reason} {', '.join(paths)}" for reason, paths in groups.items())


def _unmapped(cov: Coverage) -> list[str]:
    lines = []
    for message in cov.messages():
        fields = [f for f in cov.fields if f.message == message and f.status == "unmapped"]
        if not fields:
            continue
        units = cov.units.get(message, ())
        head = ("not modelled" if not units else
                "modelled by " + ", ".join(u.label for u in units) + ", these paths not")
        notes, names = _notes_naming(cov, message)
        cites = (f"; the profile's note{'s' if len(notes) > 1 else ''} "
                 f"{', '.join(map(str, notes))} name{'' if len(notes) > 1 else 's'} "
                 + " or ".join(f"`{n}`" for n in names) if notes else "")
        lines.append(f"- `{message}` — {head} ({_block(fields[0])}{cites}). "
                     f"{_by_reason(fields)}")
    return lines or ["None."]


def _departures(cov: Coverage) -> list[str]:
    """Fields the profile reads otherwise than the map (for its spec version)."""
    lines = []
    for f in cov.fields:
        e, fm = f.entry, f.fieldmap
        if fm is None or f.unit is None:
            continue
        where = f"`{f.message}` `{f.path}`"
        if f.status == "dropped" and e.category == "mapped" and fm.drop is not None:
            lines.append(f"- {where}: the map carries it as `{e.element}`; the profile drops it: "
                         f"{fm.drop.en}")
        elif f.status == "mapped" and e.category == "mapped" and e.element not in fm.targets:
            lines.append(f"- {where}: the map carries it as `{e.element}`; the profile maps it "
                         "to " + ", ".join(f"`{t}`" for t in fm.targets))
        elif f.status == "mapped" and e.category != "mapped":
            lines.append(f"- {where}: the map reads it as {_reason(f)}; the profile maps it to "
                         + ", ".join(f"`{t}`" for t in fm.targets))
    return lines or ["None."]


def _extra(cov: Coverage) -> list[str]:
    lines = [f"- {label} `{native}` ({'dropped' if fm.drop is not None else 'mapped'}): "
             "not in the corpus" for label, native, fm in cov.extra]
    lines += [f"- {label}: its corpus message `{message}` is not in the corpus"
              for label, message in cov.strays]
    return lines or ["None."]


def _profile(cov: Coverage) -> list[str]:
    p = cov.platform
    f = _figures(cov)
    bodies = [x for x in cov.fields if x.body]
    body_text = (" The body member of an envelope (" + ", ".join(
        f"`{x.path}` of `{x.message}`" for x in bodies) + ") counts as mapped: the profile "
        "reads the business message there." if bodies else "")
    notes = [f"{i}. {n.en}" for i, n in enumerate(p.notes, 1)]
    return [
        f"## {p.id}", "",
        f"{p.title.en} ({p.title.zh}); spec `{p.spec}`, source `{p.source['document']}` "
        f"{p.source['version']}; corpus fields: `platform` starting with "
        f"`{p.source['corpus']}`. {f['fields']} corpus fields: {f['mapped']} mapped, "
        f"{f['dropped']} dropped, {f['unmapped']} unmapped.{body_text}", "",
        "### Corpus messages", "",
        *_messages_table(cov), "",
        "### Unmapped fields", "",
        "Per corpus message, the map's reading of the message and of its fields (for the "
        "profile's spec version: the map's `by_version` entry where it has one) and the "
        "profile's notes (below) that name the message:", "",
        *_unmapped(cov), "",
        "### Read otherwise than the map", "",
        "Corpus fields the map carries on an element that the profile drops, maps elsewhere, "
        "or maps although the map does not carry them:", "",
        *_departures(cov), "",
        "### Not in the corpus", "",
        "Native paths of the profile's messages and envelopes that no corpus field of their "
        "corpus message matches (a typo, or a field the corpus does not list):", "",
        *_extra(cov), "",
        *(["### The profile's notes", "", *notes, ""] if notes else []),
    ]


def render(coverages: Sequence[Coverage]) -> str:
    """The text of docs/platform-coverage.md."""
    total = sum(len(c.fields) for c in coverages)
    parts = [
        "# Platform profiles: coverage of the real platforms' fields", "",
        "Generated by `scripts/platform_coverage.py` from the platform profiles "
        f"(`specs/eguarantee/platforms/`, {len(coverages)} profiles), the reference corpus "
        f"(`docs/coverage/real-eguarantee-fields.json`, {total} of its field entries belong to "
        "these profiles' platforms) and the map `docs/coverage/eguarantee-reference-map.yaml` "
        "(read for the spec version each profile maps onto). Do not edit by hand: edit the "
        "profiles and run `.venv/bin/python -P scripts/platform_coverage.py` (`--check` tells "
        "whether this file is current). The spec's own coverage of the same corpus, by the map, "
        "is docs/eguarantee-coverage.md; the profile format is docs/platform-profiles.md.", "",
        "A profile's corpus fields are those whose `platform` starts with its `source.corpus` "
        "(where two profiles share that prefix, the one whose `source.version` the platform text "
        "names). A corpus message is modelled by the profile's messages and envelopes whose "
        "`corpus` (for a message, by default its name) is that message. Every corpus field is "
        "counted once:", "",
        "- **mapped**: the profile's message or envelope for its corpus message maps its path to "
        "a canonical target (or it is the envelope's body member, which holds the business "
        "message);",
        "- **dropped**: the profile names it with `drop` and a reason (a signature, a nonce, data "
        "the spec does not model);",
        "- **unmapped**: its message is not modelled, or the path is not among the fields of the "
        "profile's message for it.", "",
        "Corpus paths are compared with native paths by one rule for every profile: a leading "
        "parenthesised qualifier is removed (`(outer message).sign` → `sign`, "
        "`applydata(decrypted).biddername` → `applydata.biddername`); a leading segment that is "
        "the body member of an envelope the message travels in is removed "
        "(`applydata.biddername` → `biddername`, `data.payurl` → `payurl`: message paths are "
        "relative to the body); on the profile's side, an envelope's leading member that only "
        "groups others is removed (`headers.appkey` → `appkey`, the `{headers, body}` "
        "convention for HTTP headers); the corpus's `[?]` (a nesting its source does not "
        "state) matches `[]` or nothing.", "",
        "## Summary", "",
        *_summary(coverages), "",
        "*Business fields* are the corpus fields the map records as business data (mapped onto "
        "an element, or a gap), not as envelope or security layer (ENV), acknowledgement (ACK) "
        "or invoicing (INV); *share mapped* = the profile's mapped among them.", "",
    ]
    for cov in coverages:
        parts += _profile(cov)
    return "\n".join(parts).rstrip("\n") + "\n"


# --- the command -----------------------------------------------------------------------------

def default_profiles() -> list[str]:
    """The profile folders of the repository's ``specs/eguarantee/platforms``, sorted by name.
    Read from the repository, not the installed package: the doc describes the profiles as
    committed."""
    return [str(p) for p in sorted(PLATFORMS.iterdir())
            if p.is_dir() and (p / "platform.yaml").is_file()]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Write docs/platform-coverage.md from the platform profiles, the reference "
                    "corpus and the map.")
    parser.add_argument("--profile", action="append", dest="profiles",
                        help="a platform profile id or folder (repeatable; default: every "
                             "folder of specs/eguarantee/platforms)")
    parser.add_argument("--map", type=Path, default=MAP, dest="map_path")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--out", type=Path, default=DOC)
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if the doc differs from what would be written")
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
    try:
        coverages = load(args.profiles or default_profiles(), args.corpus, args.map_path)
    except CoverageError as exc:
        n = len(exc.problems)
        _say(Text(f"无法生成平台覆盖文档，{n} 个问题：",
                  f"cannot write the platform coverage doc, {n} problem(s):"), lang)
        for problem in exc.problems:
            _say(problem, lang)
        return 2
    text = render(coverages)
    path: Path = args.out
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    if current == text:
        return 0
    if args.check:
        _say(Text(f"{path} 不是最新的：运行 .venv/bin/python -P scripts/platform_coverage.py",
                  f"{path} is not current: run .venv/bin/python -P scripts/platform_coverage.py"),
             lang)
        return 1
    path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
