"""Inline patterns and block tests scanned only where they can match: the HTML is Python-Markdown's, to the byte."""

from __future__ import annotations

import random

import markdown
import pytest
import yaml

from frontline.content.inline_scan import BLOCK_EXPRESSIONS, BLOCK_NEEDED, NEEDED, scan_only_where_patterns_can_match
from frontline.content.loader import Layout, load_content
from tests.sites import REPO

DEFAULTS = ["toc", "tables", "fenced_code"]  # MkDocs' own, what a site without markdown_extensions gets

# Every character an inline pattern or block test of Python-Markdown (and the demo's extensions) looks for,
# letters and Vietnamese ones, spaces and line ends: random texts over it hit every pattern, and miss it.
PIECES = list("*_`[]()!<>&\\#;:/@\"'=^~|.-{}") + [
    "  \n",
    "\n",
    "\n\n",
    " ",
    "  ",
    "a",
    "Đà",
    "nẵng",
    "x1",
    "http://vn.example/a",
    "ai@vn.example",
    "&amp;",
    "&#39;",
    "<b>",
    "</b>",
    "<!-- c -->",
    "[^1]",
    "[^1]: chú thích",
    "*[CĐC]: Chốt kiểm dịch",
    "```",
    "    ",
    "![",
    "](",
    "**",
    "__",
    "\\`",
    "{: #neo }",
    "> ",
    "# ",
    "### ",
    "---",
    "- - -",
    "***",
    "___",
    "[a]: http://vn.example/a",
    "[a]:",
]


def _demo_extensions() -> tuple[list, dict]:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    names, configs = [], {}
    for entry in config["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        names.append(name)
        if options:
            configs[name] = options
    return names, configs


def _converters(extensions: list, configs: dict) -> tuple[markdown.Markdown, markdown.Markdown]:
    plain = markdown.Markdown(extensions=extensions, extension_configs=configs)
    scanned = markdown.Markdown(extensions=extensions, extension_configs=configs)
    # code, links, images, escapes, <…>, &…; quotes, headings, rules, link references
    assert scan_only_where_patterns_can_match(scanned) >= 12
    return plain, scanned


def _random_texts(count: int) -> list[str]:
    chance = random.Random(20210515)
    return ["".join(chance.choices(PIECES, k=chance.randint(1, 60))) for _ in range(count)]


@pytest.mark.parametrize("setting", ["defaults", "demo"])
def test_random_markdown_converts_the_same_with_and_without_the_skipped_scans(setting):
    extensions, configs = (DEFAULTS, {}) if setting == "defaults" else _demo_extensions()
    plain, scanned = _converters(extensions, configs)
    differing = []
    for text in _random_texts(4000):
        expected = plain.reset().convert(text)
        if scanned.reset().convert(text) != expected:
            differing.append(text)
    assert differing == []


def test_every_demo_story_converts_the_same_with_and_without_the_skipped_scans():
    content, problems = load_content(Layout.for_project(REPO), iframe_hosts=())
    assert not problems and len(content.stories) >= 24
    plain, scanned = _converters(*_demo_extensions())
    for story in content.stories:
        assert scanned.reset().convert(story.body) == plain.reset().convert(story.body), story.url


def test_the_skip_happens_only_when_the_needed_text_is_absent():
    plain, scanned = _converters(DEFAULTS, {})
    code = next(p for p in scanned.inlinePatterns if p.compiled_re.pattern == markdown.inlinepatterns.BACKTICK_RE)
    assert list(code.getCompiledRegExp().finditer("không có mã nào ở đây")) == []
    text = "gõ `lệnh` rồi `khác`"
    found = code.getCompiledRegExp().finditer(text, 5)  # from where it was asked, as re does
    assert [match.start() for match in found] == [at for at, c in enumerate(text) if c == "`" and at >= 5]
    assert list(code.getCompiledRegExp().finditer(text, 5, 8)) == []  # and up to where
    assert code.getCompiledRegExp().match("`a`").group() == "`"  # the rest is the regex's own
    # Python-Markdown 3.11's expressions: a change to one leaves its pattern unskipped, and this says so.
    listed = {p.compiled_re.pattern for p in scanned.inlinePatterns if p.compiled_re.pattern in NEEDED}
    assert listed == set(NEEDED)


def test_a_block_test_is_skipped_only_when_the_needed_text_is_absent():
    plain, scanned = _converters(DEFAULTS, {})
    quote = scanned.parser.blockprocessors["quote"]
    assert quote.RE.search("không có trích dẫn nào") is None
    text = "dòng đầu\n> trích dẫn\n> tiếp"
    assert quote.RE.search(text).start() == plain.parser.blockprocessors["quote"].RE.search(text).start()
    assert quote.RE.search(text, 15) is not None and quote.RE.search(text, 0, 8) is None  # from and up to where
    assert quote.RE.match("> a").group(2) == "a"  # the rest is the regex's own
    expressions = [
        getattr(processor, name, None) for processor in scanned.parser.blockprocessors for name in BLOCK_EXPRESSIONS
    ]
    listed = {getattr(regex, "pattern", None) for regex in expressions} & set(BLOCK_NEEDED)
    assert listed == set(BLOCK_NEEDED)  # Python-Markdown 3.11's expressions, as for the inline patterns
