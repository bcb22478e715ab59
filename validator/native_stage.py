"""The platform-profile stage, and moving findings back to the native document.

:class:`MapStage` runs after parsing when a platform profile is given: it maps the native
message onto the canonical one (:mod:`hegui.validator.mapping`), records the mapping's
findings at their native fields and hands the canonical document to the stages after it.
:func:`relocate` then moves every later finding to the native field its element came from
(pointer, name in the message), before line and column are found in the native source.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from hegui.validator.mapping import Mapped, map_native
from hegui.validator.pipeline import Work
from hegui.validator.platform_model import Envelope, NativeMessage, Platform
from hegui.validator.platform_paths import path_and_indices, pointer
from hegui.validator.result import Finding, Location
from hegui.validator.safe_json import pointer_tokens
from hegui.validator.spec import Text

NO_PROFILE = Text("未指定平台配置", "no platform profile")


class MapStage:
    """A platform's native message -> the canonical message (docs/platform-profiles.md)."""

    name = "map"

    def skip_reason(self, work: Work) -> Text | None:
        """Runs only with a platform profile."""
        return None if work.platform is not None else NO_PROFILE

    def run(self, work: Work) -> None:
        """Replace ``work.doc`` by the canonical document, or stop."""
        platform = work.platform
        assert platform is not None
        if work.doc is None:
            work.stop("map.encoding@xml", Text(
                f"平台配置 {platform.id} 读取 JSON 报文，此载荷是 XML",
                f"platform profile {platform.id} reads JSON messages; this payload is XML"),
                Location(xpath="/"))
            return
        mapped = map_native(platform, work.doc, work.options.native_message,
                            work.options.native_item)
        work.mapped = mapped
        for issue in mapped.issues:
            work.add(issue.rule_id, issue.severity, issue.text, "map", issue.pointer,
                     value=issue.value)
        if mapped.stop is not None:
            stop = mapped.stop
            work.findings.append(Finding(stop.rule_id, "error", stop.text, "map",
                                         Location(pointer=stop.pointer), value=stop.value))
            work.stopped, work.stopped_text = stop.text.en, stop.text
            return
        assert mapped.doc is not None
        work.doc = mapped.doc
        work.native_upto = len(work.findings)


def relocate(work: Work) -> list[Finding]:
    """The findings of ``work`` located in the native document: the canonical ones moved to
    their native fields (those on elements the mapping already reported dropped), and the
    bare body's unchecked header said once."""
    mapped, platform = work.mapped, work.platform
    assert mapped is not None and platform is not None
    out = list(work.findings[:work.native_upto])
    unheard: list[str] = []
    uncarried: list[str] = []
    message = mapped.message
    assert message is not None
    bare = mapped.expects is not None and not mapped.enveloped
    for f in work.findings[work.native_upto:]:
        ptr = f.location.pointer
        if ptr is None or f.stage == "map":
            out.append(f)
            continue
        if _claimed(ptr, mapped.claimed) or (f.rule_id.endswith("@required") and any(
                c.startswith(ptr + "/") for c in mapped.claimed)):
            continue  # the mapping reported it (a missing container: its claimed values)
        if bare and f.stage == "schema":
            assert mapped.expects is not None
            left = _in_envelope(work, f, set(mapped.expects.reverse))
            if left:
                unheard += left
                continue
        if message.not_carried and f.stage == "schema":
            left = _in_envelope(work, f, set(message.not_carried), header=False)
            if left:
                uncarried += left
                continue
        out.append(_moved(f, mapped, platform))
    if bare:
        assert mapped.expects is not None
        out.append(_absent(platform, mapped.expects, unheard))
    if uncarried:
        out.append(_uncarried(platform, message, uncarried))
    return out


def _in_envelope(work: Work, f: Finding, carried: set[str], header: bool = True) -> list[str]:
    """The elements of ``carried`` (and, with ``header``, the header's) a schema finding is
    about (what an absent envelope, or a message without such fields, leaves unchecked), or
    [] when it is about something else."""
    path = path_and_indices([str(t) for t in pointer_tokens(f.location.pointer or "")])[0]
    carried = carried | ({"header"} if header else set())
    if path in carried or any(path.startswith(c + ".") for c in carried):
        below = _required_below(work, path)
        return below if f.rule_id.endswith("@required") else [path]
    if not f.rule_id.endswith("@required"):
        return []
    below = _required_below(work, path)
    if below != [path] and all(p in carried or any(p.startswith(c + ".") for c in carried)
                               for p in below):
        return below  # a missing object whose required members all travel in the envelope
    return []


def _required_below(work: Work, section: str) -> list[str]:
    """The required elements of a missing object (what its absence leaves unchecked)."""
    if work.mt is None:
        return [section]
    return [p for p, f in work.mt.fields.items()
            if p.startswith(section + ".") and f.use == "required"] or [section]


def _claimed(ptr: str, claimed: set[str]) -> bool:
    return any(ptr == c or ptr.startswith(c + "/") for c in claimed)


def _absent(platform: Platform, env: Envelope, unheard: Sequence[str]) -> Finding:
    members = ", ".join(env.fields) or env.body
    listed = ", ".join(sorted(set(unheard)))
    zh_more = f"；未检查的报文头数据元：{listed}" if listed else ""
    en_more = f"; header elements not checked: {listed}" if listed else ""
    return Finding("map.envelope@absent", "warning", Text(
        f"只给出了业务数据，没有平台信封（{members}）：信封中的报文头未检查{zh_more}",
        f"the business data was given without the platform's envelope ({members}): the "
        f"header it carries was not checked{en_more}"), "map", Location(pointer=""),
        value=listed or None, layer=platform.id)


def _uncarried(platform: Platform, message: NativeMessage, paths: Sequence[str]) -> Finding:
    listed = ", ".join(sorted(set(paths)))
    why = message.not_carried_reason or Text("", "")
    return Finding("map.message@not-carried", "warning", Text(
        f"平台规范没有为报文 {message.name} 规定承载 {listed} 的字段，未检查：{why.zh}",
        f"the platform's spec gives message {message.name} no field for {listed}: not "
        f"checked ({why.en})"), "map", Location(pointer=""), value=listed, layer=platform.id)


def _moved(f: Finding, mapped: Mapped, platform: Platform) -> Finding:
    ptr = f.location.pointer or ""
    native_ptr, native_path, canonical = origin(ptr, mapped, platform)
    if native_path is not None:
        prefix = Text(f"`{native_path}`（{canonical}）：", f"`{native_path}` ({canonical}): ")
    else:
        prefix = Text(f"（{canonical}，平台报文中没有对应字段）：",
                      f"({canonical}; no field of the platform's message carries it): ")
    if not canonical or canonical == "payload":
        prefix = Text("", "")
    related = tuple(dataclasses.replace(r, pointer=origin(r.pointer, mapped, platform)[0])
                    if r.pointer is not None else r for r in f.related)
    return dataclasses.replace(
        f, message=Text(prefix.zh + f.message.zh, prefix.en + f.message.en),
        location=dataclasses.replace(f.location, pointer=native_ptr), related=related)


def origin(ptr: str, mapped: Mapped, platform: Platform) -> tuple[str, str | None, str]:
    """Where canonical pointer ``ptr`` sits in the native document: (native pointer, native
    field path or None, canonical path)."""
    tokens = [str(t) for t in pointer_tokens(ptr)]
    canonical, indices = path_and_indices(tokens)
    found = mapped.origins.get(ptr)
    if found is not None:
        return found[0], found[1], canonical
    message = mapped.message
    reverse = dict(message.reverse) if message is not None else {}
    env_reverse = mapped.envelope.reverse if mapped.envelope is not None else {}
    for cpath, suffix in ((canonical, ""), (canonical.removesuffix("[]"), "[]")):
        if suffix and not canonical.endswith("[]"):
            continue
        npath = reverse.get(cpath)
        base = mapped.base
        if npath is None and mapped.enveloped:
            npath, base = env_reverse.get(cpath), ""
        if npath is not None:
            if mapped.body_as_text and base:
                return base, npath + suffix, canonical
            each = message.each if message is not None else None
            at = ([mapped.item or 0, *indices] if each and npath.startswith(each + ".")
                  else indices)
            return base + pointer(npath + suffix, at), npath + suffix, canonical
    below = sorted(p for p in mapped.origins if p.startswith(ptr + "/"))
    if below:  # a container: the native container of its first value
        nptr = mapped.origins[below[0]][0]
        depth = len(list(pointer_tokens(below[0]))) - len(tokens)
        native_tokens = nptr.split("/")
        if depth < len(native_tokens):
            return "/".join(native_tokens[:-depth]) or "", None, canonical
    return mapped.base, None, canonical
