"""The tests talk to this machine only: 127.0.0.0/8 and ::1.

pytest-socket (--allow-hosts) refuses `connect` to any other address. Names are refused
here before they are resolved, so not even a DNS query leaves the machine.
"""

from __future__ import annotations

import ipaddress
import socket

LOOPBACK_NAMES = {"", "localhost", "localhost.localdomain", "ip6-localhost"}
_real_getaddrinfo = socket.getaddrinfo


class NetworkRefused(OSError):
    """A block tried to reach a host that is not this machine."""


def is_loopback(host) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _guarded_getaddrinfo(host, *args, **kwargs):
    if not is_loopback(host):
        raise NetworkRefused(
            f"network access refused: {host!r} is not this machine "
            "(the tests talk only to 127.0.0.1 and ::1)"
        )
    return _real_getaddrinfo(host, *args, **kwargs)


def guard() -> None:
    socket.getaddrinfo = _guarded_getaddrinfo


def is_refusal(error: BaseException | None) -> bool:
    """True if error, or an error it wraps (urllib's URLError.reason, a cause), is a refusal."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, NetworkRefused) or type(error).__module__.startswith("pytest_socket"):
            return True
        reason = getattr(error, "reason", None)
        wrapped = error.__cause__ or error.__context__
        error = reason if isinstance(reason, BaseException) else wrapped
    return False
