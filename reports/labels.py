"""Bilingual (zh/en) words of the human-readable reports: headings, verdicts, severities, facets.

Kept in one table so the text, Markdown and HTML renderers say the same thing in the same words.
"""

from __future__ import annotations

from hegui.validator.spec import Lang, Text

#: key -> (zh, en)
_LABELS: dict[str, tuple[str, str]] = {
    "report_title": ("合规检查报告", "Compliance report"),
    "conformant": ("符合", "conformant"),
    "nonconformant": ("不符合", "nonconformant"),
    "error": ("无法评估", "error"),
    "sev_error": ("错误", "error"),
    "decrypted": ("解密后的", "in the decrypted"),
    "sev_warning": ("警告", "warning"),
    "sev_info": ("提示", "info"),
    "spec": ("规范", "Spec"),
    "platform": ("平台配置", "Platform profile"),
    "native_message": ("平台报文", "Native message"),
    "standard_number": ("标准号", "Standard number"),
    "unknown": ("未知", "unknown"),
    "version": ("版本", "Version"),
    "content_sha256": ("内容哈希 (SHA-256)", "Content hash (SHA-256)"),
    "spec_changed": ("注意：当前加载的规范内容与生成结果时不同（SHA-256 {sha}）",
                     "Note: the spec loaded now differs from the one the result was made with "
                     "(SHA-256 {sha})"),
    "tool": ("工具", "Tool"),
    "started_at": ("开始时间", "Started at"),
    "options": ("选项", "Options"),
    "inputs": ("输入", "Inputs"),
    "input_count": ("输入数量", "Inputs"),
    "source": ("来源", "Source"),
    "verdict": ("结论", "Verdict"),
    "summary": ("结论汇总", "Verdict summary"),
    "unchecked": ("未检查", "Not checked"),
    "total": ("合计", "Total"),
    "count": ("数量", "Count"),
    "rules": ("规则", "Rules"),
    "rule": ("规则", "Rule"),
    "severity": ("严重程度", "Severity"),
    "title": ("名称", "Title"),
    "basis": ("依据", "Basis"),
    "failed": ("未通过的报文数", "Payloads failed"),
    "reached": ("评估到的报文数", "Payloads reached"),
    "coverage": ("规则覆盖", "Rule coverage"),
    "cov_exercised": ("已覆盖", "exercised"),
    "cov_failed_only": ("只失败过", "failed only"),
    "cov_passed_only": ("只通过过", "passed only"),
    "cov_never_reached": ("从未评估", "never reached"),
    "cov_structural": ("结构检查", "structural"),
    "aggregate": ("按规则汇总", "Findings by rule"),
    "payloads": ("报文", "Payloads"),
    "findings": ("问题", "Findings"),
    "no_findings": ("没有问题。", "No findings."),
    "location": ("位置", "Location"),
    "line_col": ("行:列", "Line:col"),
    "message": ("说明", "Message"),
    "value": ("值", "Value"),
    "message_type": ("报文类型", "Message type"),
    "encoding": ("编码", "Encoding"),
    "reason": ("原因", "Reason"),
    "excerpt": ("原文片段", "Source excerpt"),
    "payload_count": ("{n} 个报文", "{n} payload(s)"),
    "payloads_shown": ("共 {total} 个报文，此处只详列其中前 {shown} 个不合规或无法判定的报文；"
                       "其余 {rest} 个只计入汇总和规则统计",
                       "{total} payloads: details are shown for the first {shown} that are "
                       "nonconformant or could not be evaluated; the other {rest} are counted in "
                       "the summary and the rule table only"),
    "summary_line": ("{total} 个输入：{conformant} 个符合，{nonconformant} 个不符合，"
                     "{error} 个无法评估",
                     "{total} input(s): {conformant} conformant, {nonconformant} nonconformant, "
                     "{error} error"),
    "none": ("无", "none"),
}

#: Structural facet (docs/spec-format.md, "Structural rule ids") -> (zh, en) description.
_FACETS: dict[str, tuple[str, str]] = {
    "parse": ("无法解析", "cannot be parsed"),
    "duplicate-key": ("键重复", "duplicate key"),
    "encoding": ("字符编码错误", "bad character encoding"),
    "limit": ("超出安全限制", "exceeds a safety limit"),
    "root": ("根元素错误", "wrong root element"),
    "required": ("缺少必填项", "required but missing"),
    "unexpected": ("不应出现", "not expected here"),
    "type": ("类型错误", "wrong type"),
    "pattern": ("格式不符", "does not match the pattern"),
    "length": ("长度不符", "wrong length"),
    "minLength": ("过短", "too short"),
    "maxLength": ("过长", "too long"),
    "enum": ("不在代码表中", "not in the code list"),
    "digits": ("位数过多", "too many digits"),
    "scale": ("小数位数不符", "wrong number of decimals"),
    "minimum": ("小于最小值", "below the minimum"),
    "maximum": ("大于最大值", "above the maximum"),
    "minItems": ("条目过少", "too few items"),
    "maxItems": ("条目过多", "too many items"),
    "date": ("日期无效", "not a valid date"),
    "check-digit": ("校验码错误", "wrong check digit"),
    "birth-date": ("出生日期无效", "invalid birth date"),
    "region": ("行政区划代码无效", "unknown region code"),
    "uppercase": ("大写金额不一致", "uppercase amount differs"),
}


def label(key: str, lang: Lang, **values: object) -> str:
    """The word for ``key`` in ``lang``, with ``{name}`` placeholders filled from ``values``."""
    zh, en = _LABELS[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text


def verdict_label(verdict: str, lang: Lang) -> str:
    """``conformant`` / ``nonconformant`` / ``error`` in ``lang``."""
    return label(verdict, lang)


def severity_label(severity: str, lang: Lang) -> str:
    """``error`` / ``warning`` / ``info`` in ``lang``."""
    return label(f"sev_{severity}", lang)


def facet_text(facet: str) -> Text:
    """What a structural facet means, in both languages (the facet itself when unknown)."""
    zh, en = _FACETS.get(facet, (facet, facet))
    return Text(zh=zh, en=en)
