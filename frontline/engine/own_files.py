"""MkDocs' collection of files, answering its two whole-collection questions (which files are pages, which static
files to copy) without asking each of Frontline's thousands of pages: MkDocs asks six times a build, over every
story and listing, and most of a rebuild's files are those pages, all excluded from MkDocs' own loop."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from mkdocs.structure.files import File, InclusionLevel

_EXCLUDED = InclusionLevel.EXCLUDED
"""What Frontline marks its own pages (``File.inclusion``) but while it renders one."""
Inclusion = Callable[[Any], bool]
_INCLUDED: Inclusion = InclusionLevel.is_included  # MkDocs' default


@functools.cache
def _quicker(files_class: type) -> type:
    class QuickerFiles(files_class):  # type: ignore[misc,valid-type]
        def documentation_pages(self, *, inclusion: Inclusion = _INCLUDED) -> Sequence[File]:
            if inclusion(_EXCLUDED):  # an excluded file is asked for: every file is
                return super().documentation_pages(inclusion=inclusion)
            # The same answer as MkDocs': an excluded file is left out whatever its name.
            return [
                file
                for file in self
                if file.inclusion is not _EXCLUDED and file.is_documentation_page() and inclusion(file.inclusion)
            ]

        def copy_static_files(self, dirty: bool = False, *, inclusion: Inclusion = _INCLUDED) -> None:
            if inclusion(_EXCLUDED):
                return super().copy_static_files(dirty, inclusion=inclusion)
            for file in self:
                if file.inclusion is not _EXCLUDED and not file.is_documentation_page() and inclusion(file.inclusion):
                    file.copy_file(dirty)
            return None

    QuickerFiles.__name__ = QuickerFiles.__qualname__ = f"Quicker{files_class.__name__}"
    return QuickerFiles


def answer_quicker(files: Any) -> None:
    """Make ``files`` (the engine's ``Files``, MkDocs' or ProperDocs') answer those questions without asking each
    excluded file, with the same answers."""
    if not isinstance(type(files), type) or type(files).__name__.startswith("Quicker"):
        return
    files.__class__ = _quicker(type(files))
