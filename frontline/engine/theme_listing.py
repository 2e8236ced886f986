"""A theme environment whose template listing leaves hidden folders out.

To find a theme's static files MkDocs lists every template (``Files.add_files_from_theme``) and then refuses any
path with a hidden part, so walking Material's thousands of icons under ``.icons/`` is wasted time at the start of
every build and preview rebuild. Not walking hidden folders finds the same files; loading a template (an icon
included by name) is unchanged."""

from __future__ import annotations

import os
from typing import Any

from jinja2 import Environment, FileSystemLoader

_WRAPPED = "_frontline_visible_listing"
"""Marks a theme whose ``get_env`` is already wrapped (``mkdocs serve`` may hand over the same theme again)."""


class VisibleTemplateLoader(FileSystemLoader):
    """A ``FileSystemLoader`` whose ``list_templates`` leaves out hidden files and folders."""

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for searchpath in self.searchpath:
            for folder, subfolders, names in os.walk(searchpath, followlinks=self.followlinks):
                subfolders[:] = [name for name in subfolders if not name.startswith(".")]
                for name in names:
                    if name.startswith("."):
                        continue
                    # As FileSystemLoader names a template: its path under the search path, with "/".
                    template = os.path.join(folder, name)[len(searchpath) :].strip(os.path.sep)
                    template = template.replace(os.path.sep, "/")
                    found.add(template[2:] if template[:2] == "./" else template)
        return sorted(found)


def list_visible_templates(theme: Any) -> None:
    """Make ``theme.get_env()`` give environments that load templates as before but list only visible ones."""
    if getattr(theme, _WRAPPED, False):
        return
    make_env = theme.get_env

    def get_env() -> Environment:
        env = make_env()
        plain = env.loader
        if type(plain) is FileSystemLoader:  # a theme that builds its own loader keeps it
            env.loader = VisibleTemplateLoader(plain.searchpath, encoding=plain.encoding, followlinks=plain.followlinks)
        return env

    theme.get_env = get_env
    setattr(theme, _WRAPPED, True)
