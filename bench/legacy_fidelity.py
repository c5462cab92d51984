"""How faithfully real legacy pages are read: metadata fields, refusals, people with posts.

    .venv/bin/python bench/legacy_fidelity.py [CORPUS_DIR] [-v]

Reads every page of the corpus (tests/data/legacy: pages/, html/, gbk/, fullwidth/,
traditional/, each file with its hand annotation beside it) three times: as stored, with every
punctuation mark made full-width, and in Traditional characters (OpenCC s2t; the annotation
converted the same way). For each run it prints:

- per-field accuracy (title, source, date, author): the value read equals the annotation, where
  a field the page does not state must be read as missing;
- silently wrong dates: a date read that differs from the annotation with no doubt raised
  (the target is zero);
- refusals by reason;
- people with their posts (strict: name and post exactly as written) as precision, recall, F1.

No Django: it runs the same plain-Python readers the importer uses.
"""

import argparse
import datetime
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from news.extraction import extract  # noqa: E402
from news.legacy import LegacyFormatError, as_written, matching_form, read  # noqa: E402

FIELDS = ("title", "source", "date", "author")
HALF_TO_FULL = str.maketrans(
    {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"}
)


def corpus(root: Path):
    for data_file in sorted(root.glob("*/*")):
        if data_file.suffix in (".txt", ".html", ".htm"):
            annotation = json.loads(data_file.with_suffix(".json").read_text(encoding="utf-8"))
            yield data_file, annotation


def convert_annotation(value, converter):
    if isinstance(value, str):
        return converter(value)
    if isinstance(value, list):
        return [convert_annotation(item, converter) for item in value]
    if isinstance(value, dict):
        return {
            k: (v if k == "url" else convert_annotation(v, converter)) for k, v in value.items()
        }
    return value


def variants():
    import opencc

    s2t = opencc.OpenCC("s2t").convert
    return {
        "as stored": (lambda text: text, lambda text: text),
        "full-width punctuation": (
            lambda text: text.translate(HALF_TO_FULL),
            lambda text: text.translate(HALF_TO_FULL),
        ),
        "Traditional characters": (s2t, s2t),
    }


def outside_tags(convert, text: str, path: Path) -> str:
    """Convert the text of a page, not its markup."""
    if path.suffix not in (".html", ".htm"):
        return convert(text)
    parts = re.split(r"(<[^>]*>)", text)
    return "".join(part if part.startswith("<") else convert(part) for part in parts)


def people_found(article, text: str) -> set[tuple[str, str]]:
    """People with posts as the extraction proposes them, cut from the text as written."""
    body = "\n".join(article.paragraphs)
    if article.title:
        body = article.title + "\n" + body
    form = matching_form(body)
    extraction = extract(form, published_on=None)
    found = set()
    for proposal in extraction.participants:
        if proposal.kind != "person":
            continue
        found.add((as_written(proposal.name, form, body), as_written(proposal.post, form, body)))
    return found


def run(root: Path, name: str, to_text, to_annotation, verbose: bool) -> dict:
    exact = Counter()
    total = Counter()
    silent_wrong_dates = []
    refusals = Counter()
    tp = fp = fn = 0
    files = 0
    for path, annotation in corpus(root):
        files += 1
        annotation = convert_annotation(annotation, to_annotation)
        raw = path.read_bytes()
        encoding = "gb18030" if path.parent.name == "gbk" else None
        if encoding or b"charset=gb18030" in raw[:600]:
            text = raw.decode("gb18030")
            data = outside_tags(to_text, text, path).encode("gb18030", errors="replace")
        else:
            text = raw.decode("utf-8")
            data = outside_tags(to_text, text, path).encode("utf-8")
        try:
            article = read(data, path.name, annotation["url"])
        except LegacyFormatError as exc:
            refusals[str(exc)] += 1
            total.update(FIELDS)
            continue
        got = {
            "title": article.title,
            "source": article.source,
            "date": article.published_on.isoformat() if article.published_on else None,
            "author": article.author or None,
        }
        for field in FIELDS:
            total[field] += 1
            expected = annotation[field] or None
            if got[field] == expected:
                exact[field] += 1
            elif verbose:
                print(
                    f"  {path.parent.name}/{path.name} {field}: read {got[field]!r}, "
                    f"expected {expected!r} {list(article.doubts)}"
                )
        if got["date"] and got["date"] != annotation["date"] and "date" not in article.doubtful:
            silent_wrong_dates.append(f"{path.parent.name}/{path.name}")
        expected_people = {tuple(person) for person in annotation["people"]}
        found = people_found(article, text)
        tp += len(found & expected_people)
        fp += len(found - expected_people)
        fn += len(expected_people - found)
        if verbose and found != expected_people:
            print(
                f"  {path.parent.name}/{path.name} people: "
                f"missed {sorted(expected_people - found)} "
                f"wrong {sorted(found - expected_people)}"
            )
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    all_exact = sum(exact.values())
    all_total = sum(total.values())
    print(f"\n== {name}: {files} files")
    for field in FIELDS:
        print(
            f"  {field:<7} {exact[field]:>3}/{total[field]:<3} {exact[field] / total[field]:6.1%}"
        )
    print(f"  all     {all_exact:>3}/{all_total:<3} {all_exact / all_total:6.1%}")
    print(f"  silently wrong dates: {len(silent_wrong_dates)} {silent_wrong_dates or ''}")
    print(f"  refusals: {sum(refusals.values())}")
    for reason, count in refusals.most_common():
        print(f"    {count} × {reason}")
    print(
        f"  people with posts: precision {precision:.2f}, recall {recall:.2f}, F1 {f1:.2f} "
        f"({tp} right, {fp} wrong, {fn} missed)"
    )
    return {"fields": all_exact / all_total, "silent": len(silent_wrong_dates), "f1": f1}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=ROOT / "tests" / "data" / "legacy", type=Path)
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = parser.parse_args()
    started = datetime.datetime.now()
    results = {
        name: run(args.corpus, name, to_text, to_annotation, args.verbose)
        for name, (to_text, to_annotation) in variants().items()
    }
    print(f"\n({(datetime.datetime.now() - started).total_seconds():.1f} s)")
    met = all(
        r["fields"] >= 0.97 and r["silent"] == 0 and r["f1"] >= 0.85 for r in results.values()
    )
    print("targets (≥97 % fields, 0 silently wrong dates, F1 ≥ 0.85):", "met" if met else "NOT met")


if __name__ == "__main__":
    main()
