"""Real servers the publishing tests send to, started on free loopback ports and stopped after: OpenSSH's sshd
(Debian's ``openssh-server``) with throwaway keys, and moto's S3 server."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, what: str) -> None:
    for _ in range(300):  # bounded: 30 s at most
        if process.poll() is not None:
            raise RuntimeError(f"{what} stopped at start (exit {process.returncode})")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on {port}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class SshServer:
    port: int
    options: str  # what FRONTLINE_SSH_OPTIONS holds for it: the throwaway key and known_hosts

    def url(self, folder: Path) -> str:
        return f"ssh://root@127.0.0.1:{self.port}{folder}"

    def settle(self, folder: Path) -> None:
        """Waits until no process works in ``folder``: a client killed mid-command leaves the server finishing (or
        abandoning) what it was told, in processes no longer tied to the session, and a test reads the folder after
        that, not during it. (The server's commands and rsync work from inside the folder.)"""
        for _ in range(3000):  # bounded: a minute at most
            if not any(_works_in(pid, folder) for pid in os.listdir("/proc") if pid.isdigit()):
                return
            time.sleep(0.02)
        raise RuntimeError(f"processes still work in {folder} a minute after the client was killed")


def _works_in(pid: str, folder: Path) -> bool:
    try:
        return Path(os.readlink(f"/proc/{pid}/cwd")).is_relative_to(folder)
    except OSError:
        return False


def _ssh_banner(port: int) -> bool:
    """Whether what listens on ``port`` greets as an SSH server does."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        try:
            return connection.recv(4).startswith(b"SSH-")
        except OSError:
            return False


@contextmanager
def ssh_server(root: Path):
    """sshd on a free loopback port, running as the current user (root here), trusting one throwaway key."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("host", "user"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(root / name)], check=True)
    (root / "authorized_keys").write_text((root / "user.pub").read_text())
    # The port is free when picked, not when sshd binds it: a server another test starts meanwhile may take it, and
    # ssh then waits on that server for a banner that never comes. Only a port answering with sshd's banner, while
    # this sshd runs, is used; otherwise another port is tried.
    for _attempt in range(5):
        port = free_port()
        config = root / "sshd_config"
        config.write_text(
            textwrap.dedent(
                f"""\
                Port {port}
                ListenAddress 127.0.0.1
                HostKey {root / "host"}
                PidFile {root / "sshd.pid"}
                AuthorizedKeysFile {root / "authorized_keys"}
                PermitRootLogin yes
                StrictModes no
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                UsePAM no
                MaxStartups 50
                """
            )
        )
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # privilege separation folder, as sshd's service makes it
        # Its log kept beside it (-e: to stderr), for a test that waits on it to be understood.
        with open(root / "sshd.log", "ab") as log:
            process = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", str(config)], stderr=log)
        with suppress(RuntimeError):
            _wait_for_port(port, process, "sshd")
            if _ssh_banner(port) and process.poll() is None:
                break
        _stop(process)
    else:
        raise RuntimeError("sshd found no free port in five tries")
    host_key = (root / "host.pub").read_text().split()
    (root / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_key[0]} {host_key[1]}\n")
    try:
        options = f"-i {root / 'user'} -o IdentitiesOnly=yes -o UserKnownHostsFile={root / 'known_hosts'}"
        options += " -o StrictHostKeyChecking=yes"
        yield SshServer(port, options)
    finally:
        _stop(process)


@dataclass
class S3Server:
    endpoint: str
    recording: Path  # the requests moto received while recording (its recorder API), one JSON object a line

    def record(self, on: bool) -> None:
        """Starts (after clearing) or stops moto's record of the requests it receives."""
        if on:
            urllib.request.urlopen(
                urllib.request.Request(f"{self.endpoint}/moto-api/recorder/reset-recording", method="POST")
            )
        action = "start" if on else "stop"
        urllib.request.urlopen(
            urllib.request.Request(f"{self.endpoint}/moto-api/recorder/{action}-recording", method="POST")
        )

    def requests(self) -> list[dict]:
        text = self.recording.read_text(encoding="utf-8") if self.recording.exists() else ""
        return [json.loads(line) for line in text.split("\n")[:-1] if line.strip()]  # not a line still being written


@contextmanager
def s3_server(root: Path):
    """moto's S3 server (``python -m moto.server``) on a free loopback port; its recordings go under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    port = free_port()
    recording = root / "requests.jsonl"
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-p", str(port), "-H", "127.0.0.1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "MOTO_RECORDER_FILEPATH": str(recording)},
        cwd=root,
    )
    try:
        _wait_for_port(port, process, "moto")
        yield S3Server(f"http://127.0.0.1:{port}", recording)
    finally:
        _stop(process)


def digests(folder: Path) -> dict[str, str]:
    """Every regular file under ``folder`` (followed through a ``current`` link) and its sha256."""
    found = {}
    for directory, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(directory, name)
            found[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL ``process`` and every child it started (rsync, ssh): a publish stopped as a power cut stops it."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
