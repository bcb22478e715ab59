"""Write the e-guarantee profile layers from the reference corpus (docs/spec-format.md, Profiles).

For each platform family of the map (docs/coverage/eguarantee-reference-map.yaml) this writes
``specs/eguarantee/<version>/profiles/<family>.yaml``:

- ``messageTypes.<type>.require``: what the family requires at that business step beyond the
  core, with the same derivation as docs/eguarantee-core.md (``scripts/eguarantee_core.py``: an
  element is required by a family when EACH of its messages for the step has a field mapped to
  it marked ``Y``, every parent ``Y``); plus list-item fields that each of its messages marks
  ``Y`` inside an optional list (``attachments[].url``: required in every item it sends). A
  platform field the map places on a list item but sends on its own (Quanzhou ``orderurl``)
  also requires the list. Elements the type cannot carry are listed in a comment, not required.
- ``elements``: the maximum lengths the family states (``C..64``, ``string(50)``, ``C11``) where
  they are narrower than the core's, and the hand-kept tightenings of :data:`TIGHTEN` (each with
  its basis), e.g. Jiangxi's character rule for guarantee numbers.

Profile rules stay in ``rules.yaml`` with ``scope: [<family>]``; each file lists them in a
comment. Run from the repository root::

    .venv/bin/python -P scripts/derive_profiles.py              # write the five files
    .venv/bin/python -P scripts/derive_profiles.py --check      # exit 1 if a file differs
    .venv/bin/python -P scripts/derive_profiles.py --lengths    # print the length table

Exit codes: 0 written (or current), 1 ``--check`` found a difference, 2 the map, corpus or spec
cannot be used.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eguarantee_core import derive
from eguarantee_reference import CorpusField, MapError, Model, build_model, message_paths

from hegui.validator.errors import HeguiError
from hegui.validator.loader import load_spec
from hegui.validator.spec import Element, Spec

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "docs" / "coverage" / "real-eguarantee-fields.json"
MAP = ROOT / "docs" / "coverage" / "eguarantee-reference-map.yaml"
SPEC = ROOT / "specs" / "eguarantee" / "1.1"
SOURCE = "github:HardyDou/mango@5745b912cf11591a552e52b56fa9763d450fcd28"

#: family (the map's name) -> profile id, title, and the basis the corpus's ``source`` gives.
FAMILIES: dict[str, tuple[str, str, str, str]] = {
    "Jiangxi": (
        "jiangxi", "江西省公共资源交易平台金融服务子系统",
        "Jiangxi public-resource-trading platform, financial-services subsystem",
        "江西省公共资源交易平台金融服务子系统金融机构侧接入指引（投标保函）v2.3.0 (2025-03-13); "
        f"corpus source {SOURCE}:docs/01_上游交易系统对接/【交易集团】江西省公共资源交易平台"
        "金融服务子系统金融机构侧接入指引（投标保函）v2.3.0_20250313.md"),
    "Epoint": (
        "epoint", "国泰新点 数据服务支撑平台", "Epoint data-service platform",
        "国泰新点(Epoint) 数据服务支撑平台 电子保函对接规范 V4.0 (2024-03-20) and V2.0.4 "
        f"(2024-03-14), one vendor's two versions (a demand is this profile's when both versions "
        f"make it); corpus sources {SOURCE}:docs/01_上游交易系统对接/接口规范.md (V4.0) and "
        "docs/02_电子保函平台说明/电子保函平台对接规范2.0.md (V2.0.4)"),
    "XIB": (
        "xib", "澳门国际银行 电子保函综合服务平台（交易中心版）",
        "Macau International Bank (XIB) e-guarantee platform, trading-centre edition",
        "澳门国际银行 电子保函综合服务平台（交易中心版）LIB 非融资性分离式投标保函接入手册 V1.0 "
        f"(rev. 20241025); corpus source {SOURCE}:docs/03_下游出函机构/澳门国际银行电子保函综合服务"
        "平台（交易中心版）-LIB非融资性分离式投标保函接入手册 (1).md"),
    "Quanzhou": (
        "quanzhou", "泉州电子保函平台", "Quanzhou e-guarantee platform",
        "泉州电子保函平台 金融机构接入规范 (file name says v1.3, revision table V1.0 2025-06-15); "
        f"corpus source {SOURCE}:docs/01_上游交易系统对接/泉州-金融机构-v1.3泉州市电子保函"
        "平台接入规.md"),
    "Manyan": (
        "manyan", "深圳蔓延科技 保函项目对接接口", "Shenzhen Manyan guarantee interface",
        "深圳蔓延科技 保函项目对接接口规范（见费模式）V1.0 (2021-07-21); corpus source "
        f"{SOURCE}:docs/01_上游交易系统对接/蔓延-标准接口规范_见费模式_V1.0.md"),
}

#: Tightenings the lengths of the corpus do not give: profile id -> element -> (facets, basis).
TIGHTEN: dict[str, dict[str, tuple[dict[str, object], str]]] = {
    "jiangxi": {
        "guarantee.guaranteeNo": (
            {"pattern": "[A-Za-z0-9_]+"},
            "/jrapi/lg/lgResultPush elogNo: 仅允许包含英文字母、数字、下划线，"
            "不允许包含中文及特殊符号"),
        "bidder.agentPhone": (
            {"pattern": "1[3-9][0-9]{9}"},
            "/lg/apply applicantTel (C11, 经办人联系电话): eleven characters; reading them as a "
            "mainland mobile number (1, then 3-9, then nine digits) is hegui's inference"),
        "attachment.type": (
            {"codes": ["TENDER_NOTICE", "TRANSFER_NOTICE", "CORRECTION_NOTICE", "AWARD_NOTICE",
                       "TRANSFER_RESULT_NOTICE", "TENDER_DOCUMENTS", "BUSINESS_LICENCE",
                       "LEGAL_REP_ID_BACK", "LEGAL_REP_ID_FRONT", "AGENT_ID_BACK",
                       "AGENT_ID_FRONT", "CREDIT_AGREEMENT", "GUARANTEE_AGREEMENT",
                       "TRANSMISSION_AGREEMENT", "QUALIFICATION_CERTIFICATE",
                       "REFUND_APPLICATION", "ISSUANCE_CONTRACT", "EXTENSION_APPLICATION",
                       "GUARANTEE_APPLICATION", "ENTRUSTED_GUARANTEE_AGREEMENT",
                       "ACCOUNT_OPENING_PERMIT", "POWER_OF_ATTORNEY", "GUARANTEE_FORMAT_FILE",
                       "CLAIM_APPLICATION", "PROOF_OF_DEFAULT", "COMPENSATION_REVIEW_FORM",
                       "AGENT_AUTHORISATION", "OTHER"]},
            "appendix 4.3 附件类型汇总: the 28 types of Jiangxi's table (codelists.yaml "
            "attachmentType gives each raw code)"),
    },
    "xib": {
        "attachment.md5": (
            {"pattern": "[0-9A-F]{32}"},
            "2.1 DlgOrderApply fileList[].md5Value: 文件大写MD5码 (upper case)"),
        "attachment.type": (
            {"codes": ["BUSINESS_LICENCE", "LEGAL_REP_ID_PROOF", "TENDER_DOCUMENTS",
                       "POLICY_ORIGINAL", "GUARANTEE_PDF", "APPLICATION_FORM_ORIGINAL",
                       "APPLICATION_FORM_PDF", "ISSUANCE_COMMITMENT", "QUALIFICATION_CERTIFICATE",
                       "CLAIM_DOCUMENTS", "OTHER"]},
            "2.1 DlgOrderApply fileList[].fileTp: the 11 types of XIB's table (0-10; "
            "codelists.yaml attachmentType gives each raw code)"),
        "project.projectType": (
            {"codes": ["CONSTRUCTION_PROJECT", "GOVERNMENT_PROCUREMENT"]},
            "2.1 DlgOrderApply project_type: 1 工程建设, 2 政府采购"),
    },
}

_LENGTH = re.compile(r"^(?:C\.\.(?P<max>\d+)|C(?P<fixed>\d+)|[Ss]tring\((?P<string>\d+)\)|"
                     r"varchar\((?P<varchar>\d+)\))$")
_STRINGS = ("string", "url", "base64")


@dataclass
class Profile:
    """What one family's profile file holds, with the corpus fields behind each entry."""

    family: str
    require: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # type -> path -> why
    not_carried: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    unreachable: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    elements: dict[str, tuple[dict[str, object], str]] = field(default_factory=dict)


def _types(corpus: Path) -> dict[tuple[str, str, str], str]:
    """The corpus ``type`` of every field, by (platform text, message, path)."""
    raw = json.loads(corpus.read_text(encoding="utf-8"))
    return {(o["platform"], o["message"], o["path"]): o.get("type") or "" for o in raw}


def _family_of(model: Model, f: CorpusField) -> str:
    return model.platforms[f.platform].family


def _blocks(model: Model, family: str, step: str) -> list[tuple[str, str]]:
    return [(b.platform, b.message) for b in model.blocks
            if b.step == step and model.platforms[b.platform].family == family]


def _why(f: CorpusField) -> str:
    return f"{f.message} {f.path}"


def _item_requirements(model: Model, family: str, step: str) -> dict[str, list[str]]:
    """List-item elements each of the family's messages for ``step`` marks ``Y`` inside a list,
    and list items a message sends as fields of their own (then the list is required too)."""
    blocks = _blocks(model, family, step)
    per_block: list[dict[str, list[str]]] = []
    for block in blocks:
        found: dict[str, list[str]] = defaultdict(list)
        for f in model.fields:
            if (f.platform, f.message) != block:
                continue
            e = model.entry(f)
            if e.category != "mapped" or e.element is None or "[]." not in e.element:
                continue
            inside_list = "[]" in f.path or "[?]" in f.path
            if inside_list and f.required == "Y":
                found[e.element].append(_why(f))
            elif not inside_list and model.effectively_required(f):
                found[e.element].append(_why(f))
                found[e.element.split("[]", 1)[0]].append(_why(f))
        per_block.append(found)
    if not per_block:
        return {}
    common = set.intersection(*(set(b) for b in per_block))
    return {path: sorted({w for b in per_block for w in b.get(path, [])}) for path in common}


def _requirable(path: str) -> bool:
    """A path a profile's ``require`` can name: ``section.element...`` or ``list[].element...``
    (an item of a list inside a list item is out of the format's reach)."""
    return path.count("[]") <= 1 and ("[]" not in path or path.split(".", 1)[0].endswith("[]"))


def _optional_ancestors(spec: Spec, mt_id: str, path: str) -> list[str]:
    """The optional section and group elements that hold ``path`` in ``mt_id``: requiring the
    element means requiring them too (``guarantee`` for ``guarantee.orderNo`` in a type whose
    guarantee section is optional; ``bidder.basicAccount`` for its account number). A list
    item path (``attachments[].url``) is required in each item sent, not the list."""
    if "[]" in path:
        return []
    mt = spec.message_types[mt_id]
    parts = path.split(".")
    out = []
    section = mt.section(parts[0])
    if section is not None and section.use != "required":
        out.append(parts[0])
    for i in range(2, len(parts)):
        above = mt.fields.get(".".join(parts[:i]))
        if above is not None and above.use != "required":
            out.append(above.path)
    return out


def _required_paths(spec: Spec, mt_id: str) -> set[str]:
    """Paths the core already requires in ``mt_id`` (required element in a required section,
    list sections with minItems >= 1, and list items required in a required list)."""
    mt = spec.message_types[mt_id]
    out = set()
    for path, f in mt.fields.items():
        section = mt.section(f.in_section)
        parts = path.split(".")
        chain_ok = all(mt.fields[".".join(parts[:i])].use == "required"
                       for i in range(2, len(parts)))
        if f.use == "required" and section is not None and section.use == "required" \
                and chain_ok:
            out.add(path)
    for section in mt.sections:
        if section.is_list and section.use == "required" and section.min_items >= 1:
            out.add(section.name)
    return out


def _requirers(model: Model, step: str) -> dict[str, dict[str, list[str]]]:
    """family -> element -> the fields behind it, for the step's derived requirements."""
    out: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for d in derive(model, step):
        for family in d.requirers:
            why = sorted({_why(f) for f in model.fields
                          if _family_of(model, f) == family
                          and (model.entry(f).block.step in (step, "envelope"))
                          and model.entry(f).element == d.element
                          and model.effectively_required(f)})
            out[family][d.element] = why
    return out


Stated = dict[str, dict[str, list[tuple[int, bool, str]]]]


def _lengths(model: Model, spec: Spec, corpus: Path) -> Stated:
    """element id -> family -> (length, fixed, field) for every mapped field whose corpus type
    states a length and whose element is a string, URL or base64 element."""
    types = _types(corpus)
    raw = json.loads(corpus.read_text(encoding="utf-8"))
    platforms_text = {f.key: o["platform"] for f, o in zip(model.fields, raw, strict=True)}
    out: Stated = defaultdict(lambda: defaultdict(list))
    for f in model.fields:
        e = model.entry(f)
        if e.category != "mapped" or e.element is None:
            continue
        element = _element(spec, e.element)
        if element is None or element.datatype not in _STRINGS:
            continue
        found = _LENGTH.match(types[(platforms_text[f.key], f.message, f.path)].strip())
        if not found:
            continue
        n = int(next(v for v in found.groupdict().values() if v))
        out[f"{element.group}.{element.name}"][_family_of(model, f)].append(
            (n, found.group("fixed") is not None, _why(f)))
    return out


def _element(spec: Spec, path: str) -> Element | None:
    """The dictionary element a message-type path names in any message type."""
    for mt in spec.message_types.values():
        if path in mt.fields:
            return mt.fields[path].element
        if "[]." in path:
            name, rest = path.split("[].", 1)
            section = mt.section(name)
            if section is not None and section.is_list:
                found = spec.groups[section.group].element(rest)
                if found is not None:
                    return found
    return None


def derive_profiles(model: Model, corpus: Path) -> dict[str, Profile]:
    """Every family's profile."""
    spec = model.spec
    profiles = {family: Profile(family) for family in FAMILIES}
    for mt_id, mt in spec.message_types.items():
        carried = message_paths(spec, mt)
        core = _required_paths(spec, mt_id)
        by_family = _requirers(model, mt_id)
        for family in FAMILIES:
            wanted = dict(by_family.get(family, {}))
            for path, why in _item_requirements(model, family, mt_id).items():
                wanted.setdefault(path, why)
            for path, why in sorted(wanted.items()):
                if path in core:
                    continue
                if path not in carried:
                    profiles[family].not_carried.setdefault(mt_id, {})[path] = why
                elif not _requirable(path):
                    profiles[family].unreachable.setdefault(mt_id, {})[path] = why
                else:
                    needed = profiles[family].require.setdefault(mt_id, {})
                    needed[path] = why
                    for above in _optional_ancestors(spec, mt_id, path):
                        needed.setdefault(above, ["holds " + path])
            if mt_id in profiles[family].require:
                profiles[family].require[mt_id] = dict(sorted(
                    profiles[family].require[mt_id].items()))
    for element_id, families in _lengths(model, spec, corpus).items():
        gid, _, name = element_id.partition(".")
        element = spec.groups[gid].element(name)
        assert element is not None
        core_max = element.facets.get("length") or element.facets.get("maxLength")
        for family, stated in families.items():
            longest = max(n for n, _, _ in stated)
            fixed = {n for n, is_fixed, _ in stated if is_fixed}
            stated_as = "; ".join(sorted({f"{w} ({'C' if fx else '..'}{n})"
                                          for n, fx, w in stated}))
            all_fixed = all(fx for _, fx, _ in stated)
            if len(fixed) == 1 and all_fixed and "length" not in element.facets:
                bound: dict[str, object] = {"length": longest}
            elif core_max is None or longest < core_max:
                bound = {"maxLength": longest}
            else:
                continue
            if core_max is not None and bound.get("length", 0) == core_max:
                continue
            profiles[family].elements[element_id] = (bound, stated_as)
    for family, (pid, *_rest) in FAMILIES.items():
        for element_id, (facets, basis) in TIGHTEN.get(pid, {}).items():
            have = profiles[family].elements.get(element_id)
            merged = {**(have[0] if have else {}), **facets}
            text = basis if have is None else f"{have[1]}; {basis}"
            profiles[family].elements[element_id] = (merged, text)
    return profiles


def _yaml_scalar(value: object) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return str(value)


def render(profile: Profile, spec: Spec, folder: Path) -> str:
    """The text of one profile file."""
    pid, zh, en, basis = FAMILIES[profile.family]
    rules = _scoped_rules(folder, pid)
    lines = [
        f"# Profile layer of {spec.id} {spec.version} for the {profile.family} platform family "
        "(docs/spec-format.md, Profiles).",
        "# GENERATED by scripts/derive_profiles.py from the corpus's required marks and stated "
        "lengths",
        "# (docs/coverage/), the same derivation as docs/eguarantee-core.md. Do not edit by hand: "
        "change",
        "# the map or the script's hand-kept table and run it again. Each entry names the "
        "platform fields",
        "# behind it (message, field path).",
        f"# Rules of this profile are in ../rules.yaml with scope {pid}: "
        + (", ".join(rules) if rules else "none") + ".",
        f"id: {pid}",
        f"title: {{zh: {zh}, en: {json.dumps(en)}}}",
        f"basis: {json.dumps(basis, ensure_ascii=False)}",
    ]
    if profile.require:
        lines.append("messageTypes:")
        for mt_id in spec.message_types:
            paths = profile.require.get(mt_id)
            if not paths:
                continue
            lines += [f"  {mt_id}:", "    require:"]
            for path, why in paths.items():
                lines.append(f"      - {path}  # {'; '.join(why)}")
            lines += _unplaced(profile, mt_id, "    ")
    for mt_id in spec.message_types:
        if mt_id not in profile.require:
            lines += _unplaced(profile, mt_id, "")
    if profile.elements:
        lines.append("elements:")
        for element_id, (facets, basis) in sorted(profile.elements.items()):
            body = ", ".join(f"{k}: [{', '.join(map(str, v))}]" if isinstance(v, list)
                             else f"{k}: {_yaml_scalar(v)}" for k, v in facets.items())
            lines.append(f"  {element_id}: {{{body}}}  # {basis}")
    return "\n".join(lines) + "\n"


def _unplaced(profile: Profile, mt_id: str, indent: str) -> list[str]:
    """Comment lines for what the family requires at ``mt_id`` that the file cannot require
    (inside the type's block when ``indent``, else at the top level, naming the type)."""
    lead = f"{indent}# " if indent else f"# {mt_id}: "
    out = []
    if profile.not_carried.get(mt_id):
        out.append(f"{lead}required by the platform, not in this message type: "
                   + ", ".join(profile.not_carried[mt_id]))
    if profile.unreachable.get(mt_id):
        out.append(f"{lead}required by the platform, items of a nested list (a profile cannot "
                   "require them): " + ", ".join(profile.unreachable[mt_id]))
    return out


def _scoped_rules(folder: Path, pid: str) -> list[str]:
    """Ids of the rules of ``rules.yaml`` whose scope names ``pid`` (read as data: the core
    spec holds the core's rules only)."""
    data = yaml.safe_load((folder / "rules.yaml").read_text(encoding="utf-8"))
    return [r["id"] for r in data["rules"]
            if isinstance(r.get("scope"), list) and pid in r["scope"]]


def _sample(examples: Path, mt_id: str, path: str) -> object | None:
    """A value for ``path`` from the spec's valid examples (the type's own first, then any)."""
    files = sorted(examples.glob("*.json"), key=lambda p: (p.stem != mt_id, p.name))
    for file in files:
        doc = json.loads(file.read_text(encoding="utf-8"))
        node: object = doc
        head, _, rest = path.partition("[].")
        for part in head.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if rest and isinstance(node, list) and node:
            node = node[0].get(rest) if isinstance(node[0], dict) else None
        if node is not None and not isinstance(node, (dict, list)):
            return node
    return None


def _put(doc: dict[str, Any], path: str, value: object) -> None:
    """Set ``path`` (``a.b`` or ``list[].name``, in the first item) in ``doc``."""
    head, _, rest = path.partition("[].")
    parts = head.split(".")
    node = doc
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    if rest:
        node.setdefault(parts[-1], [{}])[0][rest] = value
    else:
        node[parts[-1]] = value


def measure(model: Model, folder: Path) -> list[str]:
    """For every platform message of the corpus that corresponds to a message type: build the
    message that carries exactly the fields the platform marks required or conditionally
    required (``Y`` or ``C``: the sample is in the state where its conditions hold; values from
    the spec's valid examples) and validate it under the core and under the family's profile.
    Compliant minimal traffic should be conformant under both."""
    from hegui.validator.runner import RunConfig, Runner  # only this mode validates

    spec = model.spec
    lines = ["| platform | message | type | fields sent (Y or C) | core | profile |",
             "|---|---|---|---:|---|---|"]
    for block in model.blocks:
        if block.step not in spec.message_types:
            continue
        family = model.platforms[block.platform].family
        pid = FAMILIES[family][0]
        doc: dict[str, Any] = {"messageType": block.step, "specVersion": spec.version}
        envelope = {(b.platform, b.message) for b in model.blocks
                    if b.step == "envelope" and b.platform == block.platform}
        carried = message_paths(spec, spec.message_types[block.step])
        count, lacking = 0, []
        for f in model.fields:
            if (f.platform, f.message) != (block.platform, block.message) and \
                    (f.platform, f.message) not in envelope:
                continue
            e = model.entry(f)
            wanted = model.effectively_required(f) or f.required == "C"
            if e.category != "mapped" or e.element is None or not wanted \
                    or e.element not in carried or e.element == "attachments":
                continue
            value = _sample(folder / "examples" / "valid", block.step, e.element)
            if value is None:
                lacking.append(e.element)
                continue
            _put(doc, e.element, value)
            count += 1
        outcomes = []
        for profile in (None, pid) if pid in spec.profiles else (None,):
            with tempfile.TemporaryDirectory() as scratch:
                tmp = Path(scratch) / f"{block.step}.json"
                tmp.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
                config = RunConfig(spec=str(folder), profile=profile)
                result = Runner(config).run([str(tmp)]).results[-1]
            ids = sorted(result.rule_ids)
            outcomes.append(result.verdict + (f" {', '.join(ids)}" if ids else ""))
        note = f" (no sample value: {', '.join(lacking)})" if lacking else ""
        layered = outcomes[1] if len(outcomes) > 1 else "no profile"
        lines.append(f"| {model.platforms[block.platform].name} | {block.message} | "
                     f"`{block.step}` | {count}{note} | {outcomes[0]} | {layered} |")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spec", type=Path, default=SPEC)
    parser.add_argument("--map", type=Path, default=MAP, dest="map_path")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--lengths", action="store_true")
    parser.add_argument("--measure", action="store_true",
                        help="validate each platform message's required fields under the core "
                             "and under its profile (a Markdown table)")
    args = parser.parse_args(argv)
    try:
        spec = load_spec(str(args.spec))
        model = build_model(spec, args.corpus, args.map_path)
    except (HeguiError, MapError) as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.lengths:
        for element_id, families in sorted(_lengths(model, spec, args.corpus).items()):
            print(element_id, {f: sorted({n for n, _, _ in v}) for f, v in families.items()})
        return 0
    if args.measure:
        print("\n".join(measure(model, args.spec)))
        return 0
    folder = args.spec / "profiles"
    differ = []
    for family, profile in derive_profiles(model, args.corpus).items():
        path = folder / f"{FAMILIES[family][0]}.yaml"
        text = render(profile, spec, args.spec)
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                differ.append(str(path))
            continue
        folder.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for path in differ:
        print(f"{path} is not what scripts/derive_profiles.py writes", file=sys.stderr)
    if differ:
        return 1
    for family in FAMILIES:  # every layer must load over the core
        try:
            load_spec(str(args.spec), FAMILIES[family][0])
        except HeguiError as exc:
            print(exc, file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
