"""Compiled templates kept between builds: reused only when they were compiled from the same thing."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment, FileSystemLoader, pass_context

from frontline.engine import template_code
from frontline.engine.template_code import FOLDER_VARIABLE, TemplateCode, default_folder


class CountingEnvironment(Environment):
    """Counts the templates it compiles."""

    def __init__(self, templates: dict[str, str], code: TemplateCode, **options) -> None:
        super().__init__(loader=DictLoader(templates), **options)
        self.bytecode_cache = code
        self.compiled: list[str] = []

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        if not raw:
            self.compiled.append(name)
        return super().compile(source, name, filename, raw, defer_init)


def render(folder: Path | None, templates: dict[str, str], name: str = "page.html", **options) -> tuple[str, list[str]]:
    """Render ``name`` in a new environment (as each build makes), with a new cache on ``folder``."""
    environment = CountingEnvironment(templates, TemplateCode(folder), **options)
    return environment.get_template(name).render(title="Đà Nẵng"), environment.compiled


PAGES = {"base.html": "<h1>{% block title %}{% endblock %}</h1>", "page.html": "{% extends 'base.html' %}"}
PAGES["page.html"] += "{% block title %}{{ title }}{% endblock %}"


def test_a_later_build_runs_the_code_an_earlier_one_compiled(tmp_path):
    folder = tmp_path / "templates"
    first, compiled = render(folder, PAGES)
    assert (first, sorted(compiled)) == ("<h1>Đà Nẵng</h1>", ["base.html", "page.html"])
    assert len(list(folder.iterdir())) == 2
    again, compiled = render(folder, PAGES)
    assert (again, compiled) == (first, [])


def test_an_edited_template_is_compiled_again_and_shows_the_edit(tmp_path):
    folder = tmp_path / "templates"
    render(folder, PAGES)
    edited = {**PAGES, "base.html": "<h2>{% block title %}{% endblock %}</h2>"}
    html, compiled = render(folder, edited)
    assert (html, compiled) == ("<h2>Đà Nẵng</h2>", ["base.html"])


def shouting(code: TemplateCode, shout) -> CountingEnvironment:
    environment = CountingEnvironment({"page.html": "{{ title | shout }}"}, code)
    environment.filters["shout"] = shout
    return environment


@pass_context
def shout_with_context(context, value: str) -> str:
    return f"{value.upper()} ({context['title']})"


def test_code_is_not_reused_by_an_environment_that_compiles_it_otherwise(tmp_path):
    """Whether a filter is given the template's context is decided when compiling: code compiled for a
    plain filter would call one that wants the context without it."""
    folder = tmp_path / "templates"
    for shout, shown, compiles in [
        (str.upper, "ĐÀ NẴNG", True),
        (shout_with_context, "ĐÀ NẴNG (Đà Nẵng)", True),
        (str.upper, "ĐÀ NẴNG", False),
        (shout_with_context, "ĐÀ NẴNG (Đà Nẵng)", False),
    ]:
        environment = shouting(TemplateCode(folder), shout)
        assert environment.get_template("page.html").render(title="Đà Nẵng") == shown
        assert environment.compiled == (["page.html"] if compiles else [])
    _, compiled = render(folder, PAGES, trim_blocks=True)  # another syntax setting
    assert len(compiled) == 2


def test_code_compiled_without_escaping_is_not_run_where_templates_escape(tmp_path):
    folder = tmp_path / "templates"
    page = {"page.html": "<p>{{ title }}</p>"}
    for autoescape, shown in [(False, "<p><b></p>"), (lambda name: name.endswith(".html"), "<p>&lt;b&gt;</p>")]:
        environment = CountingEnvironment(page, TemplateCode(folder), autoescape=autoescape)
        assert environment.get_template("page.html").render(title="<b>") == shown
        assert environment.compiled == ["page.html"]


def test_the_same_template_in_another_project_names_its_own_file(tmp_path):
    """A template's errors name the file its compiled code says it came from."""
    folder = tmp_path / "templates"
    for project in ("a", "b"):
        (tmp_path / project).mkdir()
        (tmp_path / project / "page.html").write_text("{{ title }}", encoding="utf-8")
        environment = Environment(loader=FileSystemLoader(tmp_path / project))
        environment.bytecode_cache = TemplateCode(folder)
        assert environment.get_template("page.html").filename == str(tmp_path / project / "page.html")


def test_a_folder_others_can_write_to_is_not_used(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o777)
    html, _ = render(folder, PAGES)
    assert html == "<h1>Đà Nẵng</h1>"
    assert list(folder.iterdir()) == []
    _, compiled = render(folder, PAGES)
    assert len(compiled) == 2


def test_a_folder_that_cannot_be_made_leaves_templates_compiled_in_the_build(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    assert TemplateCode(blocked / "templates").folder is None
    assert render(blocked / "templates", PAGES)[0] == "<h1>Đà Nẵng</h1>"


def test_one_process_keeps_compiled_code_in_memory_without_a_folder():
    code = TemplateCode(None)
    for expected in (["base.html", "page.html"], []):
        environment = CountingEnvironment(PAGES, code)
        assert environment.get_template("page.html").render(title="Huế") == "<h1>Huế</h1>"
        assert sorted(environment.compiled) == expected


def test_the_oldest_entries_go_past_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(template_code, "MAX_ENTRIES", 4)
    folder = tmp_path / "templates"
    for number in range(5):
        render(folder, {"page.html": f"bản {number}"})
        newest = max(folder.iterdir(), key=lambda path: path.stat().st_mtime_ns)
        os.utime(newest, (number, number))  # written in that order, a second apart
    assert len(list(folder.iterdir())) == 2
    assert render(folder, {"page.html": "bản 4"})[1] == []
    assert render(folder, {"page.html": "bản 0"})[1] == ["page.html"]


def test_where_compiled_templates_are_kept(tmp_path):
    assert default_folder({FOLDER_VARIABLE: str(tmp_path)}) == tmp_path
    assert default_folder({FOLDER_VARIABLE: ""}) is None
    if sys.prefix != sys.base_prefix:
        assert default_folder({}) == Path(sys.prefix, "var", "cache", "frontline", "templates")
    else:
        assert default_folder({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "frontline" / "templates"


@pytest.fixture(autouse=True)
def _no_inherited_setting(monkeypatch):
    monkeypatch.delenv(FOLDER_VARIABLE, raising=False)
