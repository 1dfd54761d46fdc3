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

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

__all__ = ["CONTENT_SECURITY_POLICY", "HEADERS", "register"]

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
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops:
        # Only as many proxies as the deployment says: a client cannot forge its address.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops
        )
