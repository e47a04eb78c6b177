# From docs/thread-isolation.md. Edit the page, then run `make snippets`.
from urllib.parse import quote, unquote

MAX_LENGTH = 1000


def thread_id(*parts: str) -> str:
    """One thread ID from its parts: different parts never give the same ID."""
    if not parts:
        raise ValueError("a thread ID needs at least one part")
    for part in parts:
        if not isinstance(part, str):
            raise TypeError(f"thread ID parts must be str, not {type(part).__name__}: {part!r}")
    built = ":".join(quote(part, safe="", errors="surrogatepass") for part in parts)
    if len(built) > MAX_LENGTH:  # PostgreSQL's index refuses 3,000 random characters
        raise ValueError(f"a thread ID may hold at most {MAX_LENGTH} characters, not {len(built)}")
    return built


def thread_id_parts(value: str) -> tuple[str, ...]:
    """The parts a thread ID was built from: thread_id_parts(thread_id(*p)) == p."""
    return tuple(unquote(part, errors="surrogatepass") for part in value.split(":"))


if __name__ == "__main__":
    for parts in [("user", "u42", "session", "s7"), ("user", "a:b", "session", ""), ("task", "")]:
        built = thread_id(*parts)
        print(f"{parts!s:<36} -> {built!r:<28} -> back: {thread_id_parts(built) == parts}")
