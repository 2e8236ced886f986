"""The private MkDocs names Frontline uses (``frontline.engine.mkdocs_private``) are pinned here, in MkDocs and in
ProperDocs: a release that changes one fails this test, so whoever upgrades checks Frontline's use of it (and then
pins the new hash) rather than shipping a build that differs without an error.

Each engine's source files are read, not imported: importing ProperDocs makes it stand in for ``mkdocs``."""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import inspect
from pathlib import Path

import pytest

from frontline.engine import mkdocs_private, render

# (module file, qualified name) → sha256 of its source, first 16 hex digits.
# Page.read_source and Page.render are pinned too: frontline.engine.render._OwnPage copies them (and reads
# Page._title_from_render, which render sets). LiveReloadServer's are what frontline.engine.serve's server that answers
# from a current kept folder during the first build relies on (its binding in __init__, serve, and the epochs that
# _build_loop and _serve_request hold pages by), and the rebuild a page not found in the page cache asks for
# (_rebuild_cond and _want_rebuild, made in __init__ and waited on in _build_loop).
PINNED = {
    "mkdocs": {
        "commands/build.py:_build_page": "80bd787698f06378",
        "commands/build.py:_populate_page": "be86da21e59ee8a7",
        "structure/pages.py:_RawHTMLPreprocessor": "9c801ad251fc0ce2",
        "structure/pages.py:_ExtractAnchorsTreeprocessor": "c6d1b6b52732f78a",
        "structure/pages.py:_RelativePathTreeprocessor": "041561b5867cd09a",
        "structure/pages.py:_ExtractTitleTreeprocessor": "9f2556920dd8641c",
        "structure/pages.py:Page.read_source": "9bbf4398fcd4d187",
        "structure/pages.py:Page.render": "463291cbd17a84bf",
        "structure/toc.py:get_toc": "63719c7cf63af5cc",
        "utils/meta.py:get_data": "661362456f283dba",
        "livereload/__init__.py:LiveReloadServer.__init__": "184ea78d7bc5687c",
        "livereload/__init__.py:LiveReloadServer.serve": "cecb36a82cb9b212",
        "livereload/__init__.py:LiveReloadServer._build_loop": "419f2b7fd806ae47",
        "livereload/__init__.py:LiveReloadServer._serve_request": "843c3770c18d8b26",
    },
    "properdocs": {
        "commands/build.py:_build_page": "0b2b8a76180617cb",
        "commands/build.py:_populate_page": "a1a410b3a0c08649",
        "structure/pages.py:_RawHTMLPreprocessor": "79deac181f19d694",
        "structure/pages.py:_ExtractAnchorsTreeprocessor": "99f19acd7dcdb3fa",
        "structure/pages.py:_RelativePathTreeprocessor": "c81fb9a8b912ef77",
        "structure/pages.py:_ExtractTitleTreeprocessor": "8838646784252994",
        "structure/pages.py:Page.read_source": "e58f194c2a4bfef6",
        "structure/pages.py:Page.render": "b0a40ee6d44c3031",
        "structure/toc.py:get_toc": "63719c7cf63af5cc",
        "utils/meta.py:get_data": "661362456f283dba",
        "livereload/__init__.py:LiveReloadServer.__init__": "184ea78d7bc5687c",
        "livereload/__init__.py:LiveReloadServer.serve": "cecb36a82cb9b212",
        "livereload/__init__.py:LiveReloadServer._build_loop": "419f2b7fd806ae47",
        "livereload/__init__.py:LiveReloadServer._serve_request": "843c3770c18d8b26",
    },
}

NAMES = [
    ("commands/build.py", "_build_page"),
    ("commands/build.py", "_populate_page"),
    ("structure/pages.py", "_RawHTMLPreprocessor"),
    ("structure/pages.py", "_ExtractAnchorsTreeprocessor"),
    ("structure/pages.py", "_RelativePathTreeprocessor"),
    ("structure/pages.py", "_ExtractTitleTreeprocessor"),
    ("structure/pages.py", "Page.read_source"),
    ("structure/pages.py", "Page.render"),
    ("structure/toc.py", "get_toc"),
    ("utils/meta.py", "get_data"),
    ("livereload/__init__.py", "LiveReloadServer.__init__"),
    ("livereload/__init__.py", "LiveReloadServer.serve"),
    ("livereload/__init__.py", "LiveReloadServer._build_loop"),
    ("livereload/__init__.py", "LiveReloadServer._serve_request"),
]


def _package_folder(engine: str) -> Path:
    spec = importlib.util.find_spec(engine)
    assert spec is not None and spec.submodule_search_locations, f"{engine} is not installed"
    return Path(next(iter(spec.submodule_search_locations)))


def _source(engine: str, module_file: str, qualname: str) -> str:
    text = (_package_folder(engine) / module_file).read_text(encoding="utf-8")
    scope: list[ast.stmt] = ast.parse(text).body
    node = None
    for part in qualname.split("."):
        node = next(
            (n for n in scope if isinstance(n, ast.FunctionDef | ast.ClassDef) and n.name == part),
            None,
        )
        assert node is not None, f"{engine}/{module_file}: {qualname} is gone"
        scope = node.body
    segment = ast.get_source_segment(text, node)
    assert segment is not None
    return segment


def _digest(engine: str, module_file: str, qualname: str) -> str:
    return hashlib.sha256(_source(engine, module_file, qualname).encode()).hexdigest()[:16]


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
@pytest.mark.parametrize(("module_file", "qualname"), NAMES)
def test_private_name_is_unchanged(engine: str, module_file: str, qualname: str) -> None:
    assert _digest(engine, module_file, qualname) == PINNED[engine][f"{module_file}:{qualname}"], (
        f"{engine} changed {qualname} ({module_file}): check frontline.engine.mkdocs_private's use of it, "
        "then pin the new hash"
    )


def test_the_engine_uses_the_running_engines_own_functions() -> None:
    """What the module exports is MkDocs' own object (the one the pinned source defines), not a copy."""
    from mkdocs.commands import build
    from mkdocs.structure import pages, toc
    from mkdocs.utils import meta

    assert mkdocs_private.build_page is build._build_page
    assert mkdocs_private.populate_page is build._populate_page
    assert mkdocs_private.RawHTMLPreprocessor is pages._RawHTMLPreprocessor
    assert mkdocs_private.ExtractAnchorsTreeprocessor is pages._ExtractAnchorsTreeprocessor
    assert mkdocs_private.RelativePathTreeprocessor is pages._RelativePathTreeprocessor
    assert mkdocs_private.ExtractTitleTreeprocessor is pages._ExtractTitleTreeprocessor
    assert mkdocs_private.get_toc is toc.get_toc
    assert mkdocs_private.get_data is meta.get_data


def test_the_pages_signatures_are_what_the_renderer_calls() -> None:
    """The calls in frontline.engine.render, by parameter name: a renamed or added parameter fails here first."""
    assert list(inspect.signature(mkdocs_private.populate_page).parameters)[:3] == ["page", "config", "files"]
    assert list(inspect.signature(mkdocs_private.build_page).parameters)[:5] == [
        "page",
        "config",
        "doc_files",
        "nav",
        "env",
    ]
    assert list(inspect.signature(mkdocs_private.ExtractAnchorsTreeprocessor).parameters) == ["file", "files", "config"]
    assert list(inspect.signature(mkdocs_private.RelativePathTreeprocessor).parameters) == ["file", "files", "config"]


def test_no_other_engine_module_names_a_private_mkdocs_name() -> None:
    """Only mkdocs_private imports them: an underscore name of mkdocs/properdocs anywhere else in the engine fails."""
    engine = Path(render.__file__).parent
    offenders = []
    for path in sorted(engine.glob("*.py")):
        if path.name == "mkdocs_private.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {  # names bound to an engine's module: `from mkdocs.structure import pages as mkdocs_pages`
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
            if (getattr(node, "module", None) or alias.name).split(".")[0] in ("mkdocs", "properdocs")
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in modules
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                offenders.append(f"{path.name}: {node.value.id}.{node.attr}")
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ("mkdocs", "properdocs"):
                offenders += [f"{path.name}: {a.name}" for a in node.names if a.name.startswith("_")]
                if any(part.startswith("_") for part in (node.module or "").split(".")):
                    offenders.append(f"{path.name}: {node.module}")
    assert offenders == []
