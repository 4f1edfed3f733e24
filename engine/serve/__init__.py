"""``coalition serve``: the case explorer in the browser (the optional ``serve`` extra).

Starlette and uvicorn are imported here, so importing this package without them installed
raises ImportError; the CLI imports it only inside ``coalition serve`` and says how to install
them. ``create_app`` builds the application (its tests use Starlette's test client); ``run``
serves it.
"""

from __future__ import annotations

from digital_coalitions.serve.app import create_app

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def is_loopback(host: str) -> bool:
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str, extra=()) -> tuple[str, ...]:
    """The names a request's ``Host`` may give for a server bound to ``host``."""
    names = list(LOOPBACK) + [h.lower() for h in extra]
    if host not in ("0.0.0.0", "::", ""):
        names.append(host.strip("[]").lower())
    else:  # every interface: the machine's own names
        import socket

        names += [socket.gethostname().lower(), socket.getfqdn().lower()]
    return tuple(dict.fromkeys(names))


def run(cases, host: str = "127.0.0.1", port: int = 8765, extra_hosts=(), ready=None) -> None:
    """Serve the explorer until interrupted; ``ready(port)`` is called once it listens (with
    the port it got, for ``port=0``)."""
    import uvicorn

    app = create_app(cases, allowed_hosts=allowed_hosts(host, extra_hosts))
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                            server_header=False, limit_concurrency=64)
    server = uvicorn.Server(config)
    if ready is not None:
        original = server.startup

        async def startup(sockets=None):
            await original(sockets=sockets)
            if server.started:
                sockets = [s for srv in server.servers for s in srv.sockets]
                ready(sockets[0].getsockname()[1] if sockets else port)

        server.startup = startup
    server.run()


__all__ = ["allowed_hosts", "create_app", "is_loopback", "run"]
