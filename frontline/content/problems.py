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
    warning: bool = False
    """Worth a look but not wrong (a story dated outside its campaign): reported, never stops a build."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {'cảnh báo: ' if self.warning else ''}{self.message}"


def errors(problems: list[Problem]) -> list[Problem]:
    """The problems that stop a build (every one but the warnings)."""
    return [problem for problem in problems if not problem.warning]


class ContentError(Exception):
    """Raised once, at the end of loading, when any problem was found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(format_problems(self.problems))


def format_problems(problems: list[Problem]) -> str:
    """The human report: a heading, then one problem a line."""
    wrong = errors(problems)
    lines = [f"Nội dung có {len(wrong)} lỗi, cần sửa trước khi xuất bản:"] if wrong else []
    lines.extend(f"  {problem}" for problem in sorted(wrong))
    warnings = sorted(problem for problem in problems if problem.warning)
    if warnings:
        lines.append(f"{len(warnings)} cảnh báo (không chặn xuất bản):")
        lines.extend(f"  {problem}" for problem in warnings)
    return "\n".join(lines)


def problems_as_json(problems: list[Problem]) -> str:
    """The machine report, for editors' tools."""
    return json.dumps([asdict(p) for p in sorted(problems)], ensure_ascii=False, indent=2)
