"""The theme's compiled templates, kept in memory between `make serve` rebuilds.

Each build makes a new Jinja environment, which compiles Material's templates again. The
hooks (tools/sitegen/hooks.py, on_env) give every environment this one bytecode cache, Jinja's
own extension point: a template is compiled once per `make serve`, and again only when its
source changes (Jinja keys the cache by the source's checksum). The hooks module is loaded
afresh for each build; this module, imported normally, stays.
"""

import jinja2


class InMemory(jinja2.BytecodeCache):
    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


CACHE = InMemory()
