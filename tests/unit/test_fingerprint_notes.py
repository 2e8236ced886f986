"""A story's digest noted by one build (``Fingerprinter.note``, kept in the story memo) and taken back by the next
(``adopt``) is the digest the next would have made of the same story; a note made with other settings is not taken,
and an edited story (a new reading, with no note) is digested anew."""

from __future__ import annotations

import copy
import dataclasses

from frontline.build.fingerprint import Fingerprinter
from frontline.content.model import Story
from tests.unit.test_views import make_story


def test_a_noted_digest_is_the_one_a_fresh_fingerprinter_makes_and_is_taken_back_for_an_equal_story():
    story = make_story("s1", "2021-05-20T09:00:00+07:00", location="Bắc Giang", body="Đoạn **một**.")
    first = Fingerprinter(whole=(Story,))
    assert first.note(story) is None  # not digested yet
    key = first.digest([story])
    note = first.note(story)
    assert note is not None

    read_back = copy.deepcopy(story)  # the memo's reading of the unchanged file: an equal, other object
    fresh = Fingerprinter(whole=(Story,))
    adopted = Fingerprinter(whole=(Story,))
    adopted.adopt(read_back, note)
    assert adopted.digest([read_back]) == fresh.digest([read_back]) == key
    assert adopted.note(read_back) == note

    edited = dataclasses.replace(read_back, title="Tiêu đề đã sửa")  # a new object of the same id: not adopted
    assert adopted.digest([edited]) == fresh.digest([edited]) != key


def test_a_note_of_other_settings_is_not_taken():
    story = make_story("s1", "2021-05-20T09:00:00+07:00")
    salted = Fingerprinter(salt="khác", whole=(Story,))
    salted.digest([story])
    other = Fingerprinter(whole=(Story,))
    other.adopt(story, salted.note(story))
    assert other.note(story) is None  # nothing taken: digested afresh when asked
    assert other.digest([story]) == Fingerprinter(whole=(Story,)).digest([story])
    forged = Fingerprinter(whole=(Story,))
    forged.adopt(story, "0000000000000000:" + "00" * 16)  # a tag this code did not make
    assert forged.note(story) is None
    tag = Fingerprinter(whole=(Story,))._tag
    for damaged in (f"{tag}:zz" + "0" * 30, f"{tag}:00", f"{tag}:"):  # this code's tag, not its digest: not taken
        forged.adopt(story, damaged)
        assert forged.note(story) is None
