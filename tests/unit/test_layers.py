"""The package's folders are its layers: each imports only from the layers below it, and only the engine
imports MkDocs. Read from the code's own import statements, so a new module cannot quietly break the order."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from tests.sites import REPO

PACKAGE = REPO / "frontline"

# Lowest first. The root modules (the command line, the Markdown extension named in mkdocs.yml) sit on top.
LAYERS = ["build", "content", "config", "views", "output", "deploy", "cms", "engine", ""]
ENGINES = {"mkdocs", "properdocs", "material"}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else ""


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "frontline":
                found += [(node.lineno, f"frontline.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return found


def _modules() -> list[tuple[Path, str]]:
    modules = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        modules.append((path, _layer(".".join(parts[:-1] if parts[-1] == "__init__" else parts) + ".x")))
    return modules


def test_the_layers_are_the_folders_the_readme_names():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == set(LAYERS) - {""}
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    for folder in folders:
        assert f"frontline/{folder}/" in readme, folder


def test_no_module_imports_from_a_layer_above_its_own():
    upward = []
    for path, own in _modules():
        for line, target in _imports(path):
            if not target.startswith("frontline.") or _layer(target + ".x") == "" and target.count(".") == 1:
                continue  # a library, or the package itself (its version, its folder)
            above = _layer(target if target.count(".") > 1 else target + ".x")
            if LAYERS.index(above) > LAYERS.index(own):
                where = f"{path.relative_to(PACKAGE.parent)}:{line}"
                upward.append(f"{where}: {own or 'root'} → {above or 'root'} ({target})")
    assert upward == []


def test_only_the_engine_imports_mkdocs():
    outside = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {target}"
        for path, own in _modules()
        if own != "engine"
        for line, target in _imports(path)
        if target.split(".")[0] in ENGINES
    ]
    assert outside == []


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    """The rule above would pass vacuously if the reading of imports were wrong: a content module importing
    a view is caught."""
    fake = tmp_path / "frontline"
    (fake / "content").mkdir(parents=True)
    (fake / "content" / "__init__.py").write_text("")
    (fake / "content" / "bad.py").write_text("from frontline.views.site import SiteView\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    try:
        test_no_module_imports_from_a_layer_above_its_own()
    except AssertionError as error:
        assert "content/bad.py:1: content → views" in str(error)
    else:
        raise AssertionError("an upward import went unseen")
