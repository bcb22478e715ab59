"""Errors of the reports package. Both are CLI-facing and exit with code 2."""

from __future__ import annotations

import errno

from hegui.validator.errors import HeguiError, UsageError
from hegui.validator.spec import Lang, Text


class ResultFileError(UsageError):
    """A saved ``hegui-result`` JSON document cannot be read; the message says what is wrong."""


#: Why a write failed, in Chinese, for the errors a report destination commonly meets.
_WRITE_ERRNO_ZH = {
    errno.EACCES: "没有写入权限", errno.EPERM: "不允许的操作", errno.EROFS: "只读文件系统",
    errno.ENOENT: "文件夹不存在", errno.ENOTDIR: "路径中有一级不是文件夹",
    errno.EISDIR: "目标是文件夹", errno.ENOSPC: "磁盘空间不足",
    errno.ENAMETOOLONG: "文件名过长", errno.EIO: "输入输出错误",
}


class ReportWriteError(HeguiError):
    """A rendered report cannot be written to its destination.

    ``text`` says so in both languages; the message (``str``) is in ``lang``.
    """

    def __init__(self, text: Text, lang: Lang = "zh") -> None:
        self.text = text
        self.lang = lang
        super().__init__(text.get(lang))

    @classmethod
    def of(cls, fmt: str, path: str, exc: OSError, lang: Lang = "zh") -> ReportWriteError:
        """The error of writing the ``fmt`` report to ``path`` that failed with ``exc``."""
        en = exc.strerror or str(exc)
        name = errno.errorcode.get(exc.errno or 0, "")
        zh = _WRITE_ERRNO_ZH.get(exc.errno or 0) or f"操作系统错误 {name or exc.errno}"
        return cls(Text(zh=f"无法将 {fmt} 报告写入 {path}：{zh}",
                        en=f"cannot write {fmt} report to {path}: {en}"), lang)
