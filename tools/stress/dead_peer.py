"""A holder whose packets vanish: how long a PostgreSQL advisory lock outlives a dead peer.

As root, with `tc` and `ip` (iproute2): a rule drops, at the loopback interface's ingress,
only the holders' connections, and is removed afterwards.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from tools.stress.patterns import lock_key


def partition_problem() -> str | None:
    if os.geteuid() != 0:
        return "needs root (it adds a traffic-control rule on the loopback interface)"
    missing = [tool for tool in ("tc", "ip", "ss") if shutil.which(tool) is None]
    if missing:
        return f"needs {', '.join(missing)} (iproute2)"
    return None


@contextmanager
def dropped(ports: list[int], server_port: int) -> Iterator[None]:
    """Drop, at lo's ingress, every packet of the TCP connections from these client ports.

    Dropping at ingress, after the sender's transmit succeeded, is what a dead peer looks
    like: an egress drop is reported to the sender, and Linux then treats a lost keepalive
    probe as local congestion and never counts it.
    """
    sink = f"csadrop{os.getpid() % 100000}"
    prefs = []
    had_clsact = (
        "clsact"
        in subprocess.run(
            ["tc", "qdisc", "show", "dev", "lo"], capture_output=True, text=True, check=True
        ).stdout
    )

    def tc(*args: str) -> None:
        subprocess.run(["tc", *args], check=True, capture_output=True)

    subprocess.run(["ip", "link", "add", sink, "type", "ifb"], check=True)  # stays down
    try:
        if not had_clsact:
            tc("qdisc", "add", "dev", "lo", "clsact")
        for n, port in enumerate(ports):
            for pref, (src, dst) in enumerate(
                ((port, server_port), (server_port, port)), start=49000 + 2 * n
            ):
                prefs.append(pref)
                tc(
                    *("filter", "add", "dev", "lo", "ingress", "protocol", "ip"),
                    *("pref", str(pref), "u32"),
                    *("match", "ip", "sport", str(src), "0xffff"),
                    *("match", "ip", "dport", str(dst), "0xffff"),
                    *("action", "mirred", "egress", "redirect", "dev", sink),
                )
        yield
    finally:
        if had_clsact:
            for pref in prefs:
                subprocess.run(
                    ["tc", "filter", "del", "dev", "lo", "ingress", "pref", str(pref)],
                    capture_output=True,
                )
        else:
            subprocess.run(["tc", "qdisc", "del", "dev", "lo", "clsact"], capture_output=True)
        subprocess.run(["ip", "link", "del", sink], capture_output=True)


def wait_until_acknowledged(port: int, server_port: int) -> None:
    """Wait until the server has no unacknowledged bytes on this connection.

    With data in flight, TCP retransmission (tcp_retries2, or tcp_user_timeout), not
    keepalive, decides when the server gives up.
    """
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        out = subprocess.run(
            [
                "ss",
                "-tnH",
                "state",
                "established",
                f"( sport = :{server_port} and dport = :{port} )",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        if out and out[1] == "0":  # Send-Q (Recv-Q and Send-Q with no State column)
            return
        time.sleep(0.01)
    raise RuntimeError("the server still had unacknowledged data after 5 s")


def keepalive_timer(port: int, server_port: int) -> str:
    """The server socket's keepalive timer for this client, as `ss -o` shows it."""
    out = subprocess.run(
        ["ss", "-tnoH", "state", "established"]
        + [f"( sport = :{server_port} and dport = :{port} )"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"timer:\(keepalive,([^,]+),", out)
    return match.group(1) if match else "none"


def dead_holder(url: str, keepalive=(1, 1, 2), wait_limit: float = 30.0) -> dict:
    """Three holders lose their network at once: one with short server-side keepalives, one
    with the server's defaults, one with the defaults and client_connection_check_interval.
    When can someone else take each one's lock?"""
    problem = partition_problem()
    if problem:
        return {"skipped": problem}
    import psycopg

    idle, interval, count = keepalive
    settings = {
        "short": [
            f"SET tcp_keepalives_idle = {idle}",
            f"SET tcp_keepalives_interval = {interval}",
            f"SET tcp_keepalives_count = {count}",
        ],
        "default": [],
        "check": ["SET client_connection_check_interval = '500ms'"],
    }
    with ExitStack() as stack:
        holders = {}
        for name, statements in settings.items():
            conn = stack.enter_context(psycopg.connect(url, autocommit=True))
            for statement in statements:
                conn.execute(statement)
            shown = [
                int(conn.execute(f"SHOW tcp_keepalives_{s}").fetchone()[0])
                for s in ("idle", "interval", "count")
            ]
            key = lock_key(f"dead-holder/{name}/{os.getpid()}")
            conn.execute("SELECT pg_advisory_lock(%s)", (key,))
            port, server_port, pid = conn.execute(
                "SELECT inet_client_port(), inet_server_port(), pg_backend_pid()"
            ).fetchone()
            holders[name] = {"key": key, "port": port, "pid": pid, "keepalive": shown}
        for h in holders.values():
            wait_until_acknowledged(h["port"], server_port)
        waiter = stack.enter_context(psycopg.connect(url, autocommit=True))
        waiter.execute(f"SET lock_timeout = '{int(wait_limit * 1000)}ms'")

        def free(name: str) -> bool:
            key = holders[name]["key"]
            return waiter.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()[0]

        try:
            with dropped([h["port"] for h in holders.values()], server_port):
                start = time.perf_counter()
                waiter.execute("SELECT pg_advisory_lock(%s)", (holders["short"]["key"],))
                released_after = time.perf_counter() - start
                default_free, check_free = free("default"), free("check")
                observed = time.perf_counter() - start
                timer = keepalive_timer(holders["default"]["port"], server_port)
        finally:
            # the other holders' backends would wait hours for their dead peers: end them
            for name in ("default", "check"):
                waiter.execute("SELECT pg_terminate_backend(%s)", (holders[name]["pid"],))
        waiter.execute("SELECT pg_advisory_unlock_all()")
    short, default = holders["short"]["keepalive"], holders["default"]["keepalive"]
    return {
        "short_keepalive": short,
        "short_expected_s": short[0] + short[1] * short[2],
        "short_released_after_s": round(released_after, 2),
        "default_keepalive": default,
        "default_expected_s": default[0] + default[1] * default[2],
        "default_still_held": not default_free,
        "default_keepalive_timer": timer,
        "check_interval_still_held": not check_free,
        "observed_for_s": round(observed, 2),
    }
