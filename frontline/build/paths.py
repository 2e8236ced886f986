"""Where the build writes: always inside the site folder."""

from __future__ import annotations

import os


def inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


class OutsideSiteError(ValueError):
    """A path the build was about to write lies outside the site folder."""


def inside_site(site_dir: str | os.PathLike[str], relative: str) -> str:
    """``site_dir/relative``, refusing any path that would land outside ``site_dir`` (``..``, an absolute
    path, a symlinked folder leading out): nothing a build writes may leave the site folder."""
    root = os.path.realpath(site_dir)
    target = os.path.realpath(os.path.join(root, relative))
    if not inside(target, root) or target == root:
        raise OutsideSiteError(f"đường dẫn '{relative}' nằm ngoài thư mục trang {site_dir}; không ghi.")
    return target
