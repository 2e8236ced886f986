"""The record of the folder previews keep is read once (deleted as it is read) and trusted only when this code wrote
it for that folder and every file it names is inside the folder: the preview deletes files the record names."""

from __future__ import annotations

import json

from frontline.engine.kept_folder import FOLDER, save_record, take_record


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


def test_a_record_is_read_back_once(tmp_path):
    folder = str(tmp_path / FOLDER)
    save_record(folder, _record(folder))
    taken = take_record(folder)
    assert taken is not None and taken["pages"]["stories/a.md"] == [f"{folder}/2021/05/a/index.html", "k1"]
    assert take_record(folder) is None, "a preview killed after reading it leaves none behind"


def test_a_record_naming_a_file_outside_the_folder_or_of_another_folder_is_refused(tmp_path):
    folder = str(tmp_path / FOLDER)
    save_record(folder, _record(folder, others=[f"{folder}/../../mkdocs.yml"]))
    assert take_record(folder) is None
    save_record(folder, _record(folder, pages={"stories/a.md": ["/etc/hosts", "k1"]}))
    assert take_record(folder) is None
    (tmp_path / "elsewhere").mkdir()
    save_record(str(tmp_path / "elsewhere" / FOLDER), _record(folder))
    (tmp_path / "elsewhere" / f"{FOLDER}.json").rename(tmp_path / f"{FOLDER}.json")
    assert take_record(folder) is None


def test_a_record_written_by_other_code_is_refused(tmp_path):
    folder = str(tmp_path / FOLDER)
    save_record(folder, _record(folder))
    path = tmp_path / f"{FOLDER}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["stamp"][1] = "0" * 32  # another Frontline's code
    path.write_text(json.dumps(data), encoding="utf-8")
    assert take_record(folder) is None
