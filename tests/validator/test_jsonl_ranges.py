"""JSON Lines split into byte ranges (validator.jsonl_ranges) give exactly the payloads the
serial reader gives: the same lines, numbers, skipped blank lines, over-long lines and the
"holds no payload" error, whatever the line ends (LF, CR LF, lone CR), the range size and
where the ranges fall (Hypothesis, against :func:`inputs.expand` as the oracle)."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from hegui.validator.inputs import expand, expand_units
from hegui.validator.jsonl_ranges import JsonlRange, payloads_of
from hegui.validator.limits import DEFAULT_LIMITS

LIMITS = dataclasses.replace(DEFAULT_LIMITS, max_jsonl_line_bytes=12)

_LINE = st.sampled_from([b'{"a":1}', b"", b"  ", b"\t", b'{"b":"xyz"}', b"x" * 20, b" " * 15,
                         b'{"c":[1,2,3,4,5,6]}', b"[]"])
_END = st.sampled_from([b"\n", b"\r\n", b"\r"])


@st.composite
def jsonl_bytes(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(st.tuples(_LINE, _END), max_size=30))
    body = b"".join(line + end for line, end in lines)
    if draw(st.booleans()):
        body += draw(_LINE)  # a last line without a line end
    return body


def _serial(path: Path) -> list[tuple[str, bytes, str | None]]:
    return [(p.source, p.data, p.read_error and p.read_error.en)
            for p in expand([str(path)], LIMITS)]


@settings(max_examples=300, deadline=None)
@given(jsonl_bytes(), st.integers(min_value=1, max_value=64))
def test_ranges_give_the_serial_payloads(data: bytes, size: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.jsonl"
        path.write_bytes(data)
        units = list(expand_units([str(path)], LIMITS, range_bytes=size))
        got = [(p.source, p.data, p.read_error and p.read_error.en)
               for p in payloads_of(units, LIMITS)]
        assert got == _serial(path)
        ranges = [u for u in units if isinstance(u, JsonlRange)]
        # the ranges tile the file, in order
        assert [r.start for r in ranges[1:]] == [r.end for r in ranges[:-1]]
        if ranges:
            assert ranges[0].start == 0 and ranges[-1].end == len(data)


def test_a_long_file_is_cut_into_many_ranges(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    path.write_bytes(b"".join(b'{"n":%d}\n' % i for i in range(5000)))
    units = list(expand_units([str(path)], DEFAULT_LIMITS, range_bytes=4096))
    assert len(units) > 10 and all(isinstance(u, JsonlRange) for u in units)
    payloads = list(payloads_of(units, DEFAULT_LIMITS))
    assert [p.source for p in payloads] == [f"{path}:{i + 1}" for i in range(5000)]


def test_a_file_that_vanishes_is_a_read_error(tmp_path: Path) -> None:
    path = tmp_path / "gone.jsonl"
    path.write_bytes(b'{"a":1}\n')
    (unit,) = expand_units([str(path)], DEFAULT_LIMITS, range_bytes=1024)
    path.unlink()
    (payload,) = payloads_of([unit], DEFAULT_LIMITS)
    assert payload.read_error is not None and payload.source == str(path)
    assert "same path on every worker" in payload.read_error.en
    assert "同一路径" in payload.read_error.zh
