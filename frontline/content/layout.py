"""Where a project's content lives (``Layout``), in a module of its own that imports nothing of Frontline's: every
command reads the project's configuration before knowing what it will do, and should not import the loader to
do so."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


def is_absolute_path(written: str) -> bool:
    """Whether a path a person wrote starts from a root (``/``, ``\\``, a Windows drive), not from its own folder."""
    return written.startswith(("/", "\\")) or re.match(r"^[a-zA-Z]:", written) is not None


@dataclass(frozen=True, slots=True)
class Layout:
    """Where content lives. ``root`` is the project folder (where mkdocs.yml is)."""

    root: Path
    stories_dir: Path
    docs_dir: Path

    def __post_init__(self) -> None:
        for name in ("root", "stories_dir", "docs_dir"):  # resolved once, so lookups need no file system calls
            object.__setattr__(self, name, Path(getattr(self, name)).resolve())

    @property
    def campaigns_dir(self) -> Path:
        return self.docs_dir / "campaigns"

    @property
    def authors_file(self) -> Path:
        return self.stories_dir / "authors.yml"

    def display(self, path: Path) -> str:
        """``path`` relative to the project root (how problems name files)."""
        if not path.is_relative_to(self.root):
            path = path.resolve()
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else path.as_posix()

    @classmethod
    def for_project(cls, root: Path, stories: str = "stories", docs: str = "docs") -> Layout:
        return cls(root=root, stories_dir=root / stories, docs_dir=root / docs)
