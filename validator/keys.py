"""Keys for platform envelopes, from a key file (``--keys FILE`` or ``$HEGUI_KEYS``).

The file is JSON: ``appKey``, ``appSecret``, ``sm4Key`` and ``sm4Iv`` (32 hex digits each),
``sm2PublicKey``, ``sm2PrivateKey`` (hex or PEM text), and any other member a profile's
scheme names (e.g. ``sm2PeerPublicKey``); optionally ``profiles: {<id>: {...}}`` with the same
members per platform profile. A key never appears in any output: :class:`Keys`
prints as its member names only, and every error names the member and the file, not the value.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from hegui.validator.errors import UsageError

#: The environment variable naming the key file when ``--keys`` is not given.
ENV = "HEGUI_KEYS"
MEMBERS = ("appKey", "appSecret", "sm4Key", "sm4Iv", "sm2PublicKey", "sm2PrivateKey")
_HEX32 = ("sm4Key", "sm4Iv")


@dataclass(frozen=True)
class Keys:
    """The key material of one run (for one profile: :meth:`for_profile`)."""

    values: Mapping[str, str] = field(default_factory=dict, repr=False)
    profiles: Mapping[str, Mapping[str, str]] = field(default_factory=dict, repr=False)
    source: str = ""

    def __repr__(self) -> str:
        return f"Keys({', '.join(sorted(self.values))} from {self.source or '-'})"

    __str__ = __repr__

    def for_profile(self, profile: str) -> Keys:
        """The keys for platform profile ``profile`` (its own members over the shared)."""
        own = self.profiles.get(profile, {})
        return Keys({**self.values, **own}, {}, self.source)

    def get(self, name: str) -> str | None:
        """The member ``name``, or None."""
        return self.values.get(name)

    def secrets(self) -> list[str]:
        """Every key value (for tests that search outputs for leaked key material)."""
        out = [v for v in self.values.values() if v]
        out += [v for p in self.profiles.values() for v in p.values() if v]
        return out


def load_keys(path: str | None) -> Keys | None:
    """The key file ``path`` (or ``$HEGUI_KEYS``), or None when neither is given."""
    path = path or os.environ.get(ENV) or None
    if path is None:
        return None
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"无法读取密钥文件 {path} / cannot read the key file {path}: "
                         f"{exc.strerror or type(exc).__name__}") from None
    except ValueError:
        raise UsageError(f"密钥文件 {path} 不是 JSON / the key file {path} is not JSON") from None
    if not isinstance(doc, dict):
        raise UsageError(f"密钥文件 {path} 应为 JSON 对象 / the key file {path} must be a JSON "
                         "object")
    shared = _members(doc, path, "")
    profiles = doc.get("profiles", {})
    if not isinstance(profiles, dict):
        raise UsageError(f"{path}: profiles 应为对象 / profiles must be an object")
    return Keys(shared, {pid: _members(v, path, f"profiles.{pid}.")
                         for pid, v in profiles.items()}, path)


def _members(doc: object, path: str, where: str) -> dict[str, str]:
    if not isinstance(doc, dict):
        raise UsageError(f"{path}: {where or '(top)'} 应为对象 / must be an object")
    out: dict[str, str] = {}
    for name, value in doc.items():
        if (name == "profiles" and not where) or name.startswith("_"):
            continue  # per-profile members; comments
        if not isinstance(value, str):
            raise UsageError(f"{path}: {where}{name} 应为字符串 / must be a string")
        if name in _HEX32 and not (len(value) == 32 and all(
                c in "0123456789abcdefABCDEF" for c in value)):
            raise UsageError(f"{path}: {where}{name} 应为 32 位十六进制数 / must be 32 hex "
                             "digits (16 bytes)")
        if name.startswith("sm2") and name.endswith("Key") and value:
            _sm2_member(name, value, path, where)
        out[name] = value
    return out


def _sm2_member(name: str, value: str, path: str, where: str) -> None:
    """An SM2 key member must parse (the message names the problem, never the key)."""
    from hegui.validator.gm_crypto import CryptoError
    from hegui.validator.sm2 import load_key

    try:
        if "Private" in name:
            load_key(private=value)
        else:
            load_key(public=value)
    except CryptoError as exc:
        raise UsageError(f"{path}: {where}{name} 不是可用的 SM2 密钥 / is not a usable SM2 key: "
                         f"{exc}") from None
