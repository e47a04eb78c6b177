"""How guessable the Agent Server's own thread IDs are (docs/agent-server.md, the auth
section): the server's `uuid7`, loaded from its module file, made many times in a row."""

from __future__ import annotations

import importlib.util
import itertools
import uuid
from pathlib import Path

import langgraph_api

MODULE = Path(langgraph_api.__file__).parent / "utils" / "uuids.py"


def server_uuid7():
    spec = importlib.util.spec_from_file_location("server_uuids", MODULE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.uuid7


def fields(u: uuid.UUID) -> tuple[int, int, int]:
    """(48-bit millisecond time, 42-bit counter, 32 random bits), RFC 9562 method 1."""
    n = u.int
    counter = ((n >> 64) & 0xFFF) << 30 | (n >> 32) & ((1 << 30) - 1)
    return n >> 80, counter, n & 0xFFFFFFFF


def test_the_server_makes_thread_ids_with_this_function():
    source = (MODULE.parent.parent / "api" / "threads.py").read_text()
    assert "thread_id = thread_id or str(uuid7())" in source


def test_73_random_bits_and_32_within_one_millisecond():
    uuid7 = server_uuid7()
    ids = [uuid7() for _ in range(20_000)]
    assert all(u.version == 7 for u in ids)
    assert all(fields(u)[1] >> 41 == 0 for u in ids), "the counter's top bit is always 0"
    same_ms = [(a, b) for a, b in itertools.pairwise(ids) if fields(a)[0] == fields(b)[0]]
    assert same_ms, "no two IDs in one millisecond: make more"
    # within a millisecond the counter goes up by one: only the last 32 bits are new
    assert all(fields(b)[1] == fields(a)[1] + 1 for a, b in same_ms)
    # a new millisecond reseeds the counter: 41 random bits plus 32
    firsts = [b for a, b in itertools.pairwise(ids) if fields(a)[0] != fields(b)[0]]
    assert len({fields(u)[1] for u in firsts}) == len(firsts)
