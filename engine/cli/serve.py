"""``coalition serve``: the case explorer in the browser (needs the ``serve`` extra)."""

from __future__ import annotations

import click

from digital_coalitions.cli.common import UsageProblem, cases_option

INSTALL = "pip install 'digital-coalitions[serve]'"


@click.command()
@cases_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on. Anything but loopback needs --allow-remote.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True)
@click.option("--allow-remote", is_flag=True,
              help="Listen on a --host other than loopback: anyone who can reach it can read "
                   "the case files' evidence and keep the engine busy.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Another name a browser may use for this server (the Host header), e.g. "
                   "this machine's name on the network (repeatable).")
def serve(cases, host, port, allow_remote, allow_hosts):
    """Explore a question in the browser: change the evidence, watch the answer move.

    Prints the address and serves until interrupted; opens nothing. No case file is written."""
    try:
        from digital_coalitions import serve as explorer
    except ImportError as missing:
        if (missing.name or "").startswith("digital_coalitions"):
            raise
        raise UsageProblem(f"coalition serve needs the serve extra ({missing.name or missing} is "
                           f"not installed); install it with: {INSTALL}") from None
    from digital_coalitions import api

    if not explorer.is_loopback(host):
        if not allow_remote:
            raise UsageProblem(f"--host {host}: not a loopback address; expected 127.0.0.1, or "
                               "--allow-remote to listen on the network on purpose")
        click.echo(f"warning: listening on {host}, not loopback: anyone who can reach this "
                   "machine can use the explorer (it has no login)", err=True)
    cases.base  # load the case files now: a bad file is an error before anything listens
    api.warm()
    shown = f"[{host}]" if ":" in host else host
    explorer.run(cases, host=host, port=port, extra_hosts=allow_hosts,
                 ready=lambda got: click.echo(f"coalition serve: the explorer is at "
                                              f"http://{shown}:{got}  (Ctrl-C stops it)"))
