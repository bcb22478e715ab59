"""``hegui specs``: list the bundled specs and show one (elements, code lists, rules)."""

from __future__ import annotations

import click

from hegui.spec_tree import render_message_type
from hegui.validator.codec import namespace_of
from hegui.validator.loader import load_spec
from hegui.validator.spec import Lang, Spec
from hegui.validator.versions import bundled_names

LANG = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                    help="Language of names and messages.")


@click.group()
def specs() -> None:
    """List and show the bundled standards."""


#: Lifecycle statuses in each language (docs/spec-format.md, Versions).
STATUS = {"zh": {"draft": "草案", "active": "现行", "deprecated": "已弃用"},
          "en": {"draft": "draft", "active": "active", "deprecated": "deprecated"}}


@specs.command("list")
@LANG
def list_specs(lang: Lang) -> None:
    """List every bundled spec version: name, lifecycle status, validity, replacement,
    profile layers, standard number and title (tab-separated; the first column is what
    --spec takes)."""
    zh = lang == "zh"
    for name in bundled_names():
        s = load_spec(name)
        number = s.standard_number or ("标准号未知" if zh else "number unknown")
        life = s.lifecycle
        valid = f"{life.valid_from or '…'}–{life.valid_to or '…'}"
        replaced = (f"{'由' if zh else 'replaced by '}{s.id}@{life.replaced_by}"
                    f"{'取代' if zh else ''}" if life.replaced_by else "-")
        profiles = ",".join(s.profiles) or "-"
        click.echo(f"{s.name}\t{STATUS[lang][s.status]}\t{valid}\t{replaced}\t{profiles}\t"
                   f"{number}\t{s.title.get(lang)}")


@specs.command("show")
@click.argument("spec_id")
@click.option("--profile", metavar="NAME", help="Show the spec with this profile layer laid over "
                                                "its core.")
@LANG
@click.option("--part", type=click.Choice(["all", "elements", "codelists", "messages", "rules"]),
              default="all", show_default=True, help="Which part to print.")
@click.option("--message-type", "-m", "message_type", metavar="TYPE",
              help="Show one message type as a tree: every element, whether this type requires "
                   "it, how its value is written, the JSON and XML framing and the examples.")
def show_spec(spec_id: str, profile: str | None, lang: Lang, part: str,
              message_type: str | None) -> None:
    """Show a spec's elements, code lists, message types and rules (SPEC_ID: <id>,
    <id>@<version> or a folder)."""
    s = load_spec(spec_id, profile)
    if message_type is not None:
        mt = s.message_types.get(message_type)
        if mt is None:
            raise click.BadParameter(
                f"{message_type!r} is not a message type of {s.id} "
                f"(have: {', '.join(s.message_types)})", param_hint="--message-type")
        click.echo("\n".join(render_message_type(s, mt, lang)))
        rules = [r for r in s.rules if mt.id in r.applies_to]
        click.echo(("\n规则：" if lang == "zh" else "\nRules: ")
                   + ", ".join(f"{r.id} [{r.severity}]" for r in rules))
        return
    click.echo("\n".join(render_spec(s, lang, part)))


def render_spec(s: Spec, lang: Lang, part: str = "all") -> list[str]:
    """Plain-text description of ``s`` (used by ``hegui specs show``)."""
    zh = lang == "zh"
    life = s.lifecycle
    out = [f"{s.title.get(lang)}", f"id={s.id} version={s.version} status={s.status} "
           f"sha256={s.content_sha256}"]
    if life.valid_from or life.valid_to or life.replaced_by:
        out.append(("有效期: " if zh else "Valid: ") + f"{life.valid_from or '…'}–"
                   f"{life.valid_to or '…'}" + (f" ({'由' if zh else 'replaced by '}"
                                                 f"{life.replaced_by}{'取代' if zh else ''})"
                                                 if life.replaced_by else ""))
    if life.changes:
        out.append(("变更: " if zh else "Changes: ") + life.changes.get(lang))
    if s.profiles:
        out.append(("配置层: " if zh else "Profiles: ") + ", ".join(s.profiles)
                   + (f" ({'当前' if zh else 'applied'}: {s.profile})" if s.profile else ""))
    out.append(("标准号: " if zh else "Standard number: ")
               + (s.standard_number or ("未知" if zh else "unknown")))
    if s.standard_note:
        out.append(s.standard_note.get(lang))
    out.append(("来源: " if zh else "Provenance: ") + s.provenance.get(lang))
    if part in ("all", "elements"):
        out += ["", "== 数据元 ==" if zh else "== Data elements =="]
        for g in s.groups.values():
            out.append(f"[{g.id}] {g.label.get(lang)}")
            for e in g.elements:
                facets = " ".join(f"{k}={v}" for k, v in e.facets.items() if k != "of")
                if "of" in e.facets:
                    of = e.facets["of"]
                    facets += f" of={of if isinstance(of, str) else of.datatype}"
                out.append(f"  {e.id:<36} {e.label.get(lang):<20} {e.datatype:<9} {e.use:<11} "
                           f"{facets}  — {e.basis.render(lang)}")
    if part in ("all", "codelists"):
        out += ["", "== 代码表 ==" if zh else "== Code lists =="]
        for c in s.codelists.values():
            out.append(f"[{c.id}] {c.name.get(lang)} — {c.basis.render(lang)}")
            out += [f"  {code.code:<6} {code.name.get(lang)}" for code in c.codes]
    if part in ("all", "messages"):
        out += ["", "== 报文类型 ==" if zh else "== Message types =="]
        for m in s.message_types.values():
            out.append(f"[{m.id}] {m.label.get(lang)} ({m.direction or '-'})")
            out.append(f"  JSON \"messageType\": \"{m.id}\"; XML <{m.id} "
                       f"xmlns=\"{namespace_of(s)}\">")
            for sec in m.sections:
                kind = "list of " if sec.is_list else ""
                out.append(f"  {sec.name}: {kind}{sec.group} ({sec.use})")
            out.append("  " + ("详见" if zh else "in full: ")
                       + f"hegui specs show {s.id} -m {m.id}")
    if part in ("all", "rules"):
        out += ["", "== 业务规则 ==" if zh else "== Business rules =="]
        rules = list(s.rules)
        if s.profile is None:  # the core alone: list the profile layers' rules too
            seen = {r.id for r in rules}
            for name in s.profiles:
                for r in load_spec(s.folder, name).rules:
                    if r.id not in seen:
                        seen.add(r.id)
                        rules.append(r)
        for r in rules:
            layer = f" ({'配置层' if zh else 'profile'} {', '.join(r.scope)})" if r.scope else ""
            out.append(f"{r.id} [{r.severity}] {r.title.get(lang)}{layer}")
            out.append(f"    {'适用' if zh else 'applies to'}: {', '.join(r.applies_to)}")
            out.append(f"    {'依据' if zh else 'basis'}: {r.basis.render(lang)}")
            if r.when:
                out.append(f"    when: {r.when}")
            if r.expr:
                out.append(f"    expr: {r.expr}")
            if r.require:
                out.append(f"    require: {', '.join(r.require)}")
    return out


@specs.command("schemas")
@click.argument("spec_ids", nargs=-1)
@click.option("--write", "mode", flag_value="write", help="Regenerate the committed schema files.")
@click.option("--check", "mode", flag_value="check", default=True,
              help="Exit 1 when a committed schema differs from regeneration (default).")
@click.option("--print", "show", type=click.Choice(["xsd", "json"]),
              help="Print the generated XSD or JSON Schema of one spec instead (with "
                   "--profile: of the layered spec, which has no committed files).")
@click.option("--profile", metavar="NAME", help="With --print: lay this profile over the core.")
def schemas_cmd(spec_ids: tuple[str, ...], mode: str, show: str | None,
                profile: str | None) -> None:
    """Generate (--write), check (--check) or print (--print) the XSD and JSON Schema of spec
    versions (default: every bundled version)."""
    from hegui.generators.schemas import check_schemas, json_schema_text, write_schemas
    from hegui.generators.xsd import xsd_text

    if show is not None or profile is not None:
        if show is None or len(spec_ids) != 1:
            raise click.UsageError("--print takes one spec (and --profile needs --print)")
        spec = load_spec(spec_ids[0], profile)
        click.echo(xsd_text(spec) if show == "xsd" else json_schema_text(spec), nl=False)
        return
    stale: list[str] = []
    for sid in spec_ids or bundled_names():
        spec = load_spec(sid)
        if mode == "write":
            for path in write_schemas(spec):
                click.echo(f"wrote {path}")
        else:
            stale += [f"{sid}: {name}" for name in check_schemas(spec)]
    for line in stale:
        click.echo(f"out of date: {line}", err=True)
    raise click.exceptions.Exit(1 if stale else 0)
