"""Related stories: scored by what two stories share, computed with inverted indexes."""

from __future__ import annotations

import hashlib
import heapq
from collections import defaultdict
from collections.abc import Iterable

from frontline.content.model import Story

WEIGHTS = {"campaign": 4.0, "unit": 3.0, "place": 2.0, "tag": 1.0}
RELATED_LIMIT = 4
"""Related stories a story's page lists."""


def _keys(story: Story) -> list[tuple[str, str]]:
    keys = [("tag", tag) for tag in story.tags]
    if story.campaign:
        keys.append(("campaign", story.campaign))
    if story.location:
        keys.append(("place", story.location))
    if story.unit:
        keys.append(("unit", story.unit))
    return keys


RELATED_FORMAT = "related-1"
"""Names how related stories are chosen (``WEIGHTS``, the window, the limit, the ranking): part of
``placements_digest``, so a list chosen another way is never taken for this one."""


def placements_digest(stories: Iterable[Story]) -> str:
    """A digest of everything the related stories of every story depend on: each story's id, date and keys. Equal
    digests, equal lists (``RelatedIndex.related`` reads nothing else), however the stories' words changed."""
    h = hashlib.blake2b(RELATED_FORMAT.encode(), digest_size=16)
    for story in stories:
        h.update(repr((story.id, story.date.isoformat(), _keys(story))).encode("utf-8"))
    return h.hexdigest()


class RelatedIndex:
    """Answers "which stories are most like this one?" without comparing every pair.

    For each key a story has (campaign, unit, place, tag), only the ``window`` stories
    nearest to it in time among that key's stories are candidates: news relates to news
    of the same days, and the cost per story stays bounded however large the archive."""

    def __init__(self, stories: list[Story], window: int = 15) -> None:
        self.window = window
        self.members: dict[tuple[str, str], list[Story]] = defaultdict(list)
        self.position: dict[tuple[tuple[str, str], str], int] = {}
        for story in sorted(stories, key=lambda s: (s.date, s.id)):
            for key in _keys(story):
                self.position[(key, story.id)] = len(self.members[key])
                self.members[key].append(story)

    def substituted(self, stories: list[Story]) -> RelatedIndex:
        """This index with ``stories`` in place of the stories of their ids, each with the keys and date it had
        here (a preview's rebuild after a save that changed a story's words, not where it stands)."""
        index = RelatedIndex([], self.window)
        index.members = dict(self.members)
        index.position = self.position
        for story in stories:
            for key in _keys(story):
                members = index.members[key] = list(index.members[key])
                members[self.position[(key, story.id)]] = story
        return index

    def nearby(self, story: Story) -> set[str]:
        """Ids of the stories whose candidates include ``story`` or border it: the only
        stories whose related list can change when ``story`` is added, edited or removed."""
        found: set[str] = set()
        reach = self.window + 1
        for key in _keys(story):
            at = self.position.get((key, story.id))
            if at is not None:
                found.update(other.id for other in self.members[key][max(0, at - reach) : at + reach + 1])
        return found

    def related(self, story: Story, limit: int = RELATED_LIMIT) -> list[Story]:
        """The ``limit`` best matches, never ``story`` itself; ties go to the closer date, then id."""
        scores: dict[str, float] = defaultdict(float)
        found: dict[str, Story] = {}
        for key in _keys(story):
            members = self.members.get(key, [])
            at = self.position.get((key, story.id))
            if at is None:  # a story outside the index: look around its date
                at = next((i for i, other in enumerate(members) if other.date >= story.date), len(members))
            for other in members[max(0, at - self.window) : at + self.window + 1]:
                if other.id != story.id:
                    scores[other.id] += WEIGHTS[key[0]]
                    found[other.id] = other

        def rank(other_id: str) -> tuple[float, float, str]:
            gap = abs((found[other_id].date - story.date).total_seconds())
            return (-scores[other_id], gap, other_id)

        candidates: Iterable[str] = scores
        if len(scores) > limit:  # below the limit-th best score, a story cannot make the list: rank the rest only
            threshold = heapq.nlargest(limit, scores.values())[-1]
            candidates = [other_id for other_id, score in scores.items() if score >= threshold]
        return [found[other_id] for other_id in heapq.nsmallest(limit, candidates, key=rank)]
