"""The engine's collection of files, made quicker for Frontline's thousands of excluded pages, gives MkDocs the same
pages, in the same order, and copies the same static files, for every inclusion test MkDocs asks with, under
either engine."""

from __future__ import annotations

import importlib

import pytest

from frontline.engine.own_files import answer_quicker


def _files(engine: str, tmp_path):
    files_module = importlib.import_module(f"{engine}.structure.files")
    docs, site = tmp_path / "docs", tmp_path / "site"
    docs.mkdir()
    levels = list(files_module.InclusionLevel)
    made = []
    for n in range(40):
        name = f"trang-{n}.md" if n % 3 else f"anh-{n}.css"
        (docs / name).write_text(f"tệp {n}", encoding="utf-8")
        file = files_module.File(name, str(docs), str(site), use_directory_urls=True)
        file.inclusion = levels[n % len(levels)]
        made.append(file)
    # Frontline's own pages are MkDocs' files whatever the engine, marked excluded but while rendered.
    from mkdocs.structure.files import File, InclusionLevel

    for n in range(10):
        own = File(f"stories/bai-{n}.md", str(docs), str(site), True, inclusion=InclusionLevel.EXCLUDED)
        if n == 3:
            own.inclusion = InclusionLevel.NOT_IN_NAV  # one being rendered
        made.append(own)
    return files_module, made, site


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_the_same_pages_and_static_files_as_the_engine_gives(engine, tmp_path):
    files_module, made, site = _files(engine, tmp_path)
    plain, quicker = files_module.Files(made), files_module.Files(made)
    answer_quicker(quicker)
    assert type(quicker) is not files_module.Files and isinstance(quicker, files_module.Files)
    level = files_module.InclusionLevel
    tests = [level.is_included, level.is_in_serve, level.is_excluded, level.all, level.is_in_nav, level.is_not_in_nav]
    for inclusion in tests:
        assert quicker.documentation_pages(inclusion=inclusion) == plain.documentation_pages(inclusion=inclusion)
    assert quicker.documentation_pages() == plain.documentation_pages()
    assert [f.src_uri for f in quicker.documentation_pages()] != []
    quicker.copy_static_files()
    copied = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    for path in site.rglob("*"):
        if path.is_file():
            path.unlink()
    plain.copy_static_files()
    assert copied == sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) != []
