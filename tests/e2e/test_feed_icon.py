"""``extra.frontline.icon``, the feeds' square icon: checked before anything is built (a file under docs/, a PNG,
JPEG or GIF, square), each mistake in Vietnamese on its line of mkdocs.yml; without it, no feed names an icon."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from frontline.cli import main
from tests.e2e.test_reporting import _configured, _line_of
from tests.readers_tools import NOW
from tests.sites import jpeg_bytes

pytestmark = pytest.mark.e2e


def _png(width: int, height: int) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (183, 28, 28)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "written, expected",
    [
        ("icon: assets/khong-co.png", "extra.frontline.icon: không có tệp 'assets/khong-co.png' trong docs/"),
        ("icon: assets/ngang.png", "extra.frontline.icon: ảnh biểu tượng phải vuông: 'assets/ngang.png' rộng 120"),
        ("icon: assets/chu.txt", "extra.frontline.icon: 'assets/chu.txt' không phải ảnh PNG, JPEG hay GIF"),
        ("icon: https://example.vn/icon.png", "extra.frontline.icon: cần đường dẫn tới ảnh biểu tượng trong docs/"),
        ("icon: ''", "extra.frontline.icon: cần đường dẫn tới ảnh biểu tượng trong docs/"),
        ("icon: assets/vuong.png", None),
        ("icon: assets/vuong.jpg", None),
    ],
)
def test_check_reports_a_wrong_icon_on_its_line(tmp_path, capsys, monkeypatch, written, expected):
    site = _configured(tmp_path, written)
    site.write("docs/assets/ngang.png", _png(120, 60))
    site.write("docs/assets/vuong.png", _png(64, 64))
    site.write("docs/assets/vuong.jpg", jpeg_bytes(64, 64))
    site.write("docs/assets/chu.txt", "không phải ảnh")
    monkeypatch.setenv("FRONTLINE_NOW", NOW)
    code = main(["--config", str(site.root / "mkdocs.yml"), "check"])
    out, err = capsys.readouterr()
    if expected is None:
        assert code == 0, out + err
    else:
        assert code == 1 and f"mkdocs.yml:{_line_of(site, written)}: {expected}" in err, err
        assert "Traceback" not in err


def test_feeds_name_the_icon_only_when_one_is_set(tmp_path):
    site = _configured(tmp_path / "with", "icon: assets/vuong.png")
    site.write("docs/assets/vuong.png", _png(64, 64))
    without = _configured(tmp_path / "without")
    for newsroom in (site, without):
        result = newsroom.build(now=NOW)
        assert result.returncode == 0, result.stderr
    icon = "https://example.vn/tin/assets/vuong.png"
    assert etree.parse(str(site.site_dir / "feed.xml")).findtext("channel/image/url") == icon
    assert etree.parse(str(site.site_dir / "atom.xml")).findtext("{http://www.w3.org/2005/Atom}icon") == icon
    assert json.loads((site.site_dir / "feed.json").read_text(encoding="utf-8"))["favicon"] == icon
    assert (site.site_dir / "assets" / "vuong.png").read_bytes() == _png(64, 64)
    assert etree.parse(str(without.site_dir / "feed.xml")).find("channel/image") is None
    assert etree.parse(str(without.site_dir / "atom.xml")).find("{http://www.w3.org/2005/Atom}icon") is None
    assert "icon" not in json.loads((without.site_dir / "feed.json").read_text(encoding="utf-8"))
