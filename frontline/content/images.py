"""Responsive lead images: measure them, plan smaller widths, render those once (cached)."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from PIL import Image as PillowImage
from PIL import UnidentifiedImageError

from frontline.build.paths import inside_site

VARIANT_WIDTHS = (480, 800)
RESIZABLE = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


@dataclass(frozen=True, slots=True)
class ImageVariant:
    site_path: str
    width: int


def probe(path: Path) -> tuple[int, int] | None:
    """``(width, height)`` of a raster image, or ``None`` when it cannot be read."""
    try:
        with PillowImage.open(path) as image:
            return image.size
    except (UnidentifiedImageError, OSError):
        return None


def plan_variants(site_path: str, width: int, media_type: str) -> tuple[ImageVariant, ...]:
    """Smaller copies for ``srcset``, then the original itself."""
    if media_type not in RESIZABLE:
        return ()
    path = PurePosixPath(site_path)
    smaller = [
        ImageVariant(str(path.with_name(f"{path.stem}-{target}w{path.suffix}")), target)
        for target in VARIANT_WIDTHS
        if target < width
    ]
    return (*smaller, ImageVariant(site_path, width)) if smaller else ()


def render_variants(
    images: Iterable[tuple[Path, tuple[ImageVariant, ...]]],
    site_dir: Path,
    cache_dir: Path,
    kept: set[str] | None = None,
) -> None:
    """Write every planned variant into ``site_dir``, resizing each source once per content. The original is the
    engine's copy of the image; a smaller one already there (a kept site folder's) is kept, and named in ``kept``,
    when it is this content's, else written again."""
    for source, variants in images:
        digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
        for variant in variants:
            target = Path(inside_site(site_dir, variant.site_path))
            original = variant is variants[-1]
            if original and target.exists():
                continue
            cached = cache_dir / f"{digest}-{variant.width}{source.suffix}"
            if not cached.exists():
                cache_dir.mkdir(parents=True, exist_ok=True)
                with PillowImage.open(source) as image:
                    height = round(image.height * variant.width / image.width)
                    resized = image.resize((variant.width, height), PillowImage.Resampling.LANCZOS)
                    resized.save(cached, format=image.format, quality=80, optimize=True)
            if target.is_file() and not target.is_symlink() and target.read_bytes() == cached.read_bytes():
                if kept is not None:  # named as the sweep walks the folder: from site_dir, not its real path
                    kept.add(os.path.join(site_dir, os.path.normpath(variant.site_path)))
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)
            shutil.copyfile(cached, target)
