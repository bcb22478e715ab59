"""Throughput of native platform messages, measured in one run (noisy machines): a Jiangxi
``/lg/apply`` validated in its canonical form, as the platform's native message (mapped), and
as a sealed envelope (HMAC-SM3 signature checked, SM4 body decrypted, then mapped); and an XIB
``DlgOrderApply`` plain and sealed (SM3withSM2 signature, SM2-encrypted body); each in
payloads/s on one core, with the ratios. Never asserted in tests.

    .venv/bin/python -P benchmarks/bench_platform.py [--seconds 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from collections.abc import Callable
from pathlib import Path

import orjson

from hegui.validator.engine import Validator
from hegui.validator.envelope_security import seal
from hegui.validator.keys import load_keys
from hegui.validator.loader import load_spec
from hegui.validator.mapping import map_native
from hegui.validator.platform_loader import load_platform

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "specs/eguarantee/platforms/jiangxi-2.3.0/examples/valid/lg-apply.json"
XIB = ROOT / "specs/eguarantee/platforms/xib-1.0/examples/valid/dlg-order-apply.json"
KEYS = ROOT / "tests/data/keys/test-keys.json"


def rate(fn: Callable[[], object], seconds: float) -> float:
    """Calls per second of ``fn`` over about ``seconds``."""
    fn()
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn()
        n += 1
    return n / (time.perf_counter() - start)


def main() -> None:
    """Print the three rates and their ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    platform = load_platform("jiangxi-2.3.0")
    keys = load_keys(str(KEYS))
    assert keys is not None and platform.envelope is not None
    assert platform.envelope.security is not None
    now = dt.datetime.now(dt.UTC)
    spec = load_spec(platform.spec, platform.layer)
    body = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    native = json.dumps(body, ensure_ascii=False).encode()
    canonical = orjson.dumps(map_native(platform, body).doc)
    sealed = json.dumps(seal(body, platform.envelope.security, keys.for_profile(platform.id),
                             now)).encode()
    plain_v = Validator(spec)
    native_v = Validator(spec, platform=platform, keys=keys, now=now)
    for v, data in ((plain_v, canonical), (native_v, native), (native_v, sealed)):
        assert v.validate(data).verdict == "conformant"
    c = rate(lambda: plain_v.validate(canonical), args.seconds)
    n = rate(lambda: native_v.validate(native), args.seconds)
    s = rate(lambda: native_v.validate(sealed), args.seconds)
    print(f"canonical apply:           {c:8.0f} payloads/s")
    print(f"native Jiangxi /lg/apply:  {n:8.0f} payloads/s  ({c / n:.2f}x the canonical time)")
    print(f"sealed envelope:           {s:8.0f} payloads/s  ({n / s:.2f}x the native time)")
    xib = load_platform("xib-1.0")
    xsec = xib.envelopes["default"].security
    assert xsec is not None
    xbody = json.loads(XIB.read_text(encoding="utf-8"))
    xplain = json.dumps(xbody, ensure_ascii=False).encode()
    xsealed = json.dumps(seal(xbody, xsec, keys.for_profile(xib.id), now)).encode()
    xv = Validator(load_spec(xib.spec, xib.layer), platform=xib, keys=keys, now=now)
    xplain_v = Validator(load_spec(xib.spec, xib.layer), platform=xib, now=now)
    assert xplain_v.validate(xplain).verdict == xv.validate(xsealed).verdict == "conformant"
    xp = rate(lambda: xplain_v.validate(xplain), args.seconds)
    xs = rate(lambda: xv.validate(xsealed), args.seconds)
    print(f"native XIB DlgOrderApply:  {xp:8.0f} payloads/s")
    print(f"sealed with SM2:           {xs:8.0f} payloads/s  ({xp / xs:.2f}x the native time)")


if __name__ == "__main__":
    main()
