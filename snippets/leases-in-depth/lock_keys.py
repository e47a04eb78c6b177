# From docs/leases-in-depth.md. Edit the page, then run `make snippets`.
import math
import os

import psycopg
from lock_key import lock_key

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def p_shared(names: int, bits: int) -> float:
    """Probability that some two of `names` distinct names get the same key (birthday bound)."""
    return -math.expm1(-names * (names - 1) / 2 / 2**bits)


print("chance that some two resources share a lock:")
for n in (1_000, 9_300, 77_000, 1_000_000):
    print(f"  {n:>9,} names: 32-bit key {p_shared(n, 32):7.2%}   64-bit key {p_shared(n, 64):.1e}")

with (
    psycopg.connect(DATABASE_URL, autocommit=True) as one,
    psycopg.connect(DATABASE_URL, autocommit=True) as two,
):
    # the first two names of the form resource-<i> that hashtext maps to one key
    first, second, key = one.execute(
        """
        SELECT min(name), max(name), hashtext(min(name)) FROM (
            SELECT 'resource-' || i AS name, i, hashtext('resource-' || i) AS h
            FROM generate_series(1, 200000) AS i
        ) AS names
        GROUP BY h HAVING count(*) > 1
        ORDER BY max(i) LIMIT 1
        """
    ).fetchone()
    print(f"hashtext({first!r}) = hashtext({second!r}) = {key}")

    one.execute("SELECT pg_advisory_lock(7003, hashtext(%s))", (first,))
    got = two.execute("SELECT pg_try_advisory_lock(7003, hashtext(%s))", (second,)).fetchone()[0]
    print(f"{first} locked with hashtext; can another worker lock {second}? {got}")
    one.execute("SELECT pg_advisory_unlock(7003, hashtext(%s))", (first,))

    one.execute("SELECT pg_advisory_lock(%s)", (lock_key(first),))
    got = two.execute("SELECT pg_try_advisory_lock(%s)", (lock_key(second),)).fetchone()[0]
    print(f"{first} locked with a 64-bit blake2b key; can another lock {second}? {got}")
    one.execute("SELECT pg_advisory_unlock_all()")
    two.execute("SELECT pg_advisory_unlock_all()")
