"""Fault: PostgreSQL restarts under a serving site.

gunicorn (2 workers) serves a scratch database while a client asks, in turn, /healthz, the home
page as readers get it (from the anonymous page cache once rendered) and the home page with a
query string never asked before (rendered from the database every time);
PostgreSQL is restarted (pg_ctlcluster … restart) meanwhile. Expected: gunicorn keeps running,
requests fail only while PostgreSQL is down, and every request after it is back (within 10 s)
answers 200.

Then PostgreSQL is restarted once more with no request running, so that each worker still
holds the connection it kept (CONN_MAX_AGE) from before the restart, now dead. Expected: the
first request of every worker after it answers 200, as conn_health_checks makes Django test
a kept connection before a request uses it and open a new one.

    .venv/bin/python bench/faults/postgres_restart.py

It restarts the machine's PostgreSQL cluster: every other session on it is disconnected.
"""

import threading
import time

import harness
from harness import Gunicorn, RequestLoop, Scratch, check, say, tally

WARM_UP_REQUESTS = 20
RECOVERY_LIMIT = 10.0  # seconds after PostgreSQL is back
STEADY_SECONDS = 3.0  # of requests that must all succeed once recovered
PATHS = ["/healthz", "/", "/?uncached={n}"]


class ReadinessWatch:
    """pg_isready in a loop from a thread: when PostgreSQL really refused connections."""

    def __init__(self):
        self.samples: list[tuple[float, bool]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> "ReadinessWatch":
        self._thread.start()
        return self

    def stop(self) -> list[tuple[float, bool]]:
        self._stop.set()
        self._thread.join(timeout=15)
        return list(self.samples)

    def _run(self) -> None:
        deadline = time.monotonic() + 120
        while not self._stop.is_set() and time.monotonic() < deadline:
            ready = harness.postgres_ready()
            self.samples.append((time.monotonic(), ready))
            self._stop.wait(0.01)


def oks(results) -> str:
    """'/healthz 12, / 12' for the requests that succeeded."""
    counts: dict[str, int] = {}
    for result in results:
        if result.ok:
            counts[result.path] = counts.get(result.path, 0) + 1
    return ", ".join(f"{path} {n}" for path, n in counts.items()) or "none"


def restart_postgres() -> tuple[float, float]:
    """Restart the cluster; (when the restart began, when PostgreSQL answered again)."""
    watch = ReadinessWatch().start()
    down = time.monotonic()
    try:
        harness.pg_ctlcluster("restart")
        if not harness.wait_for_postgres(30):
            raise harness.FaultFailed("PostgreSQL does not answer 30 s after the restart")
        returned = time.monotonic()
    finally:
        samples = watch.stop()
    refused = [t for t, ready in samples if not ready]
    # Back: the first time pg_isready answered after its last refusal.
    back = min(
        (t for t, ready in samples if ready and refused and t > refused[-1]),
        default=returned,
    )
    say(
        f"pg_ctlcluster restart returned after {returned - down:.2f} s; PostgreSQL "
        + (
            f"refused connections from +{refused[0] - down:.2f} s to +{back - down:.2f} s"
            if refused
            else "was never seen refusing connections (pg_isready every ~20 ms)"
        )
    )
    return down, back


def idle_restart(server: Gunicorn) -> list[tuple[int | None, str]]:
    """Restart PostgreSQL while no request runs; the answers of each worker's first requests
    after it, to /healthz (which always asks the database)."""
    workers = harness.worker_pids(server.pid)
    for worker in workers:  # each worker holds a database connection from before
        answer = harness.answer_from(server.port, worker, workers - {worker}, "/healthz")
        if answer != "200":
            raise harness.FaultFailed(f"worker {worker} answered {answer} before the restart")
    say("restarting PostgreSQL again, with no request running")
    restart_postgres()
    answers: list[tuple[int | None, str]] = []
    for worker in workers:
        harness.answer_from(server.port, worker, workers - {worker}, "/healthz", answers)
    return answers


def under_load(server: Gunicorn, failures: list[str]) -> str:
    """Phase 1: restart PostgreSQL while requests run; report, check, return a summary."""
    loop = RequestLoop(server.port, PATHS, max_requests=4000, max_seconds=60)
    recovered = None
    try:
        loop.start()
        deadline = time.monotonic() + 10
        while loop.ok_count() < WARM_UP_REQUESTS and time.monotonic() < deadline:
            time.sleep(0.05)
        say("restarting PostgreSQL (pg_ctlcluster … restart) while the requests run")
        down, back = restart_postgres()
        # Wait for recovery (two rounds of every path in a row succeed), then stay steady.
        while time.monotonic() < back + RECOVERY_LIMIT:
            latest = [r for r in loop.results if r.started >= back][-2 * len(PATHS) :]
            if len(latest) == 2 * len(PATHS) and all(r.ok for r in latest):
                recovered = time.monotonic()
                break
            time.sleep(0.02)
        time.sleep(STEADY_SECONDS if recovered else 0)
    finally:
        results = loop.stop()
        harness.ensure_postgres_running()

    before = [r for r in results if r.ended < down]
    during = [r for r in results if r.ended >= down and r.started < back]  # the restart window
    after = [r for r in results if r.started >= back]
    failed = [r for r in results if not r.ok]
    last_failure = max((r.ended for r in after if not r.ok), default=None)
    recovery = 0.0 if last_failure is None else last_failure - back
    steady = [r for r in after if last_failure is None or r.started > last_failure]

    say(f"requests before the restart: {sum(r.ok for r in before)} ok of {len(before)}")
    say(
        f"requests during the restart window ({back - down:.2f} s): "
        f"{sum(not r.ok for r in during)} failed ({tally(during)}); ok: {oks(during)}"
    )
    if failed:
        say(
            f"  failures from +{failed[0].started - down:.2f} s to +{failed[-1].ended - down:.2f} s"
            " after the restart began"
        )
    say(
        f"requests after PostgreSQL is back: {sum(r.ok for r in after)} ok of {len(after)} "
        f"({oks(after)}); failures: {tally(after)}"
    )
    say(
        "time to recover after PostgreSQL is back: "
        + (
            "0 s (the first request after it succeeded)"
            if last_failure is None
            else f"{recovery:.2f} s"
        )
    )

    check(len(before) >= WARM_UP_REQUESTS, "too few requests before the restart", failures)
    check(
        all(r.ok for r in before), f"requests failed before the restart: {tally(before)}", failures
    )
    check(
        recovered is not None and recovery <= RECOVERY_LIMIT,
        f"not all requests succeed {RECOVERY_LIMIT:.0f} s after PostgreSQL is back",
        failures,
    )
    check(
        len(steady) >= 20 and all(r.ok for r in steady),
        f"only {len(steady)} steady requests after recovery",
        failures,
    )
    return (
        f"restart under load (back {back - down:.2f} s after it began): "
        f"{sum(r.ok for r in before)} ok before, {sum(not r.ok for r in during)} errors during, "
        f"{sum(r.ok for r in after)}/{len(after)} ok after, recovered in {recovery:.2f} s"
    )


def while_idle(server: Gunicorn, failures: list[str]) -> str:
    """Phase 2: restart PostgreSQL while no request runs; each worker's kept connection is
    then dead, and the first request of each must still succeed."""
    workers = harness.worker_pids(server.pid)
    for worker in workers:  # each worker holds a database connection from before
        answer = harness.answer_from(server.port, worker, workers - {worker}, "/healthz")
        if answer != "200":
            raise harness.FaultFailed(f"worker {worker} answered {answer} before the restart")
    say("restarting PostgreSQL again, with no request running")
    try:
        restart_postgres()
        first: list[tuple[int | None, str]] = []
        for worker in workers:  # /healthz always asks the database
            harness.answer_from(server.port, worker, workers - {worker}, "/healthz", first)
        loop = RequestLoop(server.port, PATHS, max_requests=200, max_seconds=2).start()
        time.sleep(2)
        then = loop.stop()
    finally:
        harness.ensure_postgres_running()
    answers = ", ".join(f"{worker} {answer}" for worker, answer in first)
    say(f"the first requests after it (worker answer): {answers}")
    say(f"then: {sum(r.ok for r in then)} ok of {len(then)} ({tally(then)} failed)")
    check(
        all(answer == "200" for _, answer in first),
        f"after a restart with no request running, the first requests answered {answers}",
        failures,
    )
    check(
        len(then) >= 10 and all(r.ok for r in then),
        f"requests failed after the idle restart: {tally(then)}",
        failures,
    )
    outcomes = sorted({answer for _, answer in first})
    served = sorted({worker for worker, _ in first if worker is not None})
    return (
        f"restart while idle: the {len(first)} first requests after it (workers "
        f"{', '.join(map(str, served))}) answered {'/'.join(outcomes)}"
    )


def body():
    failures: list[str] = []
    with Scratch("pgrestart") as scratch, Gunicorn(scratch, workers=2) as server:
        workers_before = harness.worker_pids(server.pid)
        summaries = [under_load(server, failures), while_idle(server, failures)]
        master_alive = server.alive()
        workers_after = harness.worker_pids(server.pid)
        say(
            f"gunicorn master {server.pid} alive: {master_alive}; workers "
            f"{sorted(workers_before)} → {sorted(workers_after)}"
        )
        check(master_alive, "the gunicorn master died", failures)
        check(len(workers_after) == 2, f"{len(workers_after)} workers at the end, not 2", failures)
        if failures:
            say(f"gunicorn log (end):\n{server.log_tail(10)}")
    return "gunicorn up throughout; " + "; ".join(summaries), failures


if __name__ == "__main__":
    harness.main("postgres_restart", body)
