#!/usr/bin/env python3
"""Check the links of the generated book (stdlib only).

Usage: python3 .ci/check_links.py [BOOK_DIR]      (default: book/book)

For every .html page under BOOK_DIR (href/src attributes, inline <style> and
style="..." attributes) and every .css file (url(...) and @import):

- a relative or root-relative link must resolve to an existing file
  (a directory means its index.html);
- a fragment `page.html#id` must name an id (or <a name>) of that page;
  a fragment-only link `#id` is checked against the page it appears in;
- http(s), mailto, data, javascript, ... links are not followed, except that
  an http(s) (or protocol-relative) link to KaTeX or MathJax CSS, fonts or
  scripts is an error: the book renders its math offline, as MathML.

Prints every problem found and exits 1 if there was any.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Attributes whose value is a URL.
URL_ATTRS = {"href", "src", "poster", "data", "action", "formaction"}
# An http(s) URL that loads math rendering assets from the network.
MATH_CDN = re.compile(r"katex|mathjax", re.IGNORECASE)
CSS_URL = re.compile(
    r"""url\(\s*(['"]?)(?P<url>[^'")]*)\1\s*\)|@import\s+(['"])(?P<imp>[^'"]*)\3""",
    re.IGNORECASE,
)
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class Page(HTMLParser):
    """Collects the ids, the <base href> and the outgoing URLs of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.base: str | None = None
        self.urls: list[tuple[int, str]] = []  # (line, url)
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self._tag(tag, attrs)
        if tag == "style":
            self._in_style = True

    def handle_startendtag(self, tag, attrs):
        self._tag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            line = self.getpos()[0]
            self.urls.extend((line, u) for u in css_urls(data))

    def _tag(self, tag, attrs):
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif tag == "base" and name == "href":
                if self.base is None:
                    self.base = value
            elif name in URL_ATTRS:
                self.urls.append((line, value.strip()))
            elif name == "srcset":
                for candidate in value.split(","):
                    parts = candidate.split()
                    if parts:
                        self.urls.append((line, parts[0]))
            elif name == "style":
                self.urls.extend((line, u) for u in css_urls(value))


def css_urls(text: str) -> list[str]:
    return [
        (m.group("url") if m.group("url") is not None else m.group("imp")).strip()
        for m in CSS_URL.finditer(text)
    ]


def is_external(url: str) -> bool:
    return bool(SCHEME.match(url)) or url.startswith("//")


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "book/book").resolve()
    if not root.is_dir():
        print(f"check_links: {root} is not a directory (build the book first)")
        return 1

    pages: dict[Path, Page] = {}
    for path in sorted(root.rglob("*.html")):
        page = Page()
        page.feed(path.read_text(encoding="utf-8", errors="replace"))
        page.close()
        pages[path.resolve()] = page

    # (file, line, url, base directory for relative urls)
    links: list[tuple[Path, int, str, Path]] = []
    for path, page in pages.items():
        base_dir = path.parent
        if page.base is not None and not is_external(page.base):
            b = page.base
            base_dir = (root / b.lstrip("/")) if b.startswith("/") else (path.parent / b)
            if not b.endswith("/"):
                base_dir = base_dir.parent
        links.extend((path, line, url, base_dir) for line, url in page.urls)
    for path in sorted(root.rglob("*.css")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for m in CSS_URL.finditer(text):
            url = (m.group("url") if m.group("url") is not None else m.group("imp")).strip()
            line = text.count("\n", 0, m.start()) + 1
            links.append((path.resolve(), line, url, path.parent))

    errors: list[str] = []
    checked = 0
    for path, line, url, base_dir in links:
        where = f"{path.relative_to(root)}:{line}"
        if not url:
            continue
        if is_external(url):
            scheme = url.split(":", 1)[0].lower() if SCHEME.match(url) else "https"
            if scheme in ("http", "https") and MATH_CDN.search(url):
                errors.append(
                    f"{where}: external KaTeX/MathJax asset {url!r} "
                    "(math must render offline: mdbook-katex output = \"mathml\", no-css = true)"
                )
            continue
        checked += 1
        parts = urlsplit(url)
        target_path = unquote(parts.path)
        fragment = unquote(parts.fragment)
        if not target_path:
            target = path  # `#id` (or `?q`) refers to the page itself
        elif target_path.startswith("/"):
            target = root / target_path.lstrip("/")
        else:
            target = base_dir / target_path
        target = target.resolve()
        if target.is_dir():
            target = target / "index.html"
        if root != target and root not in target.parents:
            errors.append(f"{where}: link {url!r} leaves the book directory")
            continue
        if not target.is_file():
            errors.append(f"{where}: broken link {url!r}: {target.relative_to(root)} does not exist")
            continue
        if fragment and target.suffix == ".html":
            ids = pages[target].ids if target in pages else set()
            if fragment not in ids:
                errors.append(
                    f"{where}: broken anchor {url!r}: no id {fragment!r} in {target.relative_to(root)}"
                )

    for e in errors:
        print(e)
    n_css = sum(1 for _ in root.rglob("*.css"))
    print(
        f"check_links: {len(pages)} html + {n_css} css files, {checked} internal links checked, "
        f"{len(errors)} problem(s)"
    )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
