"""The version diff's worst case: the largest revision the forms and the API accept.

Usage: .venv/bin/python bench/diff_bench.py [--runs 20]

Every text field of an entry (summary and the nine template sections) and of its Swedish and
English translations is filled to SECTION_MAX_CHARS in the most lines the inline diff takes
(INLINE_DIFF_MAX_LINES - 1), and every one of them changes, in four shapes that are hard for
line diffs:

* interleaved: a new line after every old one (quadratic for difflib's matcher);
* all changed: every line replaced (the 1,000-changed-lines revision of issue 21);
* reversed: the same lines in the opposite order (the longest edit script for Myers);
* repetitive: few distinct lines, shifted by one (many equal candidates).

``version_diff`` (diff-match-patch line mode under a deadline) is timed on the whole revision:
median and p95 of the runs, against the goal of p95 < 200 ms. In the same run, the old diff
(``difflib.ndiff``, as before issue 21) is timed on the same shapes, capped at a few hundred lines
of one field so that the bench finishes; the new diff is timed on that capped input too.
"""

import argparse
import difflib
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
os.environ.setdefault("SECRET_KEY", "bench-only")

GOAL_P95_MS = 200
OLD_DIFF_LINES = 100  # lines of one field given to ndiff (the old diff takes seconds to minutes beyond)


def _lines(count: int, width: int, tag: str) -> list[str]:
    return [f"{tag}{n:0{width - len(tag)}d}"[:width] for n in range(count)]


def shapes(lines: int, width: int) -> dict[str, tuple[str, str]]:
    old = _lines(lines, width, "o")
    half = lines // 2
    return {
        "interleaved": ("\n".join(old[:half]),
                        "\n".join(x for pair in zip(old[:half], _lines(half, width, "n"), strict=True) for x in pair)),
        "all changed": ("\n".join(old), "\n".join(_lines(lines, width, "c"))),
        "reversed": ("\n".join(old), "\n".join(reversed(old))),
        "repetitive": ("\n".join(old[n % 7] for n in range(lines)), "\n".join(old[(n + 1) % 5] for n in range(lines))),
    }


def revision(old_text: str, new_text: str) -> tuple[dict, dict]:
    from methodbank.catalog.models import Practice, PracticeTranslation

    fields = ["summary"] + [name for name, _heading in Practice.TEMPLATE_FIELDS]
    translated = [name for name in PracticeTranslation.TRANSLATED_FIELDS if name != "title"]

    def snapshot(text, title):
        data = {"title": title, **dict.fromkeys(fields, text)}
        data["translations"] = {code: {"title": title, **dict.fromkeys(translated, text)} for code in ("sv", "en")}
        return data

    return snapshot(old_text, "Vanha nimi"), snapshot(new_text, "Uusi nimi")


def timed(function, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def old_ndiff(a: str, b: str) -> list:
    """The diff before issue 21 (methodbank/contributions/selectors.py)."""
    return [line for line in difflib.ndiff(a.splitlines(), b.splitlines()) if line[:2] in ("  ", "- ", "+ ")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs

    import django

    django.setup()
    from methodbank.catalog.limits import SECTION_MAX_CHARS
    from methodbank.contributions.selectors import INLINE_DIFF_MAX_LINES, version_diff

    lines = INLINE_DIFF_MAX_LINES - 1
    width = SECTION_MAX_CHARS // lines - 1  # each line and its newline: the field is just under the limit
    print(f"Largest allowed revision: every text field {lines} lines x {width + 1} characters "
          f"(<= {SECTION_MAX_CHARS}), entry and sv/en translations, all changed. {runs} runs.\n")
    print(f"{'shape':<14}{'fields':>7}{'chars':>10}{'median ms':>11}{'p95 ms':>9}   goal p95 < {GOAL_P95_MS} ms")
    worst = 0.0
    for name, (a, b) in shapes(lines, width).items():
        old, new = revision(a, b)
        changed = version_diff(old, new)
        assert all(not c.get("too_large") for c in changed), "the largest allowed revision must be shown inline"
        chars = sum(len(str(v)) for v in new.values())
        times = timed(lambda old=old, new=new: version_diff(old, new), runs)
        worst = max(worst, p95(times))
        print(f"{name:<14}{len(changed):>7}{chars:>10}{statistics.median(times):>11.1f}{p95(times):>9.1f}")
    print(f"\nworst p95: {worst:.1f} ms -> {'PASS' if worst < GOAL_P95_MS else 'FAIL'}\n")

    print(f"Old diff (difflib.ndiff) beside the new one, one field capped at {OLD_DIFF_LINES} lines:")
    print(f"{'shape':<14}{'ndiff median ms':>16}{'new median ms':>15}{'ratio':>8}")
    old_runs = max(3, runs // 4)
    for name, (a, b) in shapes(OLD_DIFF_LINES, width).items():
        old_times = timed(lambda a=a, b=b: old_ndiff(a, b), old_runs)
        old, new = revision(a, b)
        single = ({"summary": old["summary"]}, {"summary": new["summary"]})
        new_times = timed(lambda single=single: version_diff(*single), runs)
        ratio = statistics.median(old_times) / max(statistics.median(new_times), 1e-6)
        print(f"{name:<14}{statistics.median(old_times):>16.1f}{statistics.median(new_times):>15.2f}{ratio:>7.0f}x")


if __name__ == "__main__":
    main()
