"""What every Frontline page depends on besides its own data: the site-wide part of cache keys."""

from __future__ import annotations

import hashlib
import posixpath
import re
from pathlib import Path
from typing import Any

import frontline
from frontline.build.versions import code_digest, folder_digest, installed_version
from frontline.config.project import config_chain
from frontline.content.sanitize import policy_digest
from frontline.views.site import SiteView

_PACKAGES = ("mkdocs", "properdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "babel")
_SEARCH_PACKAGES = ("jinja2", "pagefind", "pagefind_bin")
_MARKDOWN_LINK = re.compile(r"\]\(\s*<?([^)\s>#]+\.md)")


def engine_versions() -> list[list[str]]:
    """The versions of the libraries that shape every page (the engines, the theme, Markdown, Jinja)."""
    return [[name, installed_version(name)] for name in _PACKAGES]


def _nav_outline(items: Any) -> list[Any]:
    return [
        (item.title, getattr(item, "url", None), _nav_outline(getattr(item, "children", None) or [])) for item in items
    ]


def search_fingerprint(record_template: str) -> list[Any]:
    """What the search bundle depends on besides the stories: the record template's source, Frontline
    (records are folded by it), Jinja and Pagefind; not the page templates, so a design change does not
    index the archive again. Known before MkDocs gathers its files, so indexing can start first."""
    return [record_template, frontline.__version__, [(name, installed_version(name)) for name in _SEARCH_PACKAGES]]


def site_fingerprint(config: Any, nav: Any, files: Any, view: SiteView, own_pages: list[str], root: Path) -> list[Any]:
    """The config file, templates, theme and library versions, nav, the other pages'
    addresses, authors and campaigns: any change here re-renders every Frontline page. Not whether the build is a
    preview: a page's record says what a preview shows differently (drafts, the search page), so a preview reuses
    the production build's pages."""
    own = set(own_pages)
    return [
        code_digest(),
        engine_versions(),
        type(config).__module__.partition(".")[0],  # the engine building: mkdocs or properdocs (each page names it)
        policy_digest(),  # nh3's version too: pages cleaned by another are cleaned again
        [path.read_bytes().decode("utf-8", "replace") for path in config_chain(Path(config.config_file_path))],
        str(config.site_url),
        folder_digest(Path(config.theme.custom_dir) if config.theme.custom_dir else None),
        _hook_code(config.hooks or {}),
        _nav_outline(nav.items if nav is not None else []),
        sorted((f.src_uri, f.url) for f in files if f.is_documentation_page() and f.src_uri not in own),
        view.content.authors,
        view.campaigns,
        view.settings,
    ]


def _hook_code(hooks: Any) -> list[str]:
    """The Python files of each hook's folder (the hook, and a module it imports from beside it), by name and
    content, not where the project is (a cache shared between machines): a hook shapes pages as Frontline's own code
    does."""
    digests = []
    for folder in {Path(path).resolve().parent for path in hooks}:
        h = hashlib.blake2b(digest_size=16)
        for path in sorted(folder.glob("*.py")):
            h.update(f"{path.name}\0".encode())
            h.update(path.read_bytes())
        digests.append(h.hexdigest())
    return sorted(digests)


def body_link_targets(markdown: str, src_uri: str, files: Any) -> list[tuple[str, str | None]]:
    """Where the body's relative ``.md`` links point now: a renamed target changes the key."""
    targets = []
    base = posixpath.dirname(src_uri)
    for target in _MARKDOWN_LINK.findall(markdown):
        if "://" in target:
            continue
        path = posixpath.normpath(posixpath.join(base, target)) if not target.startswith("/") else target.lstrip("/")
        file = files.get_file_from_path(path)
        targets.append((target, file.url if file is not None else None))
    return targets
