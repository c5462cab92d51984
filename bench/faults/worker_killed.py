"""Fault: a gunicorn worker is killed (SIGKILL) in the middle of a request.

gunicorn (2 workers) serves a scratch database while a client asks the home page and the
search page in turn. One request to the search page is held in flight: the script opens the
connection, finds in /proc which worker accepted it, sends the request line and headers but
not the blank line that ends them, so that worker is certainly in the middle of that request,
and kills it with SIGKILL. Expected: the master stays up and starts a new worker within a few
seconds (two workers again), the other worker keeps answering meanwhile, the new worker
answers, and every request after the replacement succeeds. The in-flight request's client
gets a connection error (or a 200, had another worker answered it); never a hang.

    .venv/bin/python bench/faults/worker_killed.py
"""

import os
import signal
import time

import harness
from harness import Gunicorn, HeldRequest, RequestLoop, Scratch, check, say, tally

SEARCH = "/search/?q=%E5%BE%8B%E5%B8%88"  # 律师
PATHS = ["/", SEARCH]
WARM_UP_REQUESTS = 10
REPLACE_LIMIT = 10.0  # seconds for the master to start a new worker
AFTER_SECONDS = 3.0  # of requests after the replacement, all of which must succeed


def wait_for_replacement(master: int, old: set[int], victim: int) -> tuple[set[int], float]:
    """Wait until the master has two workers again, the victim gone; (workers, seconds)."""
    started = time.monotonic()
    while time.monotonic() - started < REPLACE_LIMIT:
        workers = harness.worker_pids(master)
        if victim not in workers and len(workers) == len(old) and workers - old:
            return workers, time.monotonic() - started
        time.sleep(0.02)
    return harness.worker_pids(master), time.monotonic() - started


def body():
    failures: list[str] = []
    with Scratch("workerkill") as scratch, Gunicorn(scratch, workers=2) as server:
        workers = harness.worker_pids(server.pid)
        loop = RequestLoop(server.port, PATHS, max_requests=3000, max_seconds=60)
        held = None
        try:
            for worker in workers:  # each worker has answered the search page once
                warm = harness.answer_from(server.port, worker, workers - {worker}, SEARCH)
                if warm != "200":
                    raise harness.FaultFailed(f"worker {worker} answered {warm} before the kill")
            loop.start()
            deadline = time.monotonic() + 15
            while loop.ok_count() < WARM_UP_REQUESTS and time.monotonic() < deadline:
                time.sleep(0.05)

            held = HeldRequest(server.port, SEARCH)
            victim = harness.connection_owner(server.port, held.client_port, workers)
            if victim is None:
                raise harness.FaultFailed("no worker accepted the in-flight request")
            survivor = (workers - {victim}).pop()
            say(
                f"in-flight request {SEARCH} (client port {held.client_port}) accepted by "
                f"worker {victim}; killing it with SIGKILL"
            )
            killed = time.monotonic()
            os.kill(victim, signal.SIGKILL)
            in_flight = held.finish()
            say(f"the in-flight request's outcome: {in_flight}")

            new_workers, seconds = wait_for_replacement(server.pid, workers, victim)
            new = min(new_workers - workers, default=None)
            say(
                f"workers {sorted(workers)} → {sorted(new_workers)} after {seconds:.2f} s "
                f"(old {victim}, new {new})"
            )
            new_answer = (
                harness.answer_from(server.port, new, {survivor}) if new else "no new worker"
            )
            replaced = time.monotonic()  # the new worker has answered (or never will)
            say(
                f"a request answered by the new worker: {new_answer}, "
                f"{replaced - killed:.2f} s after the kill"
            )
            time.sleep(AFTER_SECONDS)
        finally:
            results = loop.stop()
            if held:
                held.close()
        master_alive = server.alive()
        final_workers = harness.worker_pids(server.pid)
        log = server.log_tail(8)

    before = [r for r in results if r.ended < killed]
    during = [r for r in results if r.ended >= killed and r.started < replaced]
    after = [r for r in results if r.started >= replaced]
    say(f"other requests before the kill: {sum(r.ok for r in before)} ok of {len(before)}")
    say(
        f"other requests while a worker was missing: {sum(r.ok for r in during)} ok of "
        f"{len(during)} (failed: {tally(during)})"
    )
    say(
        f"requests after the replacement: {sum(r.ok for r in after)} ok of {len(after)} "
        f"(failed: {tally(after)})"
    )
    say(f"gunicorn master {server.pid} alive: {master_alive}; workers {sorted(final_workers)}")

    check(master_alive, "the gunicorn master died", failures)
    check(
        in_flight == "200" or not in_flight.isdigit(),
        f"the in-flight request answered {in_flight}",
        failures,
    )
    check(new is not None, f"no new worker within {REPLACE_LIMIT:.0f} s", failures)
    check(len(final_workers) == 2, f"{len(final_workers)} workers at the end, not 2", failures)
    check(victim not in final_workers, f"worker {victim} still runs after SIGKILL", failures)
    check(new_answer == "200", f"the new worker answered {new_answer}", failures)
    check(len(before) >= WARM_UP_REQUESTS, f"only {len(before)} requests before the kill", failures)
    check(all(r.ok for r in before), f"requests failed before the kill: {tally(before)}", failures)
    check(len(after) >= 20, f"only {len(after)} requests after the replacement", failures)
    check(
        all(r.ok for r in after), f"requests failed after the replacement: {tally(after)}", failures
    )
    if failures:
        say(f"gunicorn log (end):\n{log}")
    summary = (
        f"worker {victim} killed mid-request ({in_flight}), replaced by {new} in "
        f"{seconds:.2f} s; the new worker answered {new_answer} "
        f"{replaced - killed:.2f} s after the kill; "
        f"{sum(r.ok for r in during)}/{len(during)} ok meanwhile, "
        f"{sum(r.ok for r in after)}/{len(after)} ok after"
    )
    return summary, failures


if __name__ == "__main__":
    harness.main("worker_killed", body)
