"""Where `translate serve` listens: whether it can (checked before anything is printed), and the
addresses a colleague can open when it listens beyond this machine."""

from __future__ import annotations

import errno
import ipaddress
import socket

from translate.errors import ConfigError


def check_port(host: str, port: int) -> None:
    """Make sure the server can listen on host:port (by binding it a moment, as the server then does):
    a busy port or a host that is not this machine's is a ConfigError (exit code 2) naming the option
    to change, instead of the server's own error after the address was printed."""
    family, address = _address(host, port)
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: a closed server's port
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(
                f"port {port} is already in use on {host} (by another `translate serve` or another program): stop "
                f"that program, or choose another port with --port, e.g. --port {port + 1 if port < 65535 else 8765}."
            ) from None
        if exc.errno == errno.EADDRNOTAVAIL:
            raise ConfigError(
                f"--host {host} is not an address of this machine: give one of its addresses, 127.0.0.1 for this "
                "machine only, or 0.0.0.0 for every address."
            ) from None
        if exc.errno == errno.EACCES:
            raise ConfigError(
                f"this user may not listen on port {port} (ports below 1024 need administrator rights): choose "
                "another with --port, e.g. --port 8765."
            ) from None
        raise ConfigError(
            f"cannot listen on {host} port {port}: {exc.strerror}; choose another --host or --port."
        ) from None
    sock.close()


def _address(host: str, port: int) -> tuple[socket.AddressFamily, tuple[str, int] | tuple[str, int, int, int]]:
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        if literal.version == 6:
            return socket.AF_INET6, (str(literal), port, 0, 0)
        return socket.AF_INET, (str(literal), port)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError):
        raise ConfigError(
            f"--host {host} is not a name or address of this machine: give one of its addresses, 127.0.0.1 for "
            "this machine only, or 0.0.0.0 for every address."
        ) from None
    family, _, _, _, address = infos[0]
    return family, address  # type: ignore[return-value]


def urls(host: str, port: int) -> list[str]:
    """The addresses to open the page at: for a wildcard host (0.0.0.0, ::) this machine's network
    addresses other than loopback (none when it has no network), else the host itself."""
    bare = host.strip("[]")
    if bare not in ("0.0.0.0", "::", ""):
        return [_url(bare, port)]
    return [_url(address, port) for address in interface_addresses(ipv6=bare == "::")]


def interface_addresses(*, ipv6: bool) -> list[str]:
    """This machine's IPv4 addresses (and global IPv6 ones when ``ipv6``), loopback and link-local left out."""
    import psutil

    found: list[str] = []
    families = (socket.AF_INET, socket.AF_INET6) if ipv6 else (socket.AF_INET,)
    for addresses in psutil.net_if_addrs().values():
        for entry in addresses:
            if entry.family not in families:
                continue
            try:
                address = ipaddress.ip_address(entry.address.split("%", 1)[0])
            except ValueError:
                continue
            if not (address.is_loopback or address.is_link_local or address.is_unspecified):
                found.append(str(address))
    return sorted(dict.fromkeys(found), key=lambda a: (":" in a, a))


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"
