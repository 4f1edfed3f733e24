"""The explorer's defences, as ASGI middleware: the ``Host`` check, the body bound, headers.

- ``HostCheck``: a page on another site can make the browser send requests to a name it
  controls that resolves to 127.0.0.1 (DNS rebinding); its ``Host`` header still carries that
  name, so only the names the server was started for are answered (400 otherwise).
- ``BodyLimit``: a request body over the bound is refused (413) before it is read in full,
  whether it says its length (``Content-Length``) or not (chunked); a query string too (414).
- ``SecurityHeaders``: a Content-Security-Policy allowing only the package's own script and
  style (no inline script can run, even if some value escaped the templates), no framing,
  no sniffing, no referrer.
"""

from __future__ import annotations

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
MAX_QUERY = 16 * 1024


async def _plain(send, status: int, text: str) -> None:
    body = (text + "\n").encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def host_name(header: str) -> str:
    """The name in a ``Host`` header, without its port: ``[::1]:8765`` -> ``::1``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class HostCheck:
    def __init__(self, app, allowed: tuple[str, ...]):
        self.app, self.allowed = app, {name.lower() for name in allowed}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        name = host_name(headers.get(b"host", b"").decode("latin-1"))
        if name not in self.allowed:
            shown = name[:60] or "(none)"
            return await _plain(send, 400, f"error: Host header {shown!r} is not this server's; "
                                f"expected one of {', '.join(sorted(self.allowed))}")
        return await self.app(scope, receive, send)


class BodyLimit:
    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if len(scope.get("query_string") or b"") > MAX_QUERY:
            return await _plain(send, 414, f"error: the query string is over {MAX_QUERY} "
                                "bytes; expected a shorter request")
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        too_big = (f"error: the request body is over {self.limit} bytes; expected a smaller "
                   "request")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            return await _plain(send, 413, too_big)
        seen = 0
        started = False

        async def bounded():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooBig()
            return message

        async def watched(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, bounded, watched)
        except _TooBig:
            if not started:
                await _plain(send, 413, too_big)


class _TooBig(Exception):
    pass


class SecurityHeaders:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                message = dict(message)
                message["headers"] = list(message.get("headers") or []) + [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"cache-control", b"no-store")]
            await send(message)

        return await self.app(scope, receive, with_headers)
