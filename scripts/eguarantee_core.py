"""Derive the core of each business step from the platforms' required marks.

Written into docs/eguarantee-core.md by scripts/eguarantee_coverage.py.

For a message type S, the platforms that exchange S are the platform families with a message the
map gives step S. An element is **core-required** at S when every one of those families requires
it there, **profile** when some do (they are named), **core-optional** when some carry it and none
requires it. A family requires an element when each of its messages for S has a field mapped to
it marked required (``Y``, and so is every parent field); fields of the family's envelope count
in each of its messages. ``C`` (conditional) is not required. Then every requirement of the
spec's own message types that is not core-required is listed: it rejects compliant traffic.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from eguarantee_reference import Block, CorpusField, Model

from hegui.validator.spec import MessageType, Spec

# What DOMAIN.md §4 quotes from national law about values these elements hold. The law bounds
# values; it does not say which message must carry them, so requiring them is inference.
LAW = {
    "guarantee.amount": "招标投标法实施条例 Art. 26: bid security ≤ 2% of the estimated price",
    "project.estimatedPrice": "招标投标法实施条例 Art. 26: the 2% cap is of the estimated price",
    "guarantee.validTo": "工程建设项目施工招标投标办法 Art. 37 (2013): validity equal to the "
                         "bid validity",
    "project.bidValidityDays": "工程建设项目施工招标投标办法 Art. 37 (2013): validity equal to "
                               "the bid validity",
}
ORDER = {"core-required": 0, "profile": 1, "core-optional": 2}


@dataclass(frozen=True)
class Derived:
    """One element at one step: who carries it, who requires it, and the resulting class."""

    element: str
    families: tuple[str, ...]  # the families that exchange the step
    carriers: tuple[str, ...]
    requirers: tuple[str, ...]

    @property
    def classification(self) -> str:
        """core-required, profile or core-optional."""
        if self.requirers and len(self.requirers) == len(self.families):
            return "core-required"
        return "profile" if self.requirers else "core-optional"


def _family_blocks(model: Model, step: str) -> dict[str, list[Block]]:
    out: dict[str, list[Block]] = defaultdict(list)
    for block in model.blocks:
        if block.step == step:
            out[model.platforms[block.platform].family].append(block)
    return out


def _fields_of(model: Model, block: Block) -> list[CorpusField]:
    envelope = {(b.platform, b.message) for b in model.blocks
                if b.step == "envelope" and b.platform == block.platform}
    return [f for f in model.fields
            if (f.platform, f.message) == (block.platform, block.message)
            or (f.platform, f.message) in envelope]


def derive(model: Model, step: str) -> list[Derived]:
    """Every element some family carries at ``step``, classified."""
    by_family = _family_blocks(model, step)
    families = tuple(sorted(by_family))
    carried: dict[str, set[str]] = defaultdict(set)
    required: dict[str, set[str]] = defaultdict(set)
    for family, blocks in by_family.items():
        per_block: list[set[str]] = []
        for block in blocks:
            req: set[str] = set()
            for f in _fields_of(model, block):
                e = model.entry(f)
                if e.category != "mapped" or e.element is None:
                    continue
                carried[e.element].add(family)
                if model.effectively_required(f):
                    req.add(e.element)
            per_block.append(req)
        for element in set.intersection(*per_block) if per_block else set():
            required[element].add(family)
    out = [Derived(el, families, tuple(sorted(carried[el])), tuple(sorted(required[el])))
           for el in carried]
    return sorted(out, key=lambda d: (ORDER[d.classification], d.element))


def spec_use(spec: Spec, mt: MessageType) -> dict[str, str]:
    """For each element path of ``mt``: ``required``, ``required if <parent> present``,
    ``optional`` or ``conditional``, as the spec's message type says."""
    out: dict[str, str] = {}
    for path, f in mt.fields.items():
        section = mt.section(f.in_section)
        optional_above = [] if section is None or section.use == "required" else [section.name]
        parts = path.split(".")
        for i in range(2, len(parts)):
            above = mt.fields.get(".".join(parts[:i]))
            if above is not None and above.use != "required":
                optional_above.append(above.path)
        if f.use != "required":
            out[path] = f.use
        elif optional_above:
            out[path] = f"required if {optional_above[-1]} present"
        else:
            out[path] = "required"
    for section in mt.sections:
        if not section.is_list:
            continue
        listed = section.use == "required" and section.min_items >= 1
        out[section.name] = f"required (at least {section.min_items})" if listed else "optional"
        _item_uses(spec, section.group, section.name, listed, section.overrides,
                   frozenset(section.exclude), out)
    for path, f in mt.fields.items():  # lists inside groups (their items are no fields)
        of = f.element.facet("of")
        if f.element.datatype == "list" and isinstance(of, str):
            _item_uses(spec, of, path, out[path] == "required", {}, frozenset(), out)
    return out


def _item_uses(spec: Spec, group_id: str, path: str, listed: bool, overrides: Mapping[str, str],
               exclude: frozenset[str], out: dict[str, str]) -> None:
    """The uses of the items of the list at ``path`` (of group ``group_id``), nested lists of
    items included: ``required`` only when the list itself must have an item."""
    group = spec.groups.get(group_id)
    for element in group.elements if group else ():
        if element.name in exclude:
            continue
        use = overrides.get(element.name, element.use)
        item = f"{path}[].{element.name}"
        out[item] = ("required" if use == "required" and listed
                     else f"required if {path} present" if use == "required" else use)
        of = element.facet("of")
        if element.datatype == "list" and isinstance(of, str):
            _item_uses(spec, of, item, listed and use == "required", {}, frozenset(), out)


def _names(families: tuple[str, ...]) -> str:
    return ", ".join(families) if families else "none"


def _step_section(model: Model, mt: MessageType) -> tuple[list[str], list[str], dict[str, int]]:
    derived = derive(model, mt.id)
    uses = spec_use(model.spec, mt)
    families = derived[0].families if derived else tuple(sorted(_family_blocks(model, mt.id)))
    n = len(families)
    lines = [f"### `{mt.id}` ({mt.label.en})", ""]
    if not families:
        lines += ["No platform message of the corpus corresponds to this message type: nothing "
                  "to derive; every requirement of it rests on the spec's own modelling.", ""]
    else:
        weak = " (one family only: weak evidence)" if n == 1 else ""
        lines += [f"Exchanged by {n} of the families: {_names(families)}{weak}.", "",
                  "| element | carried by | required by | class | law | spec's use |",
                  "|---|---:|---|---|---|---|"]
        for d in derived:
            who = str(len(d.requirers))
            if d.classification == "profile":
                who += f": {_names(d.requirers)}"
            law = f"inferred: {LAW[d.element]}" if d.element in LAW else ""
            use = uses.get(d.element, "not in the type")
            lines.append(f"| `{d.element}` | {len(d.carriers)} of {n} | {who} | "
                         f"**{d.classification}** | {law} | {use} |")
        lines.append("")
    by_element = {d.element: d for d in derived}
    rejects = []
    demanded = [(path, use) for path, use in uses.items() if use.startswith("required")]
    if not families and demanded:
        rejects.append(f"- `{mt.id}`: no platform exchanges this step, so none of its "
                       f"{len(demanded)} requirements is core-required: "
                       + ", ".join(f"`{path}`" for path, _ in demanded))
        demanded = []
    for path, use in demanded:
        found = by_element.get(path)
        if found is not None and found.classification == "core-required":
            continue
        if found is None:
            why = "carried by no platform at this step"
            rejects.append(f"- `{mt.id}` `{path}` ({use}): {why}")
            continue
        d = found
        if d.classification == "profile":
            why = (f"profile: required by {_names(d.requirers)} only, "
                   f"carried by {len(d.carriers)} of {n}")
        else:
            why = f"core-optional: carried by {len(d.carriers)} of {n}, required by none"
        rejects.append(f"- `{mt.id}` `{path}` ({use}): {why}")
    classes = [d.classification for d in derived]
    figures = {"families": n, "core-required": classes.count("core-required"),
               "profile": classes.count("profile"), "core-optional": classes.count("core-optional"),
               "rejects": sum(u.startswith("required") for u in uses.values())
               if not families else len(rejects)}
    return lines, rejects, figures


def looser(model: Model, mt: MessageType) -> tuple[tuple[str, ...], list[str]]:
    """The elements the derivation makes core-required at ``mt`` that the spec's message type
    does not require (with the spec's use), and the families that require them: where the
    version's core is looser than the derivation (a single family's demands kept out of the
    core, or a requirement left to the profiles)."""
    derived = [d for d in derive(model, mt.id) if d.classification == "core-required"]
    uses = spec_use(model.spec, mt)
    out = []
    for d in derived:
        use = uses.get(d.element, "not in the type")
        if not use.startswith("required") or " if " in use:
            out.append(f"`{d.element}` ({use})")
    return (derived[0].families if derived else ()), out


def render_core(model: Model) -> str:
    """The text of docs/eguarantee-core.md for ``model``."""
    spec = model.spec
    families: dict[str, list[str]] = defaultdict(list)
    for p in model.platforms.values():
        families[p.family].append(p.name)
    sections: list[str] = []
    rejects: list[str] = []
    loose: list[str] = []
    summary = ["| message type | families exchanging it | core-required | profile | core-optional"
               f" | {spec.version} requirements not core-required | core-required, not required "
               f"by {spec.version} |",
               "|---|---:|---:|---:|---:|---:|---:|"]
    for mt in spec.message_types.values():
        lines, found, fig = _step_section(model, mt)
        sections += lines
        rejects += found
        by, kept_out = looser(model, mt)
        if kept_out:
            weak = " (one family only)" if len(by) == 1 else ""
            loose.append(f"- `{mt.id}`, required by {_names(by)}{weak}: " + ", ".join(kept_out))
        summary.append(f"| `{mt.id}` | {fig['families']} | {fig['core-required']} | "
                       f"{fig['profile']} | {fig['core-optional']} | {fig['rejects']} | "
                       f"{len(kept_out)} |")
    parts = [
        "# E-guarantee core: what every studied platform requires, per business step "
        f"({spec.id} {spec.version})",
        "",
        "Generated by `scripts/eguarantee_coverage.py` (the derivation is "
        "`scripts/eguarantee_core.py`) "
        "from the map `docs/coverage/eguarantee-reference-map.yaml` and the corpus's `required` "
        "marks. "
        "Do not edit by hand.",
        "",
        "## How the core is derived",
        "",
        "- The unit is the platform **family** (the two Epoint versions are one vendor's spec, so "
        "one "
        "family): " + "; ".join(f"{fam} = {', '.join(names)}" for fam, names in families.items())
        + ".",
        "- A family **exchanges** a business step when one of its messages corresponds to that "
        "message "
        "type (the map's `step`; acknowledgements and envelopes are no step of their own).",
        "- A family **carries** an element at a step when a field of one of those messages maps "
        "to it; it "
        "**requires** it when EACH of those messages has such a field marked required (`Y`, with "
        "every "
        "parent field `Y`: an item field of an optional list is not required). Fields of the "
        "family's "
        "common envelope or header count in each of its messages. `C` (required only under a "
        "condition) and blank marks are not required. Mappings marked doubtful count as mapped.",
        "- **core-required**: required by every family that exchanges the step. **profile**: "
        "required by "
        "some of them only (named: their profile layer is where the demand belongs). "
        "**core-optional**: "
        "carried, required by none.",
        "- **National law**: DOMAIN.md quotes no law that names the contents of a message. Where "
        "it quotes "
        "a law bounding a value (招标投标法实施条例 Art. 26, the 2% cap; "
        "工程建设项目施工招标投标办法 Art. 37 "
        "as amended in 2013, validity equal to the bid validity), the element is marked "
        "`inferred` in the "
        "law column: checking the law needs the value, but requiring it in a given message is our "
        "inference and does not change the class.",
        "- A step exchanged by one family only gives weak evidence: its core is that family's "
        "demands.",
        "",
        "## Summary",
        "",
        *summary,
        "",
        f"## {spec.version} requirements that are not core-required",
        "",
        "Each of these makes the spec reject traffic that complies with some studied platform's "
        "own "
        "spec (`required if X present` = required whenever its optional parent is given):",
        "",
        *rejects,
        "",
        f"## Core-required by the derivation, not required by {spec.version}",
        "",
        "Where the version's core asks less than the derivation: a step exchanged by one family "
        "only is weak evidence, so the version keeps that family's demands out of its core (the "
        "sender and what identifies the message's subject aside) and they belong to the "
        "family's profile; elsewhere the version leaves the requirement to the profiles "
        "(`required if X present` counts as not required):",
        "",
        *(loose or ["- none"]),
        "",
        "## Per business step",
        "",
        *sections,
    ]
    return "\n".join(parts)
