"""`frontline publish ssh://…` writes the web server's settings on the server as the folder target does: nginx and
Caddy (Debian's, started here) serving the server's ``current`` with those snippets send each file with the policy's
headers and its gzip twin, hide the release manifest, and ``_headers`` lists the live release."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from frontline.deploy import servers
from frontline.deploy.base import headers_for
from frontline.deploy.ssh import OPTIONS_VARIABLE
from tests.e2e.test_deploy_folder import STORY_URL, Caddy, Nginx, Server, frontline, newsroom
from tests.remote_servers import digests, ssh_server

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A newsroom published over SSH to a folder of this machine (the server's side), twice: the second time after
    one story changed. Yields (site, remote folder, summaries)."""
    work = tmp_path_factory.mktemp("ssh-servers")
    with ssh_server(work / "sshd") as server:
        os.environ[OPTIONS_VARIABLE] = server.options
        try:
            site = newsroom(work / "newsroom")
            remote = work / "srv" / "tuyendau"
            first = frontline(site.root, "publish", server.url(remote))
            assert first.returncode == 0, first.stdout + first.stderr
            settings = {name: (remote / name).read_bytes() for name in (servers.NGINX, servers.CADDY)}
            site.write("stories/2021/05/bai-3.md", (site.root / "stories/2021/05/bai-3.md").read_text() + "\nThêm.\n")
            assert frontline(site.root, "build").returncode == 0
            again = frontline(site.root, "publish", server.url(remote))
            assert again.returncode == 0, again.stdout + again.stderr
        finally:
            del os.environ[OPTIONS_VARIABLE]
        yield site, remote, settings


def _live(remote: Path) -> Path:
    return remote / os.readlink(remote / "current")


def _assert_served(remote: Path, server: Server) -> None:
    files = {path for path in digests(_live(remote)) if not path.startswith(".frontline/")}
    twins = {path for path in files if path.endswith(".gz") and path[:-3] in files}
    assert any(path.endswith(".html.gz") for path in twins)
    for path in sorted(files - twins):
        status, headers, body = server.get(path)
        assert status == 200, path
        assert headers["Cache-Control"] == headers_for(path)["Cache-Control"], path
        assert headers["Content-Type"].replace(" ", "") == headers_for(path)["Content-Type"].replace(" ", ""), path
        assert body == (_live(remote) / path).read_bytes(), path
    status, headers, body = server.get(STORY_URL, gzip_ok=True)
    assert status == 200 and headers["Content-Encoding"] == "gzip", headers
    assert gzip.decompress(body) == (_live(remote) / STORY_URL / "index.html").read_bytes()
    # The release's manifest lies beside its files on the server, but is not the site's.
    assert (_live(remote) / ".frontline" / "release.json").is_file()
    assert server.get(".frontline/release.json")[0] == 404


def test_nginx_serves_the_ssh_release_with_the_snippet_the_publish_wrote_there(published, tmp_path):
    _site, remote, _settings = published
    assert f'root "{remote}/current";' in (remote / servers.NGINX).read_text(encoding="utf-8")
    nginx = Nginx(remote, tmp_path / "nginx")
    try:
        _assert_served(remote, nginx)
    finally:
        nginx.stop()


def test_caddy_serves_the_ssh_release_with_the_snippet_the_publish_wrote_there(published, tmp_path):
    _site, remote, _settings = published
    caddy = Caddy(remote, tmp_path / "caddy")
    try:
        _assert_served(remote, caddy)
    finally:
        caddy.stop()


def test_the_headers_file_is_the_live_releases_and_the_snippets_stay_as_they_were(published):
    _site, remote, settings = published
    live = sorted(path for path in digests(_live(remote)) if not path.startswith(".frontline/"))
    assert (remote / servers.HEADERS).read_text(encoding="utf-8") == servers.headers_file(live, "/tin/")
    # The second publish wrote the same snippets: the site's path did not change.
    assert {name: (remote / name).read_bytes() for name in settings} == settings
    assert len(os.listdir(remote / "releases")) == 2
