"""Story cards rendered once per build, not once per list showing them.

A story's card appears on every listing it belongs to, on the home page and beside related stories. Its link is
relative to the page showing it, so the partial is rendered once per story and heading level with a placeholder
where the link goes, and each card fills in its own link."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import Template, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from frontline.content.model import Story

CARD_TEMPLATE = "partials/frontline/story-card.html"
LINK_PLACEHOLDER = "\x00frontline-card-link\x00"
"""What the partial gets as ``href`` when a story's card is first rendered (it prints ``href`` as it is, once)."""


def story_cards(template: Template) -> Callable[..., Markup]:
    """The ``story_card(story, heading="h3")`` template function, rendering ``template``, with its own memo
    (MkDocs makes a new template environment, and so a new function, for every build). A card whose text holds the
    placeholder itself is rendered with its link."""
    unlinked: dict[tuple[str, str], str | None] = {}

    @pass_context
    def story_card(context: Context, story: Story, heading: str = "h3") -> Markup:
        href = context.environment.filters["url"](context, story.url)  # the engine's own link filter
        key = (story.id, heading)
        if key not in unlinked:
            card = template.render(_variables(context, story, heading, LINK_PLACEHOLDER))
            unlinked[key] = card if card.count(LINK_PLACEHOLDER) == 1 else None
        card = unlinked[key]
        if card is None:
            return Markup(template.render(_variables(context, story, heading, href)))
        return Markup(card.replace(LINK_PLACEHOLDER, href))

    return story_card


def _variables(context: Context, story: Story, heading: str, href: str) -> dict[str, Any]:
    return {"story": story, "heading": heading, "href": href}
