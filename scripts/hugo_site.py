#!/usr/bin/env python3
"""Make a Hugo project of a Frontline corpus, the bench's reference site (issue 27).

    .venv/bin/python scripts/hugo_site.py CORPUS OUT

reads a Frontline project made by ``scripts/gen_corpus.py`` (``stories/``, ``stories/authors.yml``,
``docs/campaigns/``, ``docs/images/``) and writes into OUT a Hugo project that renders the same page set with
minimal templates of its own (``scripts/bench/hugo/``): story pages at Frontline's addresses, the home page,
campaign pages and their index, the places, units, authors, topics and archive listings (index and term pages,
paginated as Frontline's are), and the feeds (RSS and Atom for the site, each campaign and each place, author
and topic; JSON Feed for the site; each campaign's timeline as JSON). Story bodies are handed to Hugo as they
are written: Hugo's own Markdown (goldmark) renders them. ``page_set`` sorts a built site's files into the
kinds both sites publish, so the bench can show that the two page sets match.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from frontline.content import urls
from frontline.content.slugs import slugify_vi

TEMPLATES = Path(__file__).resolve().parent / "bench" / "hugo"
"""The Hugo site's configuration (``hugo.yaml``) and layouts, copied into each project."""
MARKER = ".bench-hugo"
"""Written into a project this module made; only such a folder (or an empty one) is replaced."""
VIETNAM = dt.timezone(dt.timedelta(hours=7))
"""Frontline reads a date without an offset as Vietnam time; the Hugo project is given every date with one."""
TAXONOMIES = {"author": "authors", "place": "places", "unit": "units", "topic": "topics", "month": "archive"}
"""Hugo taxonomy (singular → plural, the plural being the URL folder) for each of Frontline's section kinds."""
assert set(TAXONOMIES.values()) == set(urls.SECTION_ROOTS.values())
FEED_KINDS = {"authors", "places", "topics"}
"""Taxonomies whose terms have feeds, as Frontline's (``FEED_SECTION_KINDS``); units and months have none."""
CAMPAIGN_STORIES = "campaign-stories"
"""A taxonomy grouping each campaign's stories for the campaign pages; its own pages are never rendered."""
TERM_FEEDS = ["HTML", "RSS", "Atom"]
TERM_PLAIN = ["HTML"]


@dataclass
class Converted:
    """What ``convert`` wrote: counts of each kind of content file."""

    stories: int = 0
    drafts: int = 0
    campaigns: int = 0
    terms: Counter = field(default_factory=Counter)
    """Term pages (``_index.md``) per taxonomy plural."""


def front_matter(text: str) -> tuple[dict, str]:
    """(front matter, body) of a Markdown file written as ``---`` YAML ``---`` body."""
    if not text.startswith("---\n"):
        return {}, text
    head, _, body = text[4:].partition("\n---\n")
    return yaml.safe_load(head) or {}, body


def moment(value: object) -> dt.datetime:
    """A front matter date (a date, a datetime or an ISO string) as an aware datetime, Vietnam time by default."""
    if isinstance(value, dt.datetime):
        found = value
    elif isinstance(value, dt.date):
        found = dt.datetime.combine(value, dt.time())
    else:
        found = dt.datetime.fromisoformat(str(value))
    return found if found.tzinfo else found.replace(tzinfo=VIETNAM)


def iso(value: object) -> str:
    return moment(value).isoformat()


def write_page(path: Path, meta: dict, body: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000)
    path.write_text(f"---\n{head}---\n{body}", encoding="utf-8")


def story_meta(meta: dict) -> tuple[dict, dict[str, dict[str, str]]]:
    """Hugo front matter of one story, and the terms it names per taxonomy (key → title)."""
    published = moment(meta["date"])
    slug = str(meta.get("slug") or slugify_vi(str(meta["title"])))
    terms: dict[str, dict[str, str]] = {plural: {} for plural in TAXONOMIES.values()}
    out: dict = {
        "title": str(meta["title"]),
        "date": published.isoformat(),
        "url": "/" + urls.story_url(published, slug),
    }
    if meta.get("updated"):
        out["lastmod"] = iso(meta["updated"])
    if meta.get("draft"):
        out["draft"] = True
    authors = [str(author) for author in meta.get("authors") or []]
    out["authors"] = authors
    terms["authors"] = {author: author for author in authors}
    for field_name, plural in (("location", "places"), ("unit", "units")):
        if meta.get(field_name):
            name = str(meta[field_name])
            out[plural] = [urls.section_key(name)]
            out[field_name] = name
            terms[plural][urls.section_key(name)] = name
    tags = [str(tag) for tag in meta.get("tags") or []]
    if tags:
        out["topics"] = [urls.section_key(tag) for tag in tags]
        out["tags"] = tags
        terms["topics"] = {urls.section_key(tag): tag for tag in tags}
    month = published.astimezone(VIETNAM)
    out["archive"] = [f"{month:%Y-%m}"]
    terms["archive"] = {f"{month:%Y-%m}": f"Tháng {month.month}/{month.year}"}
    if meta.get("campaign"):
        out[CAMPAIGN_STORIES] = [str(meta["campaign"])]
    for name in ("campaign", "summary", "image_alt", "image_caption", "milestone"):
        if meta.get(name) is not None:
            out[name] = meta[name]
    if meta.get("image"):
        # gen_corpus's images are docs/images/…, which Hugo publishes from static/ at the same address.
        out["image"] = "/" + str(meta["image"]).lstrip("/")
    return out, terms


def campaign_meta(campaign_id: str, meta: dict) -> dict:
    out: dict = {
        "title": str(meta["title"]),
        "url": "/" + urls.campaign_url(campaign_id),
        "start": iso(meta["start"]),
        "outputs": ["HTML", "RSS", "Atom", "Timeline"],
    }
    if meta.get("end"):
        out["end"] = iso(meta["end"])
    if meta.get("summary"):
        out["summary"] = str(meta["summary"])
    out["phases"] = [
        {"title": str(phase["title"]), "start": iso(phase["start"]), "end": iso(phase["end"])}
        for phase in meta.get("phases") or []
    ]
    out["milestones"] = []
    for item in meta.get("milestones") or []:
        milestone = {"date": iso(item["date"]), "title": str(item["title"])}
        if item.get("text"):
            milestone["text"] = str(item["text"])
        out["milestones"].append(milestone)
    return out


def prepare(out: Path) -> None:
    """Empty ``out`` when it is empty or a project made here; refuse anything else."""
    if out.exists() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise SystemExit(f"{out} is not empty and was not made by hugo_site.py; choose another folder.")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    (out / MARKER).write_text("Hugo reference site made by scripts/hugo_site.py\n", encoding="utf-8")


def convert(corpus: Path, out: Path) -> Converted:
    """Write into ``out`` the Hugo project of the Frontline project ``corpus``."""
    prepare(out)
    shutil.copy2(TEMPLATES / "hugo.yaml", out / "hugo.yaml")
    shutil.copytree(TEMPLATES / "layouts", out / "layouts")
    if (corpus / "docs" / "images").is_dir():
        shutil.copytree(corpus / "docs" / "images", out / "static" / "images")
    content = out / "content"
    done = Converted()
    site = yaml.safe_load((corpus / "mkdocs.yml").read_text(encoding="utf-8").split("\ntheme:")[0]) or {}
    write_page(
        content / "_index.md",
        {"title": str(site.get("site_name", "Tuyến đầu")), "outputs": ["HTML", "RSS", "Atom", "JSONFeed", "OPML"]},
    )
    # The stories are pages of the section "stories", each at its own address; the section's own list (every
    # story, paginated) is a page Frontline does not have, so it is not rendered.
    write_page(content / "stories" / "_index.md", {"title": "Bài viết", "_build": {"render": "never"}})
    terms: dict[str, dict[str, str]] = {plural: {} for plural in TAXONOMIES.values()}
    stories_dir = corpus / "stories"
    for path in sorted(stories_dir.rglob("*.md")):
        if "live" in path.relative_to(stories_dir).parts[:1]:
            continue  # live pages are not part of the generated corpus, nor of the Hugo site
        meta, body = front_matter(path.read_text(encoding="utf-8"))
        hugo_meta, named = story_meta(meta)
        write_page(content / "stories" / path.relative_to(stories_dir), hugo_meta, body)
        if hugo_meta.get("draft"):
            done.drafts += 1
            continue
        done.stories += 1
        for plural, found in named.items():
            for key, title in found.items():
                terms[plural].setdefault(key, title)
    write_page(content / "campaigns" / "_index.md", {"title": "Chiến dịch"})
    hidden = {"render": "never"}
    write_page(content / CAMPAIGN_STORIES / "_index.md", {"title": "", "_build": hidden, "cascade": {"_build": hidden}})
    for path in sorted((corpus / "docs" / "campaigns").glob("*.md")):
        if path.name == "index.md":
            continue
        meta, body = front_matter(path.read_text(encoding="utf-8"))
        write_page(content / "campaigns" / path.name, campaign_meta(path.stem, meta), body)
        done.campaigns += 1
    authors = yaml.safe_load((stories_dir / "authors.yml").read_text(encoding="utf-8")) or {}
    labels = {"authors": "Tác giả", "places": "Địa phương", "units": "Đơn vị", "topics": "Chủ đề", "archive": "Lưu trữ"}
    for plural, found in terms.items():
        write_page(content / plural / "_index.md", {"title": labels[plural]})
        for key, title in sorted(found.items()):
            meta = {"title": title, "outputs": TERM_FEEDS if plural in FEED_KINDS else TERM_PLAIN}
            if plural == "authors":
                author = authors.get(key) or {}
                meta["title"] = str(author.get("name", key))
                meta.update({name: str(author[name]) for name in ("role", "unit", "bio") if author.get(name)})
            if plural == "archive":
                meta["url"] = "/" + urls.section_url("month", key.replace("-", "/"))
            write_page(content / plural / key / "_index.md", meta)
            done.terms[plural] += 1
    write_page(content / "tim-kiem.md", {"title": "Tìm kiếm", "url": "/" + urls.SEARCH_PAGE, "layout": "search"})
    write_page(content / "theo-doi.md", {"title": "Theo dõi", "url": "/" + urls.SUBSCRIBE_PAGE, "layout": "subscribe"})
    return done


# -- building it (the bench) -------------------------------------------------------------------

SITE_FOLDER = "public"
COLD_FOLDERS = (SITE_FOLDER, "resources")
"""Removed before a cold build: Hugo's output and its cache of processed resources."""
HUGO_SIZE = 10_000
"""The bench builds the Hugo reference at this size, where ``hugo`` is installed (issue 27's comparison); not
larger by default, since Hugo 0.111 could not build 100,000 stories in 18 GB."""


def hugo_program() -> str | None:
    return shutil.which("hugo")


def hugo_version() -> str:
    """``0.111.3`` (the installed ``hugo``'s version), or ``unknown``."""
    program = hugo_program()
    if program is None:
        return "unknown"
    found = re.search(r"v(\d+\.\d+\.\d+)", subprocess.run([program, "version"], capture_output=True, text=True).stdout)
    return found.group(1) if found else "unknown"


def row_name() -> str:
    """The bench table's row: ``Hugo 0.111``."""
    return "Hugo " + ".".join(hugo_version().split(".")[:2])


def build_command(project: Path) -> list[str]:
    """A production build of the project into ``public/``, as a Hugo site's CI runs it."""
    return [hugo_program() or "hugo", "--quiet", "--source", str(project)]


# -- what a built site holds --------------------------------------------------------------------

_STORY = re.compile(r"(?:stories/)?\d{4}/\d{2}/[^/]+/index\.html")
"""A story page; bare Material's are under ``stories/``."""
_SECTION = "|".join(TAXONOMIES.values())
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("story pages", _STORY),
    ("home", re.compile(r"index\.html")),
    ("campaign pages", re.compile(r"campaigns/[^/]+/index\.html")),
    ("campaigns index", re.compile(r"campaigns/index\.html")),
    ("section indexes", re.compile(rf"(?:{_SECTION})/index\.html")),
    ("archive term pages", re.compile(r"archive/\d{4}/\d{2}/index\.html")),
    ("archive pages 2+", re.compile(r"archive/\d{4}/\d{2}/page/\d+/index\.html")),
    ("term pages", re.compile(rf"(?:{_SECTION})/[^/]+/index\.html")),
    ("term pages 2+", re.compile(rf"(?:{_SECTION})/[^/]+/page/\d+/index\.html")),
    ("search, subscribe", re.compile(r"(?:tim-kiem|theo-doi)/index\.html")),
    ("RSS feeds", re.compile(r"(?:.+/)?feed\.xml")),
    ("Atom feeds", re.compile(r"(?:.+/)?atom\.xml")),
    ("JSON feeds", re.compile(r"(?:.+/)?feed\.json")),
    ("campaign timelines", re.compile(r"campaigns/[^/]+/timeline\.json")),
)
PAGE_KINDS = tuple(name for name, _ in _KINDS)
REDIRECT = re.compile(rb'<meta http-equiv="?refresh"?', re.IGNORECASE)


def page_set(site: Path) -> Counter:
    """The built site's pages and feeds, counted by kind (``PAGE_KINDS``; ``other pages`` for the rest of its
    ``index.html`` files, ``redirects`` for pages that only send the reader elsewhere, as Hugo's ``page/1/``)."""
    found: Counter = Counter()
    for path in site.rglob("*"):
        if not path.is_file() or path.suffix == ".gz":
            continue
        relative = path.relative_to(site).as_posix()
        if path.name == "index.html" and REDIRECT.search(path.read_bytes()[:2048]):
            found["redirects"] += 1
            continue
        kind = next((name for name, pattern in _KINDS if pattern.fullmatch(relative)), None)
        if kind:
            found[kind] += 1
        elif path.name == "index.html":
            found["other pages"] += 1
    return found


def page_set_table(sets: dict[str, Counter]) -> str:
    """A Markdown table of the page sets of several built sites (site name → ``page_set``), a row per kind."""
    names = list(sets)
    kinds = [kind for kind in (*PAGE_KINDS, "other pages", "redirects") if any(sets[name][kind] for name in names)]
    lines = ["| Pages and feeds | " + " | ".join(names) + " |", "| --- |" + " ---: |" * len(names)]
    for kind in kinds:
        lines.append(f"| {kind} | " + " | ".join(f"{sets[name][kind]:,}" for name in names) + " |")
    totals = [sum(sets[name][kind] for kind in kinds if kind != "redirects") for name in names]
    lines.append("| **all but redirects** | " + " | ".join(f"**{total:,}**" for total in totals) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="a Frontline project made by scripts/gen_corpus.py")
    parser.add_argument("out", type=Path, help="folder to write the Hugo project into (replaced if made here)")
    args = parser.parse_args(argv)
    done = convert(args.corpus, args.out)
    terms = ", ".join(f"{count} {plural}" for plural, count in sorted(done.terms.items()))
    print(f"wrote {done.stories} stories ({done.drafts} drafts), {done.campaigns} campaigns; {terms}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
