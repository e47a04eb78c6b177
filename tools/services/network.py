"""The one network guard: nothing the tests run reaches past 127.0.0.1 and ::1.

    guard()                     every block's sandbox (tools/harness/sandbox.py loads this
                                file by path) and the test process (tools/harness/plugin.py)
    guard(report=path)          a server the tests start (its sitecustomize.py): each
                                refusal is also appended to the report and printed on stderr

Refused before any packet leaves: a name lookup of anything but this machine's names and
addresses, and a connection to (or a datagram sent to) any address but 127.0.0.1 and ::1,
127.0.0.2 and the rest of 127.0.0.0/8 included. It covers the blocking socket API
(``socket.getaddrinfo``, ``gethostbyname``, ``gethostbyname_ex``, ``gethostbyaddr`` and
``getnameinfo``; ``connect``, ``connect_ex`` and ``sendto`` of ``socket.socket``,
which ``socket.create_connection``, urllib, ssl and asyncio's default loop call) and the
event loops' own resolvers and connectors (asyncio's ``BaseEventLoop`` and, when it is
installed, uvloop's ``Loop``, which connects in C without ``socket.socket``). Unix sockets
are not network and stay allowed.

What it does not see: a child process (``curl``, a second interpreter without the guard),
a socket made from the C type ``_socket.socket`` directly, ``sendmsg`` with an address,
and uvloop's datagram endpoints (which send in C).

The standard library only: the sandbox loads this file before anything else is imported.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import os
import socket
import sys
import threading
from collections.abc import Callable

ALLOWED_ADDRESSES = frozenset({ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1")})
LOCAL_NAMES = frozenset({"", "localhost", "localhost.localdomain", "ip6-localhost"})
_MARK = "__docs_network_guard__"  # on every function the guard installs


class NetworkRefused(OSError):
    """Code under test tried to reach a host that is not this machine."""


def is_local(host) -> bool:
    """True for this machine's names, 127.0.0.1 and ::1 (an IPv6 scope, %lo, is ignored)."""
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    if not isinstance(host, str):
        return False
    if host.lower() in LOCAL_NAMES:
        return True
    try:
        address = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:127.0.0.1
    return address in ALLOWED_ADDRESSES or mapped in ALLOWED_ADDRESSES


def refusal_message(host) -> str:
    return (
        f"network access refused: {host!r} is not this machine "
        "(the tests talk only to 127.0.0.1 and ::1)"
    )


class _Settings:
    report: str | None = None
    on_refusal: Callable[[str], None] | None = None
    lock = threading.Lock()


def _refuse(host, how: str):
    line = f"refused {how} to {host!r}"
    with _Settings.lock:
        if _Settings.report:
            with open(_Settings.report, "a", encoding="utf-8") as file:
                file.write(line + "\n")
            print(f"network guard: {line}", file=sys.stderr, flush=True)
        if _Settings.on_refusal is not None:
            _Settings.on_refusal(line)
    raise NetworkRefused(refusal_message(host))


def _remote(family, address) -> bool:
    """A destination on the network: an inet address that is not 127.0.0.1 or ::1."""
    return (
        family in (socket.AF_INET, socket.AF_INET6)
        and isinstance(address, tuple)
        and bool(address)
        and not is_local(address[0])
    )


def _marked(function):
    setattr(function, _MARK, True)
    return function


def _guard_socket_module() -> None:
    real_getaddrinfo = socket.getaddrinfo

    @_marked
    def getaddrinfo(host, *args, **kwargs):
        if not is_local(host):
            _refuse(host, "a name lookup")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo

    # the older resolvers call the C library directly, not getaddrinfo above
    for name in ("gethostbyname", "gethostbyname_ex", "gethostbyaddr"):
        real_lookup = getattr(socket, name)

        @_marked
        def lookup(host, *args, _real=real_lookup, _name=name):
            if not is_local(host):
                _refuse(host, f"a name lookup (socket.{_name})")
            return _real(host, *args)

        setattr(socket, name, lookup)

    real_getnameinfo = socket.getnameinfo

    @_marked
    def getnameinfo(address, flags):  # a reverse lookup: a DNS query for a remote address
        if isinstance(address, tuple) and address and not is_local(address[0]):
            _refuse(address[0], "a name lookup (socket.getnameinfo)")
        return real_getnameinfo(address, flags)

    socket.getnameinfo = getnameinfo

    for method in ("connect", "connect_ex"):
        real = getattr(socket.socket, method)

        @_marked
        def guarded(self, address, _real=real, _method=method):
            if _remote(self.family, address):
                _refuse(address[0], f"socket.{_method}")
            return _real(self, address)

        setattr(socket.socket, method, guarded)

    real_sendto = socket.socket.sendto

    @_marked
    def sendto(self, data, *rest):  # sendto(data, address) or sendto(data, flags, address)
        if rest and _remote(self.family, rest[-1]):
            _refuse(rest[-1][0], "socket.sendto")
        return real_sendto(self, data, *rest)

    socket.socket.sendto = sendto

    # pytest-socket (--allow-hosts in the test process) puts the connect it found at import
    # back after every test: hand it the guarded one, so the guard outlives the first test
    plugin = sys.modules.get("pytest_socket")
    if plugin is not None and not hasattr(plugin._true_connect, _MARK):
        plugin._true_connect = socket.socket.connect


def _guard_loop(loop: type, names: tuple[str, ...]) -> None:
    """Wrap these of the loop class's methods: getaddrinfo, create_connection, sock_connect."""
    real = {name: getattr(loop, name) for name in names}

    @_marked
    async def getaddrinfo(self, host, *args, **kwargs):
        if not is_local(host):
            _refuse(host, "a name lookup (event loop)")
        return await real["getaddrinfo"](self, host, *args, **kwargs)

    @_marked
    async def create_connection(self, *args, **kwargs):
        host = kwargs.get("host", args[1] if len(args) > 1 else None)
        if host is not None and not is_local(host):
            _refuse(host, "a connection (event loop)")
        return await real["create_connection"](self, *args, **kwargs)

    @_marked
    async def sock_connect(self, sock, address):
        if _remote(sock.family, address):
            _refuse(address[0], "a connection (event loop)")
        return await real["sock_connect"](self, sock, address)

    wrappers = {f.__name__: f for f in (getaddrinfo, create_connection, sock_connect)}
    for name in names:
        setattr(loop, name, wrappers[name])


def _guard_event_loops() -> None:
    import asyncio.selector_events

    every = ("getaddrinfo", "create_connection", "sock_connect")
    _guard_loop(asyncio.BaseEventLoop, every)
    # the selector loop (asyncio's loop on Unix) has a sock_connect of its own
    _guard_loop(asyncio.selector_events.BaseSelectorEventLoop, ("sock_connect",))
    if importlib.util.find_spec("uvloop") is not None:
        import uvloop

        _guard_loop(uvloop.Loop, every)  # uvloop connects in C, never through socket.socket


def guard(
    report: str | os.PathLike | None = None,
    on_refusal: Callable[[str], None] | None = None,
) -> None:
    """Install the guard in this process (a second call only changes report and on_refusal).

    report: a file each refusal is appended to, one line ("refused socket.connect to
    '192.0.2.1'"), also printed on stderr; on_refusal: called with that line. Either way
    the caller gets NetworkRefused, an OSError, before anything is sent.
    """
    _Settings.report = os.fspath(report) if report is not None else None
    _Settings.on_refusal = on_refusal
    if hasattr(socket.getaddrinfo, _MARK):
        return
    _guard_socket_module()
    _guard_event_loops()


def is_refusal(error: BaseException | None) -> bool:
    """True if error, or an error it wraps (urllib's URLError.reason, a cause), is a refusal."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if type(error).__name__ == "NetworkRefused" or type(error).__module__.startswith(
            "pytest_socket"
        ):
            return True
        reason = getattr(error, "reason", None)
        wrapped = error.__cause__ or error.__context__
        error = reason if isinstance(reason, BaseException) else wrapped
    return False
