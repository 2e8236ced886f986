"""Web server settings made from the one header policy (``base.headers_for``): an nginx snippet, a Caddyfile snippet and
a ``_headers`` file (Netlify, Cloudflare Pages). The snippets match addresses with the policy's own patterns; the
``_headers`` file, whose rules are path patterns rather than expressions, lists the release's folders and files."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import jinja2

from frontline.deploy import base

TEMPLATES = Path(__file__).parent / "templates"
NGINX = "nginx.conf"
CADDY = "Caddyfile"
HEADERS = "_headers"


@dataclass(frozen=True)
class AddressRule:
    """Addresses (paths from the host's root) matching ``regex`` are sent with ``cache_control``."""

    regex: str
    cache_control: str


def address_rules() -> list[AddressRule]:
    """``base.cache_control``'s rules, in its order (the first that matches wins; none: ``base.OTHER``), as regular
    expressions over a request's path. The policy's patterns are anchored at a site-relative path ("(^assets/…");
    here a folder is matched where a path segment starts, so they hold for a site served under a sub-path too."""
    return [
        AddressRule(base._HASHED.pattern.replace("(^", "(/"), base.IMMUTABLE),
        AddressRule(base._FEEDS.pattern, base.FEED),
        AddressRule(r"\.html$|/$", base.PAGE),
    ]


def cache_control_of_address(path: str) -> str:
    """What the snippets send for the request path ``path``: the first rule matching, as nginx and Caddy read them."""
    for rule in address_rules():
        if re.search(rule.regex, path):
            return rule.cache_control
    return base.OTHER


def _types() -> tuple[list[tuple[str, list[str]]], list[str], dict[str, str]]:
    """Each media type with its extensions, the types sent with a charset, and each type's full header value."""
    extensions: dict[str, list[str]] = {}
    values: dict[str, str] = {}
    charset: list[str] = []
    for extension, value in base._TYPES.items():
        media = value.split(";")[0].strip()
        extensions.setdefault(media, []).append(extension.lstrip("."))
        values[media] = value
        # nginx sends text/html with its charset always, and warns when it is listed.
        if "charset=" in value and media not in charset and media != "text/html":
            charset.append(media)
    return sorted(extensions.items()), charset, values


def quoted(value: str) -> str:
    """A path as one double-quoted token, as nginx and Caddy read one: a folder named with a space (or a quote)
    stays one argument. A control character has no place in a configuration line and is refused."""
    if any(ord(character) < 32 or ord(character) == 127 for character in value):
        raise ValueError(f"đường dẫn có ký tự điều khiển, không ghi được vào cấu hình máy chủ: {value!r}")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=False,  # configuration files, not HTML; every value comes from the policy or the command line
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["quoted"] = quoted
    return environment


def nginx_snippet(root: str, *, self_path: str = "nginx.conf", base_path: str = "/") -> str:
    types, charset_types, _ = _types()
    return _snippet(NGINX, root, self_path, base_path, types=types, charset_types=charset_types)


def caddy_snippet(root: str, *, self_path: str = "Caddyfile", base_path: str = "/") -> str:
    types, _, values = _types()
    return _snippet(CADDY, root, self_path, base_path, types=types, type_values=values)


def _snippet(name: str, root: str, self_path: str, base_path: str, **server_specific: object) -> str:
    """A server's configuration from its template: the policy's rules, and what only that server's syntax needs."""
    return (
        _environment()
        .get_template(name + ".j2")
        .render(
            root=root,
            self_path=self_path,
            base="/" + base_path.strip("/") + ("/" if base_path.strip("/") else ""),
            rules=address_rules(),
            default_cache_control=base.OTHER,
            **server_specific,
        )
    )


@dataclass(frozen=True)
class HeaderRule:
    pattern: str
    headers: tuple[tuple[str, str], ...]


def header_rules(paths: Iterable[str], base_path: str = "/") -> list[HeaderRule]:
    """Rules of a ``_headers`` file for a site of files ``paths`` (site-relative): ``/folder/*`` where every file
    under the folder has one set of headers, else a rule per file (and per page's folder address). Netlify and
    Cloudflare Pages join the values of every rule matching an address, so no two rules here match one."""
    prefix = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
    tree: dict = {}
    listed = set(paths)
    # A host compresses by itself: the build's .gz twins are left out, so a folder of pages stays one rule.
    kinds: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {}
    for path in sorted(p for p in listed if not (p.endswith(".gz") and p[:-3] in listed)):
        node = tree
        *folders, name = path.split("/")
        for folder in folders:
            node = node.setdefault(folder + "/", {})
        # A file's headers follow from its top folder and its name (``base.headers_for``'s patterns): worked out
        # once for the thousands of pages named index.html.
        kind = (folders[0] if folders else "", name)
        found = kinds.get(kind)
        node[name] = found if found is not None else kinds.setdefault(kind, _headers_of(path))
    rules: list[HeaderRule] = []

    def one_set(node: dict) -> tuple[tuple[str, str], ...] | None:
        found: set = set()
        for value in node.values():
            if isinstance(value, dict):
                inner = one_set(value)
                if inner is None:
                    return None
                found.add(inner)
            else:
                found.add(value)
            if len(found) > 1:
                return None
        return found.pop() if found else None

    def visit(node: dict, at: str) -> None:
        shared = one_set(node)
        if shared is not None and at != prefix:
            rules.append(HeaderRule(at + "*", shared))
            return
        for name, value in sorted(node.items()):
            if isinstance(value, dict):
                visit(value, at + name)
            else:
                if name == "index.html":  # the page's own address, which a host serves it at
                    rules.append(HeaderRule(at, value))
                rules.append(HeaderRule(at + name, value))

    visit(tree, prefix)
    return rules


def _headers_of(path: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(base.headers_for(path).items()))


def headers_file(paths: Iterable[str], base_path: str = "/") -> str:
    return _environment().get_template(HEADERS + ".j2").render(rules=header_rules(paths, base_path))
