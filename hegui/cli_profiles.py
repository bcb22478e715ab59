"""``hegui profiles``: list the bundled platform profiles and show one."""

from __future__ import annotations

import click

from hegui.cli_specs import LANG, STATUS
from hegui.validator.platform_loader import bundled_platform_ids, load_platform
from hegui.validator.platform_model import FieldMap, NativeMessage, Platform
from hegui.validator.spec import Lang


@click.group()
def profiles() -> None:
    """List and show the platform profiles (how real platforms' messages map onto a spec)."""


@profiles.command("list")
@LANG
def list_profiles(lang: Lang) -> None:
    """List every bundled platform profile: id, status, spec version, requirements layer,
    native messages, source version and title (tab-separated; the first column is what
    `hegui validate --profile` takes)."""
    for pid in bundled_platform_ids():
        p = load_platform(pid)
        click.echo(f"{p.id}\t{STATUS[lang][p.status]}\t{p.spec}\t{p.layer or '-'}\t"
                   f"{len(p.messages)}\t{p.source['version']}\t{p.title.get(lang)}")


@profiles.command("show")
@click.argument("profile_id")
@LANG
@click.option("--message", "message", metavar="NAME",
              help="Show one native message's field mappings only.")
def show_profile(profile_id: str, lang: Lang, message: str | None) -> None:
    """Show a platform profile (PROFILE_ID: a bundled id or a profile folder): its source,
    envelope, native messages and their field mappings, and its code tables."""
    p = load_platform(profile_id)
    zh = lang == "zh"
    if message is not None:
        m = p.messages.get(message)
        if m is None:
            have = ", ".join(p.messages)
            raise click.BadParameter(f"{message!r}: {'没有此报文' if zh else 'no such message'}"
                                     f" ({have})", param_hint="--message")
        _message(p, m, lang)
        return
    t = (("平台配置", "规范", "配置层", "状态", "来源", "内容哈希", "信封", "业务数据", "说明",
          "代码对照表", "报文") if zh else
         ("Platform profile", "Spec", "Layer", "Status", "Source", "Content hash", "Envelope",
          "business data in", "Notes", "Code tables", "Messages"))
    click.echo(f"{t[0]}: {p.id} — {p.title.get(lang)}")
    click.echo(f"{t[1]}: {p.spec}   {t[2]}: {p.layer or '-'}   {t[3]}: {STATUS[lang][p.status]}")
    src = p.source
    date = f", {src['date']}" if 'date' in src else ""
    click.echo(f"{t[4]}: {src['document']} ({src['version']}{date})")
    click.echo(f"      {src['origin']}")
    click.echo(f"{t[5]}: {p.sha256}")
    for env in p.envelopes.values():
        click.echo(f"{t[6]} {env.name}: {', '.join(env.fields)} ({t[7]} {env.body})")
        for fm in env.fields.values():
            click.echo("  " + _mapping(fm, lang))
    if p.notes:
        click.echo(f"{t[8]}:")
        for n in p.notes:
            click.echo(f"  - {n.get(lang)}")
    click.echo(f"{t[10]} ({len(p.messages)}):")
    for m in p.messages.values():
        mapped = sum(1 for f in m.fields.values() if not f.dropped)
        dropped = len(m.fields) - mapped
        counts = (f"映射 {mapped}，舍弃 {dropped}" if zh else f"{mapped} mapped, {dropped} dropped")
        travels = f", {'信封' if zh else 'envelope'} {m.envelope}" if m.envelope else ""
        click.echo(f"  {m.name} -> {m.message_type}  {m.label.get(lang)}  ({counts}{travels})")
    click.echo(f"{t[9]} ({len(p.codes)}):")
    for c in p.codes.values():
        click.echo(f"  {c.id} -> {c.codelist}  {c.label.get(lang)}: {c.listing()}")


@profiles.command("check")
@click.argument("profile_ids", nargs=-1)
@LANG
def check_profiles(profile_ids: tuple[str, ...], lang: Lang) -> None:
    """Load each platform profile (default: every bundled one) and validate its native
    examples against examples/manifest.yaml. Exit codes: 0 every outcome as recorded, 1 an
    outcome differs, 2 a profile does not load."""
    from hegui.validator.platform_examples import check_examples

    bad = 0
    for pid in profile_ids or tuple(bundled_platform_ids()):
        p = load_platform(pid)
        for o in check_examples(p):
            mark = "ok" if o.ok else ("不符" if lang == "zh" else "MISMATCH")
            click.echo(f"{mark}\t{p.id}\t{o.file}\t{o.message}\t{o.result.verdict}\t"
                       f"{','.join(o.got) or '-'}")
            if not o.ok:
                bad += 1
                want = ",".join(o.want) or "-"
                click.echo(f"\t{'应为' if lang == 'zh' else 'expected'} {o.want_verdict} "
                           f"{want}", err=True)
                for f in o.result.findings:
                    click.echo(f"\t  {f.rule_id} {f.location.pointer} {f.message.get(lang)}",
                               err=True)
    raise click.exceptions.Exit(1 if bad else 0)


def _message(p: Platform, m: NativeMessage, lang: Lang) -> None:
    zh = lang == "zh"
    click.echo(f"{m.name} -> {m.message_type}  {m.label.get(lang)}"
               + (f"  [{m.interface}]" if m.interface else ""))
    if m.keys or m.values:
        how = ", ".join([*m.keys, *(f"{k}={v}" for k, v in m.values.items())])
        click.echo(f"  {'识别' if zh else 'recognised by'}: {how}")
    for path, value in m.constants.items():
        click.echo(f"  {'常量' if zh else 'constant'} {path} = {value}")
    for fm in m.fields.values():
        click.echo("  " + _mapping(fm, lang))


def _mapping(fm: FieldMap, lang: Lang) -> str:
    zh = lang == "zh"
    if fm.drop is not None:
        return f"{fm.native}  {'舍弃' if zh else 'dropped'}: {fm.drop.get(lang)}"
    extra = []
    if fm.codes:
        tables = ", ".join(fm.tables) if fm.tables else fm.codes
        extra.append(f"{'代码对照表' if zh else 'codes'} {tables}")
    if fm.form != "text":
        extra.append(fm.form + (f" {' | '.join(fm.formats)}" if fm.formats else ""))
    if fm.time:
        extra.append(f"{'时刻' if zh else 'time'} {fm.time}")
    if fm.item:
        extra.append(f"{'同一列表项' if zh else 'item'} {fm.item}")
    if fm.with_:
        extra.append(("附带 " if zh else "with ")
                     + ", ".join(f"{k}={v}" for k, v in fm.with_.items()))
    tail = f"  ({'; '.join(extra)})" if extra else ""
    return f"{fm.native} -> {', '.join(fm.targets)}{tail}"
