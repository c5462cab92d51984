"""Run every fault script, one after the other; exit non-zero if any fails.

    .venv/bin/python bench/faults/run_all.py

Each script prints what it does and ends with a `PASS: …` or `FAIL: …` line; this passes their
output through as it comes, then prints the verdicts together. See docs/FAULTS.md.
"""

import contextlib
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import harness

HERE = Path(__file__).resolve().parent
# The PostgreSQL restart last: it disconnects every session of the machine's cluster.
SCRIPTS = ["worker_killed.py", "import_killed.py", "postgres_restart.py"]
TIMEOUT = 240  # seconds for one script, cleanup included


def stop(process: subprocess.Popen) -> None:
    """SIGTERM first: the script then stops its gunicorn and drops its database."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


def run_one(script: str) -> tuple[bool, str]:
    process = subprocess.Popen(
        [sys.executable, str(HERE / script)],
        cwd=harness.ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    verdict = ""
    ended = False  # the whole output has been read
    timed_out = False
    deadline = time.monotonic() + TIMEOUT
    try:
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                line = lines.get(timeout=remaining)
            except queue.Empty:
                break
            if line is None:
                ended = True
                break
            print(f"  {line}", end="", flush=True)
            if line.startswith(("PASS: ", "FAIL: ")):
                verdict = line.strip()
        if process.poll() is None:
            try:
                process.wait(timeout=max(1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                timed_out = True
    finally:
        stop(process)  # on a timeout, Ctrl-C or SIGTERM
        with contextlib.suppress(queue.Empty):  # what it printed while it stopped
            while not ended and (line := lines.get(timeout=5)) is not None:
                print(f"  {line}", end="", flush=True)
                if line.startswith(("PASS: ", "FAIL: ")):
                    verdict = line.strip()
    if timed_out:
        verdict = f"FAIL: {script}: not finished within {TIMEOUT} s"
    passed = not timed_out and process.returncode == 0 and verdict.startswith("PASS: ")
    if not verdict:
        verdict = f"FAIL: {script}: exited {process.returncode} without a verdict"
    elif not passed and verdict.startswith("PASS: "):
        verdict = f"FAIL: {script}: exited {process.returncode} after {verdict}"
    return passed, verdict


def main() -> int:
    harness.interrupt_on_signals()
    started = time.monotonic()
    verdicts = []
    try:
        for script in SCRIPTS:
            print(f"== {script}", flush=True)
            verdicts.append(run_one(script))
    except KeyboardInterrupt:
        print("FAIL: fault injection interrupted", flush=True)
        return 1
    finally:
        harness.ensure_postgres_running()
    print(f"== fault injection: {time.monotonic() - started:.0f} s")
    for _passed, verdict in verdicts:
        print(verdict)
    failed = sum(not passed for passed, _ in verdicts)
    print(f"{len(verdicts) - failed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
