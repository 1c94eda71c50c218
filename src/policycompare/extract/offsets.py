"""Character offsets -> tasks."""

from __future__ import annotations

import bisect


class TaskIndex:
    """Finds the task whose span holds a character offset (tasks do not overlap).

    Examples:
        >>> index = TaskIndex([{"task_id": "p:1", "char_start": 0, "char_end": 5}])
        >>> index.at(3)["task_id"], index.at(7)
        ('p:1', None)
    """

    def __init__(self, tasks: list[dict]) -> None:
        self._tasks = sorted(tasks, key=lambda t: t["char_start"])
        self._starts = [t["char_start"] for t in self._tasks]

    def at(self, pos: int) -> dict | None:
        i = bisect.bisect_right(self._starts, pos) - 1
        return self._tasks[i] if i >= 0 and pos < self._tasks[i]["char_end"] else None
