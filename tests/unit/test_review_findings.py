"""Holes found by a security review of issue 21 ("Safe to put in front of the public"), one test each.

A test marked ``xfail(strict=True)`` shows a hole still open: it fails today, and fails the suite the day the hole
is closed until its mark is removed. The others show a hole closed by the fix committed with them."""

from __future__ import annotations

import pytest

from frontline.build.locks import Lock
from frontline.config.project import read_project
from frontline.content.sanitize import BodyScan, Policy, markdown_settings_from_yaml
from tests.sites import REPO

SCAN = BodyScan(Policy(), markdown_settings_from_yaml(read_project(REPO / "mkdocs.yml").raw))


HIDDEN_REFERENCES = {
    "quote": "[chữ][x]\n\n> [x]: javascript:alert(1)\n",
    "list item": "- [x]: javascript:alert(1)\n\n[chữ][x]\n",
    "numbered item": "[chữ][x]\n\n1. [x]: javascript:alert(1)\n",
    "admonition": "!!! note\n    [x]: javascript:alert(1)\n\n[chữ][x]\n",
    "image in a quote": "![ảnh][x]\n\n> [x]: https://evil.example/pixel.gif\n",
}


@pytest.mark.parametrize("body", HIDDEN_REFERENCES.values(), ids=HIDDEN_REFERENCES.keys())
def test_a_reference_defined_in_a_block_is_reported(body):
    """Markdown reads a reference definition inside a quote, a list item or an admonition; the shortcut read
    only those at a line's start, so `check` passed a javascript: link (or an image from another host) that the
    build then removed."""
    assert SCAN.rendered_findings(body), body  # rendering finds it…
    assert SCAN.findings(body) == SCAN.rendered_findings(body), body  # …and so must the scan `check` runs


LOOKALIKE_UNDERSCORES = {
    "fullwidth": "# ＿＿drawer\n\nChữ.\n",
    "zero-width space": "# _\u200b_search\n",
    "letter dropped by the slug": "# _đ_drawer\n",
    "punctuation dropped by the slug": "# _!_search\n",
}


@pytest.mark.parametrize("body", LOOKALIKE_UNDERSCORES.values(), ids=LOOKALIKE_UNDERSCORES.keys())
def test_a_heading_whose_id_starts_with_two_underscores_is_reported(body):
    """The heading's id becomes '__drawer' (Material's own control), which the build removes without `check`
    saying so: the body holds no '__' for the shortcut to see."""
    assert SCAN.rendered_findings(body), body
    assert SCAN.findings(body) == SCAN.rendered_findings(body), body


def test_a_lock_file_that_is_a_symlink_is_not_written_through(tmp_path):
    """A `.cache/frontline/` restored from a shared cache may hold `build.lock` or `engine.lock` as a link to any
    file of the machine; taking the lock truncated that file and wrote a PID in it (and releasing it emptied it)."""
    victim = tmp_path / "victim.txt"
    victim.write_text("không được đụng tới\n", encoding="utf-8")
    lock_path = tmp_path / "project/.cache/frontline/build.lock"
    lock_path.parent.mkdir(parents=True)
    lock_path.symlink_to(victim)
    lock = Lock(lock_path).acquire(wait=False)
    lock.release()
    assert victim.read_text(encoding="utf-8") == "không được đụng tới\n"
    assert lock_path.is_file() and not lock_path.is_symlink()
