"""``frontline`` parses its arguments before importing what a command uses: each command is a new interpreter, and
importing everything (the engine, the CMS, the deploy targets with boto3, Pillow) cost more than most commands do.
Checked in a fresh interpreter, by the modules it has loaded."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.sites import make_site, story

# What no command but the one that needs it may import (a module named here, or any module below it).
HEAVY = (
    "boto3",
    "botocore",
    "PIL",
    "mkdocs",
    "properdocs",
    "material",
    "markdown",
    "jinja2",
    "lxml",
    "frontline.engine",
    "frontline.cms.command",
    "frontline.cms.serve",
    "frontline.cms.config",
    "frontline.deploy.command",
    "frontline.deploy.base",
    "frontline.deploy.folder",
    "frontline.deploy.git",
    "frontline.deploy.ssh",
    "frontline.deploy.s3",
    "frontline.output",
    "frontline.views",
)


def _loaded(code: str, *, cwd=None) -> tuple[list[str], subprocess.CompletedProcess]:
    """Run ``code`` in a new interpreter; the heavy modules it loaded, and the process (its output before them)."""
    probe = f"""
import json, sys
try:
{chr(10).join("    " + line for line in code.strip().splitlines())}
finally:
    print("\\n" + json.dumps(sorted(sys.modules)))
"""
    done = subprocess.run([sys.executable, "-c", probe], cwd=cwd, capture_output=True, text=True, timeout=120)
    modules = json.loads(done.stdout.strip().splitlines()[-1])
    heavy = [name for name in modules if any(name == h or name.startswith(h + ".") for h in HEAVY)]
    return heavy, done


def test_importing_the_command_line_imports_none_of_the_commands():
    heavy, done = _loaded("import frontline.cli")
    assert done.returncode == 0, done.stderr
    assert heavy == []
    # and not the content model either: every command pays for this import
    assert "frontline.content.loader" not in done.stdout


def test_help_lists_every_command_in_vietnamese_without_importing_them():
    heavy, done = _loaded(
        """
from frontline.cli import _COMMANDS, main
try:
    main(["--help"])
except SystemExit:
    pass
print("COMMANDS", json.dumps(sorted(_COMMANDS)))
"""
    )
    assert done.returncode == 0, done.stderr
    assert heavy == []
    commands = json.loads(done.stdout.split("COMMANDS ")[1].splitlines()[0])
    assert set(commands) >= {"new", "check", "preview", "build", "live", "verify", "cms", "publish", "rollback"}
    listing = done.stdout.split("các lệnh:")[1]
    for name in commands:
        assert f"    {name} " in listing, name
    assert "đăng trang đã dựng" in listing and "viết bài trên trình duyệt" in listing


def test_check_reads_the_content_without_the_engine_the_cms_or_the_deploy_targets(tmp_path):
    site = make_site(tmp_path / "newsroom")
    site.write("stories/2021/08/bai.md", story("Bài một", "2021-08-10T09:00:00+07:00"))
    heavy, done = _loaded(
        """
from frontline.cli import main
code = main(["--config", "mkdocs.yml", "check", "--now", "2021-12-31T00:00:00+07:00"])
print("exit", code)
""",
        cwd=site.root,
    )
    assert done.returncode == 0, done.stderr
    assert "Không có lỗi (1 bài, 1 chiến dịch)." in done.stdout and "exit 0" in done.stdout
    # Pillow is the loader's (it reads the size of a story's images); nothing else heavy is
    assert [name for name in heavy if name.split(".")[0] != "PIL"] == []
