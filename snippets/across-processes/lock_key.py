# From docs/across-processes.md. Edit the page, then run `make snippets`.
import hashlib


def lock_key(name: str) -> int:
    """A signed 64-bit advisory lock key: blake2b of the name (no practical collisions)."""
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)
