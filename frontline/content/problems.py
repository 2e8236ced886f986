"""Problems found in content: collected, never raised one by one."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong in one file, told the way a reporter can act on it."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


class ContentError(Exception):
    """Raised once, at the end of loading, when any problem was found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(format_problems(self.problems))


def format_problems(problems: list[Problem]) -> str:
    """The human report: a heading, then one problem a line."""
    lines = [f"Nội dung có {len(problems)} lỗi, cần sửa trước khi xuất bản:"]
    lines.extend(f"  {problem}" for problem in sorted(problems))
    return "\n".join(lines)


def problems_as_json(problems: list[Problem]) -> str:
    """The machine report, for editors' tools."""
    return json.dumps([asdict(p) for p in sorted(problems)], ensure_ascii=False, indent=2)
