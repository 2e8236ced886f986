"""Which release a rollback goes back to and which releases ``--keep N`` deletes: one rule for every target."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from frontline.deploy.base import release_before, release_content, releases_to_prune


def ids_of(contents: list[str]) -> list[str]:
    return [f"2026120{6}T{n:06d}000Z-{content}" for n, content in enumerate(contents)]


def test_rollback_skips_releases_with_the_live_files():
    ids = ids_of(["aaaa", "bbbb", "bbbb", "bbbb"])
    assert release_before(ids, ids[3]) == ids[0]
    assert release_before(ids, ids[0]) is None
    assert (
        release_before(ids_of(["aaaa", "bbbb", "aaaa"]), ids_of(["aaaa", "bbbb", "aaaa"])[2])
        == ids_of(["aaaa", "bbbb"])[1]
    )


def test_keep_counts_contents_and_never_deletes_the_live_release():
    ids = ids_of(["aaaa", "bbbb", "cccc", "cccc", "cccc"])
    assert releases_to_prune(ids, ids[-1], 2) == ids[:1]
    assert releases_to_prune(ids, ids[0], 1) == ids[1:2]
    assert releases_to_prune(ids, ids[-1], 3) == []


@given(st.lists(st.sampled_from(["aaaa", "bbbb", "cccc", "dddd"]), min_size=1, max_size=12), st.integers(1, 5))
def test_after_a_prune_rollbacks_from_the_newest_reach_as_many_sites_as_kept(contents, keep):
    ids = ids_of(contents)
    live = ids[-1]
    left = [i for i in ids if i not in set(releases_to_prune(ids, live, keep))]
    assert live in left and left == ids[len(ids) - len(left) :]  # the oldest go, in order
    reached = {release_content(live)}
    current = live
    while (current := release_before(left, current)) is not None:
        reached.add(release_content(current))
    assert len(reached) == min(keep, len(set(contents)))
