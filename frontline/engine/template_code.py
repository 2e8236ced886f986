"""Compiled templates, kept with the installation as Python keeps its ``.pyc`` files.

MkDocs makes a new Jinja environment for every build, so each build would compile every template again, though
they change only when Material is upgraded or an editor edits ``overrides/``. ``TemplateCode`` is the environment's
``bytecode_cache``, keyed by a template's name, path and source and whatever of the environment its compiled code
depends on, so an edited template, a new filter or an upgrade compiles afresh. Entries live in memory for the
builds of one process (a preview) and in a folder on disk for every later process:

- ``FRONTLINE_TEMPLATE_CACHE``, if set (empty: no folder, memory only);
- else, in a virtual environment, ``<venv>/var/cache/frontline/templates`` (gone with the environment
  that installed the templates it holds);
- else ``$XDG_CACHE_HOME/frontline/templates`` (``~/.cache/…``).

Code read from the folder is run, so a folder another user could write to is not used; one that cannot be made or
written leaves the build compiling. Past ``MAX_ENTRIES`` entries the oldest are removed."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import Environment
from jinja2.bccache import Bucket, FileSystemBytecodeCache

FOLDER_VARIABLE = "FRONTLINE_TEMPLATE_CACHE"
MAX_ENTRIES = 2000
ENTRY_PATTERN = "__jinja2_%s.cache"


def default_folder(environ: dict[str, str] | None = None) -> Path | None:
    """Where compiled templates are kept (``None``: in memory only)."""
    environ = os.environ if environ is None else environ
    configured = environ.get(FOLDER_VARIABLE)
    if configured is not None:
        return Path(configured) if configured else None
    if sys.prefix != sys.base_prefix:
        return Path(sys.prefix, "var", "cache", "frontline", "templates")
    base = environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base, "frontline", "templates")


def _private_folder(folder: Path | None) -> Path | None:
    """``folder``, made if need be, if only this user can write to it."""
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        status = folder.stat()
    except OSError:
        return None
    if hasattr(os, "getuid") and (status.st_uid != os.getuid() or status.st_mode & 0o022):
        return None
    return folder


def _calling_convention(function: Any) -> str:
    """How compiled code calls a filter, test or finalizer: ``pass_context`` and the like are decided when compiling."""
    if function is None or isinstance(function, bool):
        return repr(function)
    return str(getattr(function, "jinja_pass_arg", "plain"))


def compile_settings(environment: Environment, name: str) -> list[Any]:
    """What of ``environment`` the compiled code of template ``name`` depends on besides its source."""
    autoescape = environment.autoescape
    escaped = autoescape(name) if callable(autoescape) else autoescape  # a function is asked when compiling
    return [
        jinja2.__version__,
        sys.implementation.cache_tag,
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        environment.optimized,
        environment.is_async,
        bool(escaped),
        _calling_convention(environment.finalize),
        sorted(environment.extensions),
        environment.code_generator_class.__qualname__,
        sorted((name, _calling_convention(f)) for name, f in environment.filters.items()),
        sorted((name, _calling_convention(f)) for name, f in environment.tests.items()),
    ]


class TemplateCode(FileSystemBytecodeCache):
    """A Jinja bytecode cache in memory, backed by a private folder when one is available."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = _private_folder(folder)
        self.directory, self.pattern = str(self.folder or ""), ENTRY_PATTERN  # Jinja's would make a temporary folder
        self.code: dict[str, bytes] = {}

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        # The file's path too: the compiled code carries it, and a template's errors name it.
        settings = repr(compile_settings(environment, name))
        key = hashlib.sha256("\0".join([settings, name, filename or "", source]).encode("utf-8")).hexdigest()
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)
        elif self.folder is not None:
            super().load_bytecode(bucket)
            if bucket.code is not None:
                self.code[bucket.key] = bucket.bytecode_to_string()

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()
        if self.folder is None:
            return
        try:
            super().dump_bytecode(bucket)
            self._prune()
        except OSError:
            pass  # a full or read-only disk: this build compiled, the next compiles again

    def _prune(self) -> None:
        assert self.folder is not None
        entries = list(self.folder.glob(ENTRY_PATTERN % "*"))
        if len(entries) <= MAX_ENTRIES:
            return
        entries.sort(key=lambda path: path.stat().st_mtime)
        for path in entries[: len(entries) - MAX_ENTRIES // 2]:
            path.unlink(missing_ok=True)
