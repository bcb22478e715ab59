"""One message type of a spec as a tree a person can write a message from (``specs show -m``).

For each element: its path, names, whether this message type requires it (``required``,
``optional``, ``conditional`` with the rules that make it required, or ``excluded``), and how
its value is written; plus the JSON ``messageType``/``specVersion`` members, the XML root and
namespace, and the bundled examples of the type.
"""

from __future__ import annotations

from pathlib import Path

from hegui.validator.codec import namespace_of
from hegui.validator.expectations import lexical_form
from hegui.validator.identify import peek_json_message_type
from hegui.validator.spec import Element, Group, Lang, MessageType, Section, Spec

_USE = {"required": "必填", "optional": "可选", "conditional": "条件必填", "excluded": "不出现"}


def _use(use: str, lang: Lang) -> str:
    return _USE.get(use, use) if lang == "zh" else use


def examples_of(spec: Spec, mt: MessageType) -> list[str]:
    """Bundled examples of ``mt``, relative to the spec folder: valid ones, then invalid."""
    folder = Path(spec.folder) / "examples"
    out = []
    for p in sorted(folder.rglob("*.json")):
        try:
            named = peek_json_message_type(p.read_bytes())
        except OSError:
            continue
        if named == mt.id:
            twin = p.with_suffix(".xml")
            out += [str(q.relative_to(spec.folder)) for q in (p, twin) if q.is_file()]
    return sorted(out, key=lambda rel: (Path(rel).parts[1] != "valid", rel))


def render_message_type(spec: Spec, mt: MessageType, lang: Lang) -> list[str]:
    """The tree of ``mt`` as lines of text."""
    zh = lang == "zh"
    out = [f"[{mt.id}] {mt.label.get(lang)} ({mt.direction or '-'})"]
    if mt.description:
        out.append(f"  {mt.description.get(lang)}")
    out.append(f"  JSON: \"messageType\": \"{mt.id}\", \"specVersion\": \"{spec.version}\""
               + ("（两者均必填；正文未写明时可用 --message-type 代为指定）" if zh
                  else " (both required; --message-type stands in for a body that names "
                       "neither)"))
    out.append(f"  XML: <{mt.id} xmlns=\"{namespace_of(spec)}\">")
    for sec in mt.sections:
        out += _section(spec, mt, sec, lang)
    examples = examples_of(spec, mt)
    if examples:
        where = spec.folder
        out.append("  " + (f"示例（在 {where} 中）：" if zh else f"Examples (in {where}):"))
        out += [f"    {p}" for p in examples]
    return out


def _section(spec: Spec, mt: MessageType, sec: Section, lang: Lang) -> list[str]:
    group = spec.groups[sec.group]
    if sec.is_list:
        high = "n" if sec.max_items is None else str(sec.max_items)
        head = f"  {sec.name}[{sec.min_items}..{high}]: {group.label.get(lang)}"
        return [f"{head} ({_use(sec.use, lang)})",
                *_members(spec, group, f"{sec.name}[]", None, lang, "    ")]
    head = f"  {sec.name}: {group.label.get(lang)} ({_use(sec.use, lang)})"
    return [head, *_members(spec, group, sec.name, (mt, sec), lang, "    ")]


def _members(spec: Spec, group: Group, prefix: str, at: tuple[MessageType, Section] | None,
             lang: Lang, indent: str) -> list[str]:
    out = []
    for e in group.elements:
        path = f"{prefix}.{e.name}"
        if at is not None and e.name in at[1].exclude:
            out.append(f"{indent}{path} — {e.label.get(lang)} ({_use('excluded', lang)})")
            continue
        use = e.use
        if at is not None:
            field = at[0].fields.get(path)
            use = field.use if field is not None else at[1].overrides.get(e.name, e.use)
        out.append(f"{indent}{path} — {e.label.get(lang)} ({_use(use, lang)}"
                   + (f": {', '.join(e.conditions)}" if use == "conditional" and e.conditions
                      else "") + f") {_form(spec, e, lang)}")
        if e.datatype == "group":
            out += _members(spec, spec.groups[e.facet("group")], path,
                            (at[0], at[1]) if at is not None else None, lang, indent + "  ")
        elif e.datatype == "list" and isinstance(e.facet("of"), str):
            out += _members(spec, spec.groups[e.facet("of")], f"{path}[]", None, lang,
                            indent + "  ")
    return out


def _form(spec: Spec, e: Element, lang: Lang) -> str:
    if e.datatype == "group":
        return ""
    if e.datatype == "list":
        of = e.facet("of")
        low, high = e.facet("minItems", 0), e.facet("maxItems")
        count = f"[{low}..{'n' if high is None else high}]"
        if isinstance(of, str):
            return count
        return f"{count} {lexical_form(of, spec.codelists).get(lang)}"
    return f"— {lexical_form(e, spec.codelists).get(lang)}"
