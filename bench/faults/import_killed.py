"""Fault: the register import is killed (SIGKILL) half-way through writing.

The register of 20,000 lawyers (and its 500 firms) of bench/import_lawyers.py is written to a
scratch folder, and the firms are imported. Then `manage.py import_register lawyers FILE
--commit` runs against the scratch database and is killed with SIGKILL in the middle of its
writing: its PostgreSQL session is watched (pg_stat_activity, pg_relation_size), and it is
killed while inserting into members_lawyer, once that table has grown as much as
members_person (about a third of the lawyers). By then every row has been checked, and all
20,000 people and part of the lawyers are written, uncommitted, in its transaction.

Expected: nothing of it is in the database (members_lawfirm, members_lawyer, members_person
and the lawyers' history count what they counted before) and the public lookup does not find
its lawyers. Then the same import, run to the end, creates every row of the file (the counts
grow by the file's rows): the killed run left nothing behind, not even rows that would now be
"unchanged".

    .venv/bin/python bench/faults/import_killed.py
"""

import signal
import subprocess
import time
import urllib.parse
from pathlib import Path

import harness
import openpyxl
import psycopg2
from harness import PYTHON, Gunicorn, Scratch, check, say

TABLES = ["members_lawfirm", "members_lawyer", "members_person", "members_historicallawyer"]
KILL_LIMIT = 120.0  # seconds to wait for the import to start writing the lawyers
WRITING = 'INSERT INTO "members_lawyer"'

GENERATE = """
import sys
from pathlib import Path
sys.path.insert(0, "bench")
import import_lawyers
firms, lawyers = import_lawyers.write_registers(Path(sys.argv[1]))
print(firms, lawyers, import_lawyers.FIRMS, import_lawyers.LAWYERS, sep="\\n")
"""


def connect(scratch: Scratch):
    connection = psycopg2.connect(
        host=harness.PG_HOST, port=harness.PG_PORT, user=harness.PG_USER, dbname=scratch.database
    )
    connection.autocommit = True
    return connection


def counts(connection) -> dict[str, int]:
    with connection.cursor() as cursor:
        result = {}
        for table in TABLES:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (names above)
            result[table] = cursor.fetchone()[0]
        return result


def sizes(connection) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_relation_size('members_person'), pg_relation_size('members_lawyer')"
        )
        person, lawyer = cursor.fetchone()
        return {"members_person": person, "members_lawyer": lawyer}


def import_backend(connection) -> tuple[int, str] | None:
    """(pid, query) of another session of this database that is inserting lawyers."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, query FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND query LIKE %s",
            [WRITING + "%"],
        )
        row = cursor.fetchone()
        return (row[0], row[1]) if row else None


def lawyers_half_written(connection, before: dict[str, int], backend: int) -> bool:
    """Kill now? Once members_lawyer has grown as much as members_person did (all the people
    are written before the first lawyer), or once the session has moved on to the history."""
    now = sizes(connection)
    people = now["members_person"] - before["members_person"]
    lawyers = now["members_lawyer"] - before["members_lawyer"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [backend])
        row = cursor.fetchone()
    moved_on = row is None or not row[0].startswith(WRITING)
    return moved_on or lawyers >= people


def backend_alive(connection, pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone() is not None


def first_lawyer(path: Path) -> tuple[str, str]:
    """(name, licence number) of the file's first lawyer."""
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = workbook.worksheets[0].iter_rows(min_row=2, max_row=2, values_only=True)
        name, number = next(rows)[:2]
        return str(name), str(number)
    finally:
        workbook.close()


def lookup(server: Gunicorn, name: str, number: str) -> str:
    """Does the public lookup (by licence number) show the lawyer?"""
    path = "/lawyers/lookup/?" + urllib.parse.urlencode({"license_number": number})
    response = harness.get(server.port, path, timeout=10)
    if response.status != 200:
        return f"HTTP {response.status}"
    return "found" if name in response.body.decode() else "not found"


def difference(after: dict[str, int], before: dict[str, int]) -> str:
    return ", ".join(f"{table} {after[table] - before[table]:+d}" for table in TABLES)


def body():
    failures: list[str] = []
    with Scratch("importkill") as scratch, Gunicorn(scratch, workers=2) as server:
        folder = scratch.directory
        started = time.monotonic()
        output = harness.run([PYTHON, "-c", GENERATE, str(folder)], env=scratch.env).stdout
        firms_file, lawyers_file, firm_rows, lawyer_rows = output.split()
        firm_rows, lawyer_rows = int(firm_rows), int(lawyer_rows)
        lawyers_file = Path(lawyers_file)
        say(
            f"wrote {firm_rows} firms and {lawyer_rows} lawyers (bench/import_lawyers.py) in "
            f"{time.monotonic() - started:.1f} s"
        )
        scratch.manage("import_register", "firms", firms_file, "--commit")
        name, number = first_lawyer(lawyers_file)

        database = connect(scratch)
        process = None
        try:
            before = counts(database)
            size_before = sizes(database)
            say(f"before: {before}")

            command = [PYTHON, "manage.py", "import_register", "lawyers", lawyers_file, "--commit"]
            stderr_path = folder / "killed-import.stderr"
            with open(folder / "killed-import.stdout", "wb") as out, open(stderr_path, "wb") as err:
                process = subprocess.Popen(
                    command, cwd=harness.ROOT, env=scratch.env, stdout=out, stderr=err
                )
            launched = time.monotonic()
            checked = writing = None
            while time.monotonic() - launched < KILL_LIMIT and process.poll() is None:
                if checked is None and "写入数据库" in stderr_path.read_text(errors="replace"):
                    checked = time.monotonic()  # every row checked; the writing begins
                writing = writing or import_backend(database)
                if writing and lawyers_half_written(database, size_before, writing[0]):
                    process.send_signal(signal.SIGKILL)
                    break
                time.sleep(0.005)
            killed = time.monotonic()
            size_at_kill = sizes(database)
            returncode = process.wait(timeout=30)
            if not writing:
                raise harness.FaultFailed(
                    f"the import was never seen writing lawyers (exit code {returncode}): "
                    f"{stderr_path.read_text(errors='replace')[-500:]}"
                )
            backend = writing[0]
            say(
                f"killed import_register (pid {process.pid}, exit code {returncode}) "
                f"{killed - launched:.2f} s after it started"
                + (f", {killed - checked:.2f} s after it had checked every row" if checked else "")
                + f"; its PostgreSQL session {backend} was inserting into members_lawyer"
            )
            say(
                "uncommitted rows it had written when killed: members_person grew by "
                f"{(size_at_kill['members_person'] - size_before['members_person']) // 1024} kB, "
                "members_lawyer by "
                f"{(size_at_kill['members_lawyer'] - size_before['members_lawyer']) // 1024} kB"
            )
            deadline = time.monotonic() + 30
            while backend_alive(database, backend) and time.monotonic() < deadline:
                time.sleep(0.05)
            gone = not backend_alive(database, backend)
            say(
                f"its PostgreSQL session ended (transaction rolled back): {gone}, "
                f"{time.monotonic() - killed:.2f} s after the kill"
            )

            after_kill = counts(database)
            size_after_kill = sizes(database)
            found_after_kill = lookup(server, name, number)
            say(f"after the kill: {after_kill} ({difference(after_kill, before)})")
            say(f"public lookup of {name} ({number}) after the kill: {found_after_kill}")

            full_started = time.monotonic()
            full = scratch.manage(
                "import_register", "lawyers", lawyers_file, "--commit", timeout=600
            )
            full_seconds = time.monotonic() - full_started
            summary_line = full.stdout.strip().splitlines()[-1] if full.stdout.strip() else ""
            after_full = counts(database)
            size_after_full = sizes(database)
            killed_bytes = size_at_kill["members_lawyer"] - size_before["members_lawyer"]
            full_bytes = size_after_full["members_lawyer"] - size_after_kill["members_lawyer"]
            percent = 100 * killed_bytes / max(full_bytes, 1)
            say(
                f"the killed run had written {killed_bytes // 1024} kB of lawyers, the full run "
                f"{full_bytes // 1024} kB: it was killed about {percent:.0f} % through them"
            )
            found_after_full = lookup(server, name, number)
            say(f"the same import run to the end in {full_seconds:.1f} s: {summary_line}")
            say(f"after it: {after_full} ({difference(after_full, before)})")
            say(f"public lookup of {name} ({number}) after it: {found_after_full}")
            healthy = harness.get(server.port, "/healthz").status
        finally:
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(timeout=30)
            database.close()
        master_alive = server.alive()

    check(returncode == -signal.SIGKILL, f"the import exited {returncode}, not killed", failures)
    check(gone, "the killed import's PostgreSQL session did not end", failures)
    check(
        after_kill == before,
        f"the killed import left rows: {difference(after_kill, before)}",
        failures,
    )
    check(found_after_kill == "not found", f"lookup after the kill: {found_after_kill}", failures)
    expected = {
        "members_lawfirm": before["members_lawfirm"],
        "members_lawyer": before["members_lawyer"] + lawyer_rows,
        "members_person": before["members_person"] + lawyer_rows,
        "members_historicallawyer": before["members_historicallawyer"] + lawyer_rows,
    }
    check(
        after_full == expected,
        f"the full import gave {difference(after_full, before)}, not {lawyer_rows} rows each",
        failures,
    )
    check(
        f"新增 {lawyer_rows} 行" in summary_line, f"the full import said: {summary_line}", failures
    )
    check(
        found_after_full == "found", f"lookup after the full import: {found_after_full}", failures
    )
    check(master_alive and healthy == 200, "the site did not stay up", failures)
    summary = (
        f"import of {lawyer_rows} lawyers SIGKILLed {killed - launched:.2f} s in, "
        f"~{percent:.0f} % through writing the lawyers: {difference(after_kill, before)} "
        f"after the kill; the same import run to the end ({full_seconds:.1f} s) added "
        f"{difference(after_full, before)}"
    )
    return summary, failures


if __name__ == "__main__":
    harness.main("import_killed", body)
