"""MkDocs hooks: wire build events to the Frontline package, nothing more."""

from frontline.engine.mkdocs import FrontlineHooks

_hooks = FrontlineHooks()

on_startup = _hooks.on_startup
on_shutdown = _hooks.on_shutdown
on_config = _hooks.on_config
on_pre_build = _hooks.on_pre_build
on_nav = _hooks.on_nav
on_files = _hooks.on_files
on_page_markdown = _hooks.on_page_markdown
on_page_content = _hooks.on_page_content
on_env = _hooks.on_env
on_page_context = _hooks.on_page_context
on_post_build = _hooks.on_post_build
on_build_error = _hooks.on_build_error
