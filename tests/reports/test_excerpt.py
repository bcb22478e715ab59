"""Source excerpts around a finding's line."""

from __future__ import annotations

from hegui.reports.excerpt import HALF_WIDTH, excerpt, source_lines


def test_lines_around() -> None:
    src = b"a\nb\nc\nd\ne\nf\n"
    ex = excerpt(src, 3, 1)
    assert [(x.number, x.text, x.focus) for x in ex] == [
        (1, "a", False), (2, "b", False), (3, "c", True), (4, "d", False), (5, "e", False)]
    assert ex[2].caret == 0
    assert excerpt(source_lines(src), 3, 1) == ex


def test_unknown_or_past_the_end() -> None:
    assert excerpt(b"a\n", None) == ()
    assert excerpt(b"a\n", 0) == ()
    assert excerpt(b"a\n", 9) == ()


def test_lines_counted_like_parsers() -> None:
    """U+2028 and form feeds do not start lines; CRLF does, once."""
    src = "x\u2028y\r\nz\n".encode()
    ex = excerpt(src, 2)
    assert ex[1].text == "z" and ex[1].focus


def test_long_line_is_cut_around_the_column() -> None:
    line = "".join(chr(ord("a") + i % 26) for i in range(1000))
    ex = excerpt(line.encode(), 1, 500)
    text, caret = ex[0].text, ex[0].caret
    assert text.startswith("…") and text.endswith("…")
    assert len(text) == 2 * HALF_WIDTH + 2
    assert caret is not None and text[caret] == line[499]


def test_control_characters_and_bad_bytes_are_visible() -> None:
    ex = excerpt(b"a\x1b[2Jb\xff\tc", 1, 1)
    assert ex[0].text == "a\ufffd[2Jb\ufffd\tc"
