"""`translate serve` where it listens: a busy port is one clear message, and an address open to the
office network is printed as addresses a colleague can open."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from tests.helpers import make_project
from translate import listen
from translate.cli import app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_busy_port_is_one_clear_message_with_exit_code_2(tmp_path: Path) -> None:
    root = make_project(tmp_path / "site")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "translate", "-C", str(root), "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stdout == ""  # no address printed for a server that never listened
    assert done.stderr.startswith(f"error: port {port} is already in use on 127.0.0.1")
    assert "--port" in done.stderr and done.stderr.count("\n") == 1
    assert "Errno" not in done.stderr and "Traceback" not in done.stderr


def test_a_host_that_is_not_this_machines_is_refused(tmp_path: Path) -> None:
    root = make_project(tmp_path / "site")
    result = CliRunner().invoke(app, ["-C", str(root), "serve", "--host", "192.0.2.123", "--port", str(free_port())])
    assert result.exit_code == 2 and "is not an address of this machine" in result.output


def test_listening_on_every_address_prints_the_machines_addresses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path / "site")
    started: list[dict[str, object]] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: started.append(kw))
    monkeypatch.setattr(listen, "interface_addresses", lambda ipv6: ["192.168.0.12", "10.8.0.3"])
    port = free_port()
    result = CliRunner().invoke(app, ["-C", str(root), "serve", "--host", "0.0.0.0", "--port", str(port)])
    assert result.exit_code == 0, result.output
    assert "0.0.0.0" not in result.output
    [token] = re.findall(rf"Review at http://192\.168\.0\.12:{port}/\?token=(\S+)", result.output)
    assert result.output.count(token) == 1  # printed once, as before
    assert f"or at http://10.8.0.3:{port}/?token=… (the same token)" in result.output
    assert started == [{"host": "0.0.0.0", "port": port, "log_level": "warning"}]


def test_a_machine_without_a_network_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path / "site")
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: None)
    monkeypatch.setattr(listen, "interface_addresses", lambda ipv6: [])
    port = free_port()
    result = CliRunner().invoke(app, ["-C", str(root), "serve", "--host", "0.0.0.0", "--port", str(port)])
    assert result.exit_code == 0, result.output
    assert "no network address besides 127.0.0.1" in result.output
    assert f"Review at http://127.0.0.1:{port}/?token=" in result.output


def test_interface_addresses_leave_out_loopback_and_link_local(monkeypatch: pytest.MonkeyPatch) -> None:
    def entry(family: socket.AddressFamily, address: str) -> SimpleNamespace:
        return SimpleNamespace(family=family, address=address)

    fake = {
        "lo": [entry(socket.AF_INET, "127.0.0.1"), entry(socket.AF_INET6, "::1")],
        "eth0": [
            entry(socket.AF_INET, "192.168.0.12"),
            entry(socket.AF_INET6, "2001:db8::12"),
            entry(socket.AF_INET6, "fe80::1%eth0"),
            entry(socket.AF_PACKET, "02:00:00:00:00:01"),
        ],
        "wlan0": [entry(socket.AF_INET, "169.254.10.1"), entry(socket.AF_INET, "10.8.0.3")],
    }
    monkeypatch.setattr("psutil.net_if_addrs", lambda: fake)
    assert listen.interface_addresses(ipv6=False) == ["10.8.0.3", "192.168.0.12"]
    assert listen.interface_addresses(ipv6=True) == ["10.8.0.3", "192.168.0.12", "2001:db8::12"]
    assert listen.urls("::", 9000)[-1] == "http://[2001:db8::12]:9000/"
    assert listen.urls("192.168.0.12", 9000) == ["http://192.168.0.12:9000/"]


def test_the_real_interfaces_are_listed_without_loopback() -> None:
    for address in listen.interface_addresses(ipv6=True):
        assert not address.startswith("127.") and address not in ("::1", "0.0.0.0")
