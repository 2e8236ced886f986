"""Story cards rendered once per build, not once per list showing them.

A story's card appears on every listing it belongs to (its month, place, unit, author, topics),
on the home page and beside related stories: the 1,000-story benchmark shows 10,064 cards of 1,000 stories.
The card partial is rendered once per story, heading level and link; the link is relative to the
page showing the card, so pages at the same depth share it. Each build's template environment
gets its own memo (MkDocs makes a new environment for every build)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import Template, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from frontline.model import Story

CARD_TEMPLATE = "partials/frontline/story-card.html"


def story_cards(template: Template) -> Callable[..., Markup]:
    """The ``story_card(story, heading="h3")`` template function, rendering ``template``."""
    rendered: dict[tuple[str, str, str], Markup] = {}

    @pass_context
    def story_card(context: Context, story: Story, heading: str = "h3") -> Markup:
        href = context.environment.filters["url"](context, story.url)  # the engine's own link filter
        key = (story.id, heading, href)
        card = rendered.get(key)
        if card is None:
            variables: dict[str, Any] = {"story": story, "heading": heading, "href": href}
            variables["frontline"] = context.get("frontline")
            card = rendered[key] = Markup(template.render(variables))
        return card

    return story_card
