"""The plain index page: every category with its feeds, discoverable by browsers and readers."""

from __future__ import annotations

from html import escape

from feeds.render.model import SiteInfo, rfc3339

KIND_HEADINGS = {"media": "媒体", "column": "栏目"}


def index_page(site: SiteInfo) -> bytes:
    """An HTML5 page listing the categories (name, slug, count, newest time, feed links)."""
    q = _attr
    lines = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(site.title)}</title>",
        f'<link rel="alternate" type="application/rss+xml" title="{q(site.title)}"'
        f' href="{q(site.all_rss_url)}">',
        f'<link rel="alternate" type="application/atom+xml" title="{q(site.title)}"'
        f' href="{q(site.all_atom_url)}">',
        f'<link rel="alternate" type="application/feed+json" title="{q(site.title)}"'
        f' href="{q(site.all_json_url)}">',
    ]
    for link in site.links:
        lines.append(
            f'<link rel="alternate" type="application/rss+xml" title="{q(link.name)}"'
            f' href="{q(link.rss_url)}">'
        )
    lines += [
        "<style>body{font-family:sans-serif;margin:2em}td,th{padding:.2em .6em;"
        "text-align:left}</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(site.title)}</h1>",
        f'<p>全部文章：<a href="{q(site.all_rss_url)}">RSS</a> · '
        f'<a href="{q(site.all_atom_url)}">Atom</a> · <a href="{q(site.all_json_url)}">JSON</a>'
        f' · <a href="{q(site.base_url + "index.opml")}">OPML</a></p>',
    ]
    for kind, heading in KIND_HEADINGS.items():
        links = [link for link in site.links if link.kind == kind]
        if not links:
            continue
        lines += [
            f"<h2>{heading}</h2>",
            "<table>",
            "<thead><tr><th>名称</th><th>slug</th><th>文章数</th><th>最新文章</th>"
            "<th>订阅</th></tr></thead>",
            "<tbody>",
        ]
        for link in links:
            newest = rfc3339(link.newest) if link.newest else ""
            lines.append(
                f'<tr id="{q(kind)}-{q(link.slug)}"><td>{escape(link.name)}</td>'
                f"<td>{escape(link.slug)}</td><td>{link.count}</td>"
                f'<td><time datetime="{q(newest)}">{escape(newest)}</time></td>'
                f'<td><a href="{q(link.rss_url)}">RSS</a> <a href="{q(link.atom_url)}">Atom</a>'
                f' <a href="{q(link.json_url)}">JSON</a></td></tr>'
            )
        lines += ["</tbody>", "</table>"]
    lines += ["</body>", "</html>", ""]
    return "\n".join(lines).encode("utf-8")


def _attr(value: str) -> str:
    return escape(value, quote=True)
