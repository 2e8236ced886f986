"""Python-Markdown extension: images in story bodies load lazily and decode off the main thread."""

from __future__ import annotations

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor


class _LazyImages(Treeprocessor):
    def run(self, root):  # type: ignore[no-untyped-def]
        for image in root.iter("img"):
            image.set("loading", image.get("loading", "lazy"))
            image.set("decoding", image.get("decoding", "async"))
        return None


class LazyImagesExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API)
        md.treeprocessors.register(_LazyImages(md), "frontline_lazy_images", 0)


def makeExtension(**kwargs) -> LazyImagesExtension:  # noqa: N802
    return LazyImagesExtension(**kwargs)
