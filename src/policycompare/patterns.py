"""Regular expressions shared by several stages (kept apart from the logic, textacy-style)."""

from __future__ import annotations

import re

#: A line that is only a date: ``2017年8月24日`` or ``二〇一七年八月二十四日`` (a signature date).
DATE_LINE = re.compile(
    r"^(\d{4}|[〇零一二三四五六七八九]{4})年([\d一二三四五六七八九十]{1,3})月([\d一二三四五六七八九十]{1,3})日$"
)

#: A deadline year: ``到2020年``, ``截至2020年``, ``2020年前`` / ``2020年底``.
DEADLINE = re.compile(r"(?:到|至|截至|截止到?)\s*(\d{4})\s*年|(\d{4})\s*年\s*(?:前|底|末|以前)")
