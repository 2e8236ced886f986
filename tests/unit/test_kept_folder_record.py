"""The record of the folder previews keep is read once (deleted as it is read) and trusted only when this code wrote
it for that folder and every file it names is inside the folder: the preview deletes files the record names."""

from __future__ import annotations

import json
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
