# From docs/leases-in-depth.md. Edit the page, then run `make snippets`.
import os

import psycopg

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
NAMES = ("tcp_keepalives_idle", "tcp_keepalives_interval", "tcp_keepalives_count")
SHORTER = "-c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3"


def dead_peer_time(conn: psycopg.Connection, label: str) -> None:
    """How long the server keeps a silent peer's session: idle + interval x count."""
    idle, interval, count = (int(conn.execute(f"SHOW {name}").fetchone()[0]) for name in NAMES)
    total = idle + interval * count
    hours, rest = divmod(total, 3600)
    print(
        f"{label}: {idle} s + {interval} s x {count} = {total:,} s"
        + (f" ({hours} h {rest // 60} min {rest % 60} s)" if hours else "")
    )


with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
    configured = [
        conn.execute("SELECT reset_val FROM pg_settings WHERE name = %s", (n,)).fetchone()[0]
        for n in NAMES
    ]
    print(f"configured on the server: {', '.join(configured)} (0: the operating system's value)")
    dead_peer_time(conn, "in effect on this connection")

    conn.execute("SET tcp_keepalives_idle = 10")  # the holder's own session
    conn.execute("SET tcp_keepalives_interval = 5")
    conn.execute("SET tcp_keepalives_count = 3")
    dead_peer_time(conn, "after SET in the session")

with psycopg.connect(DATABASE_URL, autocommit=True, options=SHORTER) as conn:
    dead_peer_time(conn, "from the connection string")
