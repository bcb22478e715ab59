"""Test packs in a platform's own dialect: the canonical pack, written as native messages.

Every file of the canonical pack (for the platform's spec version and requirements layer) is
converted to each native message of its type. A file is kept only when its native form still
means what the pack says — it is validated with the profile and must give the pack's verdict
and rule ids; otherwise it is listed among the skipped files with the reason (the native
message cannot carry what breaks the rule, or the mapping reports the break first, e.g. a
money value with three decimals is ``map.<field>@form`` before it is ``<element>@pattern``).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import orjson

from hegui.generators.pack import PackConfig, PackFile, Skipped
from hegui.validator.engine import Options, Validator
from hegui.validator.envelope_security import seal
from hegui.validator.keys import Keys
from hegui.validator.native_docs import get_path, put
from hegui.validator.platform_model import Platform
from hegui.validator.unmapping import native_messages_for, to_native


@dataclass(frozen=True)
class Sealing:
    """Write the native files as sealed envelopes, with ``keys``, at time ``at`` (validate
    the pack with ``--keys`` and ``--now`` that time: the timestamp window starts there)."""

    keys: Keys
    at: dt.datetime


@dataclass(frozen=True)
class NativeSkip:
    """A canonical pack file that has no faithful native form, and why."""

    path: str
    native_message: str
    reason: str


def native_files(config: PackConfig, platform: Platform,
                 files: Sequence[tuple[PackFile, bytes]], sealing: Sealing | None = None
                 ) -> tuple[list[tuple[PackFile, bytes, str]], list[NativeSkip]]:
    """The native files of a canonical pack (JSON files only): (file, bytes, native message)
    for every file that keeps its meaning, and the others with their reasons. With
    ``sealing``, each is a sealed envelope, kept only when it validates as its plaintext does."""
    validator = Validator(config.spec, platform=platform)
    seen: set[str] = set()  # request ids of the sealed files: unique within the pack
    opener = None if sealing is None else Validator(
        config.spec, platform=platform, keys=sealing.keys.for_profile(platform.id),
        now=sealing.at)
    kept: list[tuple[PackFile, bytes, str]] = []
    skipped: list[NativeSkip] = []
    for pack_file, data in files:
        if pack_file.encoding != "json":
            continue
        doc = orjson.loads(data)
        for message in native_messages_for(platform, pack_file.message_type):
            native = to_native(platform, doc, message)
            body = orjson.dumps(native.doc, option=orjson.OPT_INDENT_2) + b"\n"
            slug = re.sub(r"[^A-Za-z0-9]+", "_", message.name).strip("_") or "message"
            folder, _, name = pack_file.path.rpartition("/")
            path = f"{folder}/{slug}-{name}"
            result = validator.validate(body, path, Options(native_message=message.name))
            got = sorted({f.rule_id for f in result.findings if f.severity != "info"
                          and f.rule_id != "map.envelope@absent"})
            # A message that declares what it does not carry always says so (a warning that
            # belongs to the message, not to the file): expected beside the file's own ids.
            said = (["map.message@not-carried"] if message.not_carried
                    and "map.message@not-carried" in got else [])
            # A plaintext body in a sealed envelope is noted (info) on every such file.
            said += [NOTED] if NOTED in result.rule_ids else []
            want = sorted({*pack_file.rule_ids, *said})
            if result.verdict == pack_file.verdict and sorted({*got, *said}) == want:
                if sealing is not None and opener is not None:
                    sealed = _sealed(native.doc, platform, sealing, seen)
                    if sealed is not None:
                        again = opener.validate(sealed, path,
                                                Options(native_message=message.name))
                        now = sorted({f.rule_id for f in again.findings
                                      if f.severity != "info"} | set(said) - {NOTED})
                        if again.verdict != pack_file.verdict or now != sorted(
                                set(want) - {NOTED}):
                            skipped.append(NativeSkip(pack_file.path, message.name, (
                                f"sealed, as {message.name} it is {again.verdict} {now}, the "
                                f"pack expects {pack_file.verdict} "
                                f"{sorted(set(want) - {NOTED})} (sealing fills the envelope's "
                                "key member, timestamp and request id)")))
                            continue
                        body, want = sealed, sorted(set(want) - {NOTED})
                kept.append((replace(pack_file, path=path, rule_ids=tuple(want)), body,
                             message.name))
                continue
            lost = ", ".join(sorted(native.lost)) or "nothing"
            skipped.append(NativeSkip(pack_file.path, message.name, (
                f"as {message.name} it is {result.verdict} {got or '[]'}, the pack expects "
                f"{pack_file.verdict} {list(pack_file.rule_ids)} (not carried by the native "
                f"message: {lost})")))
    return kept, skipped


def native_manifest(doc: dict[str, Any], platform: Platform,
                    kept: Sequence[tuple[PackFile, bytes, str]],
                    skipped: Sequence[NativeSkip], rules_skipped: Sequence[Skipped],
                    sealing: Sealing | None = None) -> dict[str, Any]:
    """The manifest of a native pack: the canonical manifest's, for the native files."""
    files = [{**_entry(f), "native_message": m} for f, _, m in kept]
    sealed = {} if sealing is None else {
        "sealed_at": sealing.at.isoformat(timespec="seconds")}
    return {**doc, "platform": {"id": platform.id, "sha256": platform.sha256}, **sealed,
            "encodings": ["json"],
            "summary": {"files": len(files),
                        "conformant": sum(1 for f, _, _ in kept if not _own(f)),
                        "invalid": sum(1 for f, _, _ in kept if _own(f)),
                        "rules": len({_own(f)[0] for f, _, _ in kept if _own(f)}),
                        "not_native": len(skipped)},
            "skipped": [{"rule_id": s.rule_id, "message_types": list(s.message_types),
                         "reason": s.reason} for s in rules_skipped],
            "not_native": [{"path": s.path, "native_message": s.native_message,
                            "reason": s.reason} for s in skipped],
            "files": files}


def _sealed(doc: dict[str, Any], platform: Platform, sealing: Sealing, seen: set[str]
            ) -> bytes | None:
    """``doc`` sealed in its envelope (None: it is in no sealed envelope, e.g. a bare body);
    a request id already used in the pack is replaced by a fresh one."""
    env = next((e for e in platform.envelopes_of(doc) if e.security is not None), None)
    if env is None or env.security is None:
        return None
    rid = env.security.request_id
    if rid is not None:
        value = get_path(doc, rid)
        if isinstance(value, str | int) and str(value) in seen:
            doc = copy.deepcopy(doc)
            put(doc, "/" + rid.replace(".", "/"), "", create=False)
    out = seal(doc, env.security, sealing.keys.for_profile(platform.id), sealing.at)
    if rid is not None and get_path(out, rid) is not None:
        seen.add(str(get_path(out, rid)))
    return orjson.dumps(out, option=orjson.OPT_INDENT_2) + b"\n"


#: The info note a plaintext body in a sealed envelope gets.
NOTED = "envelope.seal@plaintext"


def _own(f: PackFile) -> list[str]:
    """The rule ids a file was made to break (not the notes its native message gets)."""
    return [r for r in f.rule_ids if r not in ("map.message@not-carried", NOTED)]


def _entry(f: PackFile) -> dict[str, Any]:
    return {"path": f.path, "message_type": f.message_type, "encoding": f.encoding,
            "verdict": f.verdict, "severity": f.severity, "rule_ids": list(f.rule_ids)}
