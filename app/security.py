"""Security headers on every response, and the session cookie settings that go with them.

The Content-Security-Policy lets a page run only the scripts this site
serves from its own files: no inline ``<script>`` blocks, no ``on*=``
attributes, no ``eval``. Styles may be set inline because the vendored
svg-pan-zoom writes a ``style`` attribute on the diagram it pans; no style
can run code. HSTS is sent only when the request came over HTTPS (directly,
or through a trusted proxy, see ``PROXY_HOPS`` in :mod:`app.config`), so a
plain ``make run`` on 127.0.0.1 never pins a browser to HTTPS.
"""

from __future__ import annotations

import re

from flask import Flask, request
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter
from werkzeug.wrappers import Response

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "HEADERS",
    "BoundedInt",
    "Unstorable",
    "register",
    "unstorable",
]

#: The policy every page is served with.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'self'",
        "object-src 'none'",
    )
)

#: Headers every response carries, whatever its status.
HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

#: Two years, as browsers' preload lists ask.
_HSTS = "max-age=63072000; includeSubDomains"


class BoundedInt(IntegerConverter):
    """The ``int`` of every URL, bounded to the database's integer: a larger one is a 404."""

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 (werkzeug's name)
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


#: What no database column can hold: NUL, and halves of a surrogate pair on their own.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable(text: str) -> str | None:
    """Return a description of the first character of ``text`` no database can store, or None.

    >>> unstorable("fine"), unstorable("a\\x00b"), unstorable("x\\ud800")
    (None, 'a NUL character at position 2', 'a lone surrogate (U+D800) at position 2')
    """
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    where = found.start() + 1
    char = found.group()
    if char == "\x00":
        return f"a NUL character at position {where}"
    return f"a lone surrogate (U+{ord(char):04X}) at position {where}"


class Unstorable(BadRequest):
    """A form or address holds text that cannot be stored; ``description`` says where."""

    #: The error page shows ``description`` rather than the usual words for a 400.
    located = True


#: The most values one form or address may carry: bounds the work before any view starts
#: (next-touchpoint rows, what-if fix keys). A form of the largest journey needs far fewer.
MAX_FORM_VALUES = 2000


class TooManyValues(RequestEntityTooLarge):
    """A form or address with more values than any screen of the app sends."""

    located = True


def _refuse_unstorable() -> None:
    """Refuse a request whose form fields or query hold NUL or lone surrogates, saying where.

    A form or address with more than :data:`MAX_FORM_VALUES` values is
    refused first (413), before anything reads them.
    """
    for source, values in (("form", request.form), ("address", request.args)):
        count = sum(len(found) for _, found in values.lists())
        if count > MAX_FORM_VALUES:
            raise TooManyValues(
                f"The {source} carries {count:,} values, more than the {MAX_FORM_VALUES:,} "
                "any page of Claimpath sends, so nothing was done."
            )
    for source, values in (("form field", request.form), ("address parameter", request.args)):
        for name, value in values.items(multi=True):
            problem = unstorable(value) or unstorable(name)
            if problem:
                raise Unstorable(
                    f"The {source} '{name[:40]}' holds {problem}, which cannot be saved, "
                    "so nothing was changed. Remove it and send the form again."
                )


def _add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", _HSTS)
    return response


def register(app: Flask) -> None:
    """Send the security headers on every response and harden the session cookies.

    Cookies are HttpOnly and SameSite=Lax always, and Secure unless the app
    runs in debug mode; ``SECURE_COOKIES`` (``CLAIMPATH_SECURE_COOKIES=0`` or
    ``1``) overrides that, for a plain-HTTP test host that is not loopback.
    Browsers keep Secure cookies on http://127.0.0.1, so ``make run`` works.
    """
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["REMEMBER_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    app.config["REMEMBER_COOKIE_SAMESITE"] = app.config.get("REMEMBER_COOKIE_SAMESITE") or "Lax"
    secure = app.config.get("SECURE_COOKIES")
    if secure is None:
        secure = not app.debug
    app.config["SESSION_COOKIE_SECURE"] = bool(secure)
    app.config["REMEMBER_COOKIE_SECURE"] = bool(secure)
    app.after_request(_add_headers)
    app.before_request(_refuse_unstorable)
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops:
        # Only as many proxies as the deployment says: a client cannot forge its address.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops
        )
