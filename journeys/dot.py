"""Writing DOT by hand: quoting, HTML-like labels, tooltips and links that Graphviz reads safely.

Text a user wrote (titles, names, content) reaches a DOT file only through
:func:`label` or :func:`tooltip`, so a title such as
``"x" <script>…</script> ];`` is drawn as text and never breaks the DOT or the
SVG Graphviz makes from it.
"""

from __future__ import annotations

import html
import re
import textwrap
from urllib.parse import quote

__all__ = ["clean", "edge", "label", "quoted", "statement", "tooltip", "url"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def clean(value: str) -> str:
    """Return ``value`` on one line: control characters and whitespace runs become one space."""
    return " ".join(_CONTROL.sub(" ", value).split())


def label(value: str, width: int = 0, lines: int = 4) -> str:
    r"""Return ``value`` as HTML-label text: cleaned, escaped, wrapped with ``<BR/>``.

    Graphviz expands ``\N`` and friends even in HTML labels; ``\\`` shows as one backslash.

    >>> print(label('"x" <script>alert(1)</script> ]; \\N'))
    &quot;x&quot; &lt;script&gt;alert(1)&lt;/script&gt; ]; \\N
    >>> print(label("Welcome email for the new intake", width=14))
    Welcome email<BR/>for the new<BR/>intake
    """
    value = clean(value)
    parts = textwrap.wrap(value, width) if width and len(value) > width else [value]
    if len(parts) > lines:
        parts = [*parts[: lines - 1], parts[lines - 1] + " …"]
    return "<BR/>".join(html.escape(p).replace("\\", "\\\\") for p in parts)


def tooltip(*lines: str) -> str:
    """Return a tooltip for :func:`statement` that shows each line literally, one per line."""
    # Graphviz unescapes tooltips twice, so a backslash takes four; it keeps entities.
    shown = (clean(s).replace("&", "&amp;").replace("\\", "\\\\\\\\") for s in lines)
    return "\\n".join(shown)


def url(address: str) -> str:
    """Return ``address`` percent-encoded, as Graphviz copies it into SVG without escaping."""
    return quote(address, safe="/:?#[]@!$&()*+,;=%~").replace("&", "&amp;")


def statement(head: str, attrs: dict[str, str], indent: str = "\t") -> str:
    """Return a DOT statement line: ``label`` is an HTML-like label, other values are quoted.

    Only :func:`label`, :func:`tooltip`, :func:`url` and literals supply values, so
    none has a stray quote or ends with a lone backslash.

    >>> statement('"a" -> "b"', {"label": "<80%>", "tooltip": 'say "hi"'})
    '\\t"a" -> "b" [label=<80%> tooltip="say \\\\"hi\\\\""]\\n'
    """
    items = " ".join(
        k + "=" + (v if k == "label" else '"' + v.replace('"', '\\"') + '"')
        for k, v in attrs.items()
    )
    return f"{indent}{head} [{items}]\n"


def quoted(node: str) -> str:
    """Return a node name as a DOT quoted id."""
    return '"' + node.replace("\\", "\\\\").replace('"', '\\"') + '"'


def edge(tail: str, head: str, attrs: dict[str, str]) -> str:
    """Return a DOT edge statement from ``tail`` to ``head``."""
    return statement(f"{quoted(tail)} -> {quoted(head)}", attrs)
