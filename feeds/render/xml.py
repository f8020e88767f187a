"""Shared XML serialization: one declaration style, UTF-8, indented, byte-for-byte repeatable."""

from __future__ import annotations

from lxml import etree

XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'


def declared(document: bytes) -> bytes:
    """``document`` (UTF-8, serialized without a declaration) behind finews's declaration."""
    return XML_DECLARATION + document


def to_bytes(root: etree._Element) -> bytes:
    """The document as UTF-8 bytes with a double-quoted declaration and a final newline."""
    etree.indent(root, space="  ")
    return declared(etree.tostring(root, encoding="utf-8") + b"\n")


def sub(
    parent: etree._Element, tag: str, text: str | None = None, /, **attrs: str
) -> etree._Element:
    """Append a child element with optional text and attributes (in the order given).

    ``text`` is positional-only so that an attribute may be called ``text`` (OPML).
    """
    element = etree.SubElement(parent, tag)
    for name, value in attrs.items():
        element.set(name, value)
    if text is not None:
        element.text = text
    return element
