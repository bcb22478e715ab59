"""``hegui specs show -m TYPE``: enough to write a message of that type by hand."""

from __future__ import annotations

from click.testing import CliRunner

from hegui.cli import cli


def _show(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["specs", "show", *args])
    return result.exit_code, result.output


def test_message_type_tree_says_what_this_type_requires() -> None:
    code, out = _show("eguarantee@1.0", "-m", "apply", "--lang", "en")
    assert code == 0
    lines = out.splitlines()
    assert ('  JSON: "messageType": "apply", "specVersion": "1.0" (both required; '
            '--message-type stands in for a body that names neither)') in lines
    assert '  XML: <apply xmlns="urn:hegui:spec:eguarantee:1.0">' in lines
    # The dictionary says optional; apply requires it (the example).
    order = next(x for x in lines if x.strip().startswith("guarantee.orderNo "))
    assert "(required)" in order
    assert "(excluded)" in next(x for x in lines if x.strip().startswith("guarantee.issuedAt "))
    deadline = next(x for x in lines if x.strip().startswith("project.bidDeadline "))
    assert deadline.endswith("— expected yyyy-MM-dd HH:mm:ss")
    assert "    examples/valid/apply.json" in lines
    assert any(x.startswith("    examples/invalid/EG-001/") for x in lines)
    assert "EG-001 [error]" in out


def test_message_type_tree_in_chinese_has_no_english_words_for_uses() -> None:
    code, out = _show("eguarantee@1.0", "-m", "apply")
    assert code == 0 and "(必填)" in out and "(不出现)" in out
    assert "(required)" not in out and "(excluded)" not in out


def test_unknown_message_type_is_a_usage_error_naming_the_valid_ones() -> None:
    code, out = _show("eguarantee", "-m", "nope")
    assert code == 2 and "applyResult" in out


def test_rules_of_the_core_list_the_profile_layers_rules_with_their_scope() -> None:
    code, out = _show("eguarantee@1.1", "--part", "rules", "--lang", "en")
    assert code == 0
    assert "EG-035 [error] Successful refund carries the completion time (profile epoint)" in out
    assert "Profiles: epoint, jiangxi, manyan, quanzhou, xib" in out
    code, layered = _show("eguarantee@1.1", "--profile", "xib", "--part", "rules", "--lang", "en")
    assert code == 0 and "EG-037" in layered and "EG-035" not in layered
