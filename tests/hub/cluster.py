"""A throwaway PostgreSQL cluster in a temporary folder, for the hub's tests and benchmarks.

initdb and pg_ctl refuse to run as root: as root the cluster is run as the `postgres` user, in a
folder that user owns (mode 755, so the tests can reach its socket)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

MISSING = "PostgreSQL 15 or later is not installed: run `sudo apt-get install postgresql` for the hub tests"


def find_postgres() -> Path | None:
    """The bin folder of the newest PostgreSQL (15 or later) installed, or None."""
    found = []
    for bindir in Path("/usr/lib/postgresql").glob("*/bin"):
        if re.fullmatch(r"[0-9]+", bindir.parent.name) and int(bindir.parent.name) >= 15 and (bindir / "initdb").exists():
            found.append((int(bindir.parent.name), bindir))
    if found:
        return max(found)[1]
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Cluster:
    bindir: Path
    folder: Path
    port: int
    user: str

    @classmethod
    def start(cls, bindir: Path) -> Cluster:
        folder = Path(tempfile.mkdtemp(prefix="till-hub-pg-"))
        os.chmod(folder, 0o755)
        as_root = os.geteuid() == 0
        if as_root:
            shutil.chown(folder, "postgres")
        found = cls(bindir, folder, _free_port(), "postgres" if as_root else os.environ.get("USER", "postgres"))
        found._run("initdb", "-A", "trust", "-U", found.user, "-D", str(folder / "data"), "--no-sync")
        found.start_server()
        return found

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bindir / tool), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start_server(self) -> None:
        # fsync stays on: the crash tests stop the server with -m immediate and need what it said it kept.
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-l", str(self.folder / "log"), "-w", "-o",
                  f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=200", "start")

    def stop_server(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", mode, "-w", "stop")

    def stop(self) -> None:
        try:
            self.stop_server("immediate")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def conninfo(self, dbname: str = "postgres", user: str | None = None) -> str:
        return f"host=127.0.0.1 port={self.port} dbname={dbname} user={user or self.user} connect_timeout=5"

    def sql(self, statement: str, dbname: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.conninfo(dbname), autocommit=True) as conn:
            conn.execute(statement)
