"""How long importing a register of 20,000 lawyers takes: dry run, import, and a second run.

    .venv/bin/python bench/import_lawyers.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lvxie_bench \
        .venv/bin/python bench/import_lawyers.py

It works in a scratch database made by Django's test machinery (test_<name>, or an in-memory
SQLite database), created and destroyed by the run, so that real data is never touched.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

from members import importers  # noqa: E402
from members.credentials import credit_code_check_character  # noqa: E402

LAWYERS = 20_000
FIRMS = 500


def write_registers(directory: Path) -> tuple[Path, Path]:
    firms = openpyxl.Workbook(write_only=True)
    sheet = firms.create_sheet()
    sheet.append(["律所名称", "统一社会信用代码", "执业许可证号", "地址", "电话", "成立日期"])
    for n in range(FIRMS):
        first17 = f"31440300MD{n:07d}"
        code = first17 + credit_code_check_character(first17)
        sheet.append([f"基准{n}律师事务所", code, f"2440120001{n:07d}", f"福田区{n}号", "0755-1"])
    firms_path = directory / "律所名册.xlsx"
    firms.save(firms_path)

    lawyers = openpyxl.Workbook(write_only=True)
    sheet = lawyers.create_sheet()
    sheet.append(["姓名", "执业证号", "执业机构", "执业状态", "性别", "执业领域", "联系电话"])
    for n in range(LAWYERS):
        sheet.append(
            [
                f"律师{n}",
                f"14403{1990 + n % 35}1{n:07d}",
                f"基准{n % FIRMS}律师事务所",
                "正常执业",
                "男女"[n % 2],
                "刑事、民事",
                f"138{n:08d}",
            ]
        )
    lawyers_path = directory / "律师名册.xlsx"
    lawyers.save(lawyers_path)
    return firms_path, lawyers_path


def timed(label: str, rows: int, function, *args, **kwargs):
    started = time.perf_counter()
    plan = function(*args, **kwargs)
    seconds = time.perf_counter() - started
    counts = "，".join(f"{action.label} {plan.count(action)}" for action in importers.Action)
    print(f"{label:<10} {seconds:6.2f} 秒  {rows / seconds:8.0f} 行/秒  （{counts}）")
    return plan


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"数据库：{connection.vendor}，律师 {LAWYERS} 人，律所 {FIRMS} 家")
        with tempfile.TemporaryDirectory() as directory:
            firms_path, lawyers_path = write_registers(Path(directory))
            importers.import_register(importers.FIRMS, firms_path, firms_path.name)
            name = lawyers_path.name
            kind = importers.LAWYERS
            timed("预演", LAWYERS, importers.plan_import, kind, lawyers_path, name)
            first = timed("导入", LAWYERS, importers.import_register, kind, lawyers_path, name)
            assert first.count(importers.Action.CREATE) == LAWYERS, first.counts
            again = timed("再次导入", LAWYERS, importers.import_register, kind, lawyers_path, name)
            unchanged = again.count(importers.Action.UNCHANGED) == LAWYERS
            print("再次导入：没有任何变化。" if unchanged else f"再次导入有变化：{again.counts}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
