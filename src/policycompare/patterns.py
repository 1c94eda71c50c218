"""Regular expressions shared by several stages (kept apart from the logic, textacy-style)."""

from __future__ import annotations

import re

#: A line that is only a date: ``2017年8月24日``, ``2017 年 11 月 27 日`` or
#: ``二〇一七年八月二十四日`` (zero also written ○ or O; a signature date).
DATE_LINE = re.compile(
    r"^(\d{4}|[〇○O零一二三四五六七八九]{4})\s*年\s*([\d一二三四五六七八九十]{1,3})\s*月\s*([\d一二三四五六七八九十]{1,3})\s*日$"
)

#: A deadline year: ``到2020年``, ``截至2020年``, ``2020年前`` / ``2020年底``.
DEADLINE = re.compile(r"(?:到|至|截至|截止到?)\s*(\d{4})\s*年|(\d{4})\s*年\s*(?:前|底|末|以前)")
