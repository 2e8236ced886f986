"""The record of the folder previews keep is read once (deleted as it is read) and trusted only when this code wrote
it for that folder and every file it names is inside the folder: the preview deletes files the record names."""

from __future__ import annotations

import json
import os
import shutil

from frontline.engine.kept_folder import FOLDER, RECORD, save_record, take_record


def _record(folder: str, **changes) -> dict:
    record = {
        "pages": {"stories/a.md": [f"{folder}/2021/05/a/index.html", "k1"]},
        "feeds": {"site": "k2"},
        "sitemap": [["2021/05/a/", "2021-05-20"]],
        "live_images": [],
        "live": {},
        "others": [f"{folder}/index.html"],
    }
    record.update(changes)
    return record


def _folder(tmp_path, name: str = FOLDER) -> str:
    (tmp_path / name).mkdir(parents=True)
    return str(tmp_path / name)


def test_a_record_is_read_back_once_and_goes_with_its_folder(tmp_path):
    folder = _folder(tmp_path)
    save_record(folder, _record(folder))
    taken = take_record(folder)
    assert taken is not None and taken["pages"]["stories/a.md"] == [f"{folder}/2021/05/a/index.html", "k1"]
    assert take_record(folder) is None, "a preview killed after reading it leaves none behind"
    save_record(folder, _record(folder))
    shutil.rmtree(folder)  # the folder deleted while no preview ran: no record of it either
    assert take_record(folder) is None


def test_a_record_naming_a_file_outside_the_folder_or_of_another_folder_is_refused(tmp_path):
    folder = _folder(tmp_path)
    save_record(folder, _record(folder, others=[f"{folder}/../../mkdocs.yml"]))
    assert take_record(folder) is None
    save_record(folder, _record(folder, pages={"stories/a.md": ["/etc/hosts", "k1"]}))
    assert take_record(folder) is None
    elsewhere = _folder(tmp_path, f"elsewhere/{FOLDER}")
    save_record(elsewhere, _record(folder))
    (tmp_path / "elsewhere" / FOLDER / RECORD).rename(tmp_path / FOLDER / RECORD)
    assert take_record(folder) is None


def test_a_record_written_by_other_code_is_refused(tmp_path):
    folder = _folder(tmp_path)
    save_record(folder, _record(folder))
    path = tmp_path / FOLDER / RECORD
    data = json.loads(path.read_text(encoding="utf-8"))
    data["stamp"][1] = "0" * 32  # another Frontline's code
    path.write_text(json.dumps(data), encoding="utf-8")
    assert take_record(folder) is None


def test_signatures_list_every_file_but_the_top_dot_entries_and_refuse_a_folder_holding_a_link(tmp_path):
    from frontline.build.kept_site import signatures

    site = tmp_path / "site"
    for path in ("index.html", "2021/05/tin/index.html", "2021/05/tin/index.html.gz", "assets/a.css"):
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(path, encoding="utf-8")
    (site / ".git/objects").mkdir(parents=True)
    (site / ".git/objects/x").write_text("x", encoding="utf-8")
    (site / ".git/HEAD").symlink_to("objects/x")  # inside a top-level dot-entry: not the build's, not looked at
    (site / "2021/.an").write_text("a dot-entry below the top is a file like any other", encoding="utf-8")
    found = signatures(site)
    assert found is not None
    assert sorted(os.path.relpath(path, site) for path in found) == sorted(
        ["index.html", "2021/05/tin/index.html", "2021/05/tin/index.html.gz", "assets/a.css", "2021/.an"]
    )
    status = (site / "assets/a.css").stat()
    assert found[str(site / "assets/a.css")] == (status.st_size, status.st_mtime_ns, status.st_ino)
    (site / "2021/05/lien-ket").symlink_to(site / "assets")  # a link to a folder, deep down
    assert signatures(site) is None
    (site / "2021/05/lien-ket").unlink()
    (site / "assets/b.css").symlink_to(site / "assets/a.css")  # a link to a file
    assert signatures(site) is None
