"""Related stories: scored by what two stories share, computed with inverted indexes."""

from __future__ import annotations

from collections import defaultdict

from frontline.model import Story

WEIGHTS = {"campaign": 4.0, "unit": 3.0, "place": 2.0, "tag": 1.0}


def _keys(story: Story) -> list[tuple[str, str]]:
    keys = [("tag", tag) for tag in story.tags]
    if story.campaign:
        keys.append(("campaign", story.campaign))
    if story.location:
        keys.append(("place", story.location))
    if story.unit:
        keys.append(("unit", story.unit))
    return keys


class RelatedIndex:
    """Answers "which stories are most like this one?" without comparing every pair.

    Very common keys (a campaign of thousands of stories) are capped to the most
    recent ``per_key_limit`` members, so the cost per story stays bounded."""

    def __init__(self, stories: list[Story], per_key_limit: int = 200) -> None:
        self.order = {story.id: index for index, story in enumerate(stories)}  # newest first
        members: dict[tuple[str, str], list[Story]] = defaultdict(list)
        for story in stories:
            for key in _keys(story):
                if len(members[key]) < per_key_limit:
                    members[key].append(story)
        self.members = members

    def related(self, story: Story, limit: int = 4) -> list[Story]:
        """The ``limit`` best matches, never ``story`` itself; ties go to the closer date, then id."""
        scores: dict[str, float] = defaultdict(float)
        found: dict[str, Story] = {}
        for key in _keys(story):
            for other in self.members.get(key, ()):
                if other.id != story.id:
                    scores[other.id] += WEIGHTS[key[0]]
                    found[other.id] = other

        def rank(other_id: str) -> tuple[float, float, str]:
            gap = abs((found[other_id].date - story.date).total_seconds())
            return (-scores[other_id], gap, other_id)

        return [found[other_id] for other_id in sorted(scores, key=rank)[:limit]]
