"""What the fault scripts share: a scratch database, gunicorn, HTTP and /proc helpers.

Each fault script makes its own PostgreSQL database (a unique name, dropped at the end) and a
temporary folder for media, static files and logs, migrates it and loads the demo content, and
serves it with the production gunicorn.conf.py and production-like settings (DEBUG=0, a random
SECRET_KEY, ALLOWED_HOSTS=127.0.0.1) on a free port of 127.0.0.1. Everything it starts is
stopped in a `finally`, on Ctrl-C and on SIGTERM too.
"""

import contextlib
import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
HOST = "127.0.0.1"  # the only host these scripts ever talk to
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", "5432", "postgres"

# Variables of the site that the caller's environment must not leak into a scratch run.
SITE_VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "MEDIA_ROOT",
    "PRIVATE_MEDIA_ROOT",
    "STATIC_ROOT",
    "SESSION_ENGINE",
    "AUDIT_LOG_FILE",
    "CSRF_TRUSTED_ORIGINS",
    "SITE_URL",
    "CONN_MAX_AGE",
    "GUNICORN_BIND",
    "GUNICORN_WORKERS",
    "GUNICORN_TIMEOUT",
)


class FaultFailed(Exception):
    """An expectation of the fault script was not met."""


def say(message: str) -> None:
    print(message, flush=True)


def check(condition: bool, message: str, failures: list[str]) -> None:
    """Record a failed expectation (and print it) without stopping the script."""
    if not condition:
        say(f"  ✗ {message}")
        failures.append(message)


def _interrupt(signum, frame):
    # The cleanup that follows (stopping gunicorn, dropping the database) is bounded in time;
    # a second Ctrl-C or SIGTERM must not cut it short.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt(f"signal {signum}")


def interrupt_on_signals() -> None:
    """Ctrl-C and SIGTERM (a CI timeout, `kill`) unwind the script once: every `finally` runs,
    and further signals are ignored while it cleans up."""
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)


def main(name: str, body) -> None:
    """Run `body()` → (summary, failures); print PASS/FAIL and exit 0/1, cleaning up on
    Ctrl-C and SIGTERM."""
    interrupt_on_signals()
    started = time.monotonic()
    try:
        summary, failures = body()
    except KeyboardInterrupt:
        say(f"FAIL: {name}: interrupted")
        sys.exit(1)
    except Exception as error:  # any surprise is a failure of the fault test, with its story
        traceback.print_exc()
        say(f"FAIL: {name}: {type(error).__name__}: {error}")
        sys.exit(1)
    seconds = time.monotonic() - started
    if failures:
        say(f"FAIL: {name}: {'; '.join(failures)} ({seconds:.0f} s)")
        sys.exit(1)
    say(f"PASS: {name}: {summary} ({seconds:.0f} s)")
    sys.exit(0)


# --- Commands --------------------------------------------------------------------------------


def run(args, *, env=None, timeout=120, check_rc=True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if check_rc and result.returncode != 0:
        raise FaultFailed(
            f"{' '.join(map(str, args))} exited {result.returncode}:\n"
            f"{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    return result


def pg_env() -> dict[str, str]:
    return {**os.environ, "PGHOST": PG_HOST, "PGPORT": PG_PORT, "PGUSER": PG_USER}


def postgres_ready() -> bool:
    result = subprocess.run(
        ["pg_isready", "-q", "-h", PG_HOST, "-p", PG_PORT],
        capture_output=True,
        timeout=10,
        check=False,
    )
    return result.returncode == 0


def wait_for_postgres(seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if postgres_ready():
            return True
        time.sleep(0.1)
    return postgres_ready()


def postgres_cluster() -> tuple[str, str]:
    """(version, name) of the local cluster on port 5432, from pg_lsclusters."""
    output = run(["pg_lsclusters", "--no-header"], timeout=30).stdout
    for line in output.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[2] == PG_PORT:
            return parts[0], parts[1]
    raise FaultFailed(f"no PostgreSQL cluster on port {PG_PORT} in pg_lsclusters:\n{output}")


def pg_ctlcluster(action: str, timeout: float = 120) -> subprocess.CompletedProcess:
    version, cluster = postgres_cluster()
    return run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, action], timeout=timeout
    )


def ensure_postgres_running() -> None:
    """Start PostgreSQL if it does not answer (after a few seconds' grace)."""
    if wait_for_postgres(5):
        return
    say("PostgreSQL does not answer: starting it.")
    pg_ctlcluster("start")
    if not wait_for_postgres(30):
        raise FaultFailed("PostgreSQL did not come back after pg_ctlcluster start")


# --- A scratch site --------------------------------------------------------------------------


class Scratch:
    """A scratch database and folder, migrated and with the demo content; gone at exit."""

    def __init__(self, label: str):
        self.database = f"lvxie_fault_{label}_{os.getpid()}_{secrets.token_hex(4)}"
        self.directory: Path | None = None
        self.created = False
        env = {key: value for key, value in os.environ.items() if key not in SITE_VARIABLES}
        self.env = {
            **env,
            "DEBUG": "0",
            "HTTPS": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "DATABASE_URL": f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{self.database}",
            "CONN_MAX_AGE": "600",
            "PYTHONUNBUFFERED": "1",
        }

    def __enter__(self) -> "Scratch":
        try:
            self.directory = Path(tempfile.mkdtemp(prefix="lvxie-fault-"))
            self.env["MEDIA_ROOT"] = str(self.directory / "media")
            self.env["PRIVATE_MEDIA_ROOT"] = str(self.directory / "private")
            self.env["STATIC_ROOT"] = str(self.directory / "static")
            (self.directory / "media").mkdir()
            if not wait_for_postgres(30):
                raise FaultFailed("PostgreSQL does not answer on 127.0.0.1:5432")
            run(["createdb", "-E", "UTF8", "-T", "template0", self.database], env=pg_env())
            self.created = True
            started = time.monotonic()
            self.manage("migrate", "--noinput", "-v", "0")
            self.manage("setup_demo", "--seed-only")  # its output (passwords) is not shown
            self.manage("collectstatic", "--noinput", "-v", "0")
            say(
                f"scratch database {self.database} migrated, demo content loaded, static files "
                f"collected in {time.monotonic() - started:.1f} s; folder {self.directory}"
            )
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def manage(self, *args, timeout=300) -> subprocess.CompletedProcess:
        return run([PYTHON, "manage.py", *args], env=self.env, timeout=timeout)

    def __exit__(self, *exc_info) -> None:
        if self.created:
            try:
                wait_for_postgres(30)
                run(["dropdb", "--if-exists", "--force", self.database], env=pg_env(), timeout=60)
                self.created = False
            except Exception as error:
                say(f"could not drop {self.database}: {error}")
        if self.directory:
            shutil.rmtree(self.directory, ignore_errors=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn -c gunicorn.conf.py config.wsgi on a free port, in its own process group."""

    def __init__(self, scratch: Scratch, workers: int = 2):
        self.scratch = scratch
        self.workers = workers
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.log_path = scratch.directory / "gunicorn.log"

    @property
    def pid(self) -> int:
        return self.process.pid

    def __enter__(self) -> "Gunicorn":
        try:
            for _attempt in range(3):
                self.port = free_port()
                if self._start():
                    say(
                        f"gunicorn master {self.pid} on http://{HOST}:{self.port} with workers "
                        f"{sorted(worker_pids(self.pid))}"
                    )
                    return self
            raise FaultFailed(f"gunicorn did not start; its log:\n{self.log_tail()}")
        except BaseException:
            self.__exit__(None, None, None)
            raise

    def _start(self) -> bool:
        env = {
            **self.scratch.env,
            "GUNICORN_BIND": f"{HOST}:{self.port}",
            "GUNICORN_WORKERS": str(self.workers),
        }
        with open(self.log_path, "ab") as log:
            # --no-control-socket: gunicorn's default control socket is one path per user,
            # which two gunicorns running at once would fight over.
            self.process = subprocess.Popen(
                [GUNICORN, "-c", "gunicorn.conf.py", "--no-control-socket", "config.wsgi"],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches this script, which stops gunicorn
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False  # e.g. the port was taken meanwhile: try another
            if len(worker_pids(self.pid)) == self.workers:
                with contextlib.suppress(OSError, http.client.HTTPException):
                    if get(self.port, "/healthz", timeout=2).status == 200:
                        return True
            time.sleep(0.1)
        self.stop()
        return False

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        group = self.process.pid  # the group this script started gunicorn in
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGKILL)
            self.process.wait(timeout=10)
        # Workers left behind by a killed master are in the same group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


# --- /proc -----------------------------------------------------------------------------------


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process from /proc/<pid>/stat, None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    after_name = text.rsplit(")", 1)[1].split()
    return after_name[0], int(after_name[1])


def worker_pids(master: int) -> set[int]:
    """The live children of gunicorn's master: its workers."""
    workers = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _stat(int(entry))
            if stat and stat[1] == master and stat[0] not in {"Z", "X"}:
                workers.add(int(entry))
    return workers


def process_alive(pid: int) -> bool:
    stat = _stat(pid)
    return stat is not None and stat[0] not in {"Z", "X"}


def _server_socket_inode(server_port: int, client_port: int) -> int:
    """The inode of the accepted socket of the connection client_port → server_port."""
    local = f"0100007F:{server_port:04X}"
    remote = f"0100007F:{client_port:04X}"
    with open("/proc/net/tcp") as table:
        next(table)
        for line in table:
            parts = line.split()
            if parts[1] == local and parts[2] == remote:
                return int(parts[9])
    return 0


def connection_owner(
    server_port: int, client_port: int, pids: set[int], timeout: float = 3
) -> int | None:
    """Which of `pids` has accepted the client's connection (holds its socket), if any."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        inode = _server_socket_inode(server_port, client_port)
        if inode:  # 0 while the connection waits in the listen queue, not yet accepted
            link = f"socket:[{inode}]"
            for pid in pids:
                with contextlib.suppress(OSError):
                    for fd in os.listdir(f"/proc/{pid}/fd"):
                        with contextlib.suppress(OSError):
                            if os.readlink(f"/proc/{pid}/fd/{fd}") == link:
                                return pid
        time.sleep(0.005)
    return None


# --- HTTP ------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    body: bytes


def get(port: int, path: str, timeout: float = 5) -> Response:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return Response(response.status, response.read())
    finally:
        connection.close()


class HeldRequest:
    """A request sent all but its final blank line: the worker that accepted it is mid-request
    (reading it) until `finish()` sends the rest."""

    def __init__(self, port: int, path: str, timeout: float = 10):
        self.port = port
        self.sock = socket.create_connection((HOST, port), timeout=timeout)
        self.client_port = self.sock.getsockname()[1]
        self.sock.sendall(
            f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nConnection: close\r\n".encode()
        )

    def finish(self) -> str:
        """Send the blank line and read the answer: '200', or the connection error."""
        try:
            self.sock.sendall(b"\r\n")
            data = b""
            while chunk := self.sock.recv(65536):
                data += chunk
            if not data:
                return "connection closed without an answer"
            status_line = data.split(b"\r\n", 1)[0].decode("latin-1")
            return status_line.split()[1] if len(status_line.split()) > 1 else status_line
        except OSError as error:
            return f"connection error: {type(error).__name__}: {error}"
        finally:
            self.sock.close()

    def close(self) -> None:
        self.sock.close()


def answer_from(
    port: int, worker: int, others: set[int], path: str = "/", answers: list | None = None
) -> str:
    """The answer to a request for `path` that `worker` accepted (seen in /proc).

    Plain requests first, until the worker (booting, or competing for connections) takes one;
    if it never does, keep the other workers busy with held requests so that the next
    connection can only go to it. Every answer, whoever gave it, is added to `answers` as
    (worker, answer).
    """
    everyone = {worker, *others}
    answers = [] if answers is None else answers
    deadline = time.monotonic() + 6
    while time.monotonic() < deadline:
        request = HeldRequest(port, path)
        owner = connection_owner(port, request.client_port, everyone)
        answer = request.finish()
        answers.append((owner, answer))
        if owner == worker:
            return answer
        time.sleep(0.05)
    held = []
    try:
        for _ in range(len(everyone)):
            request = HeldRequest(port, path)
            held.append(request)
            if connection_owner(port, request.client_port, everyone, 10) == worker:
                answer = request.finish()
                answers.append((worker, answer))
                return answer
        return "the worker never accepted a connection"
    finally:
        for request in held:
            request.close()


@dataclass
class Result:
    path: str
    started: float
    ended: float
    status: int | None  # None: no HTTP answer
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def outcome(self) -> str:
        return str(self.status) if self.status is not None else self.error


@dataclass
class RequestLoop:
    """Requests to `paths` in turn from a thread, bounded in count and in time.

    "{n}" in a path becomes the request's number: a page the page cache has never seen.
    """

    port: int
    paths: list[str]
    max_requests: int = 3000
    max_seconds: float = 90
    pause: float = 0.02
    timeout: float = 5
    results: list[Result] = field(default_factory=list)

    def __post_init__(self):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> "RequestLoop":
        self._thread.start()
        return self

    def stop(self) -> list[Result]:
        self._stop.set()
        self._thread.join(timeout=self.timeout + 5)
        return list(self.results)

    def _run(self) -> None:
        deadline = time.monotonic() + self.max_seconds
        n = 0
        while not self._stop.is_set() and n < self.max_requests and time.monotonic() < deadline:
            path = self.paths[n % len(self.paths)]
            n += 1
            started = time.monotonic()
            try:
                response = get(self.port, path.format(n=n), timeout=self.timeout)
                result = Result(path, started, time.monotonic(), response.status)
            except (OSError, http.client.HTTPException) as error:
                result = Result(path, started, time.monotonic(), None, type(error).__name__)
            self.results.append(result)
            self._stop.wait(self.pause)

    def ok_count(self) -> int:
        return sum(1 for result in list(self.results) if result.ok)


def tally(results: list[Result]) -> str:
    """'/healthz 503×4, / 500×4' for the outcomes that are not 200."""
    counts: dict[tuple[str, str], int] = {}
    for result in results:
        if not result.ok:
            key = (result.path, result.outcome)
            counts[key] = counts.get(key, 0) + 1
    return ", ".join(f"{path} {outcome}×{n}" for (path, outcome), n in counts.items()) or "none"
