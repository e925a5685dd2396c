"""Build speed on the default case: the naive papermill + nbconvert chain against ``casebrief build``.

Side by side, each the median of ``--repeat`` runs (default 3), in fresh processes as a user runs them:

(a) the chain a user would type: ``papermill`` CLI, ``jupyter nbconvert --to html``, then a PDF with
    ``jupyter nbconvert --to webpdf`` or ``--to pdf``, whichever works here (if neither does, the chain
    is timed without a PDF and the failure is printed: (a) is then a lower bound; (a') adds what such
    a user could still do, print the HTML with headless Chromium, when it is installed);
(b) ``casebrief build --force`` for one brief (analyst) in HTML and PDF, and (b') in HTML only;
    (b0) the same cold: ``--no-cache``, every chart drawn;
(c) the no-op rebuild of the whole default matrix (``casebrief build``, everything up to date);
(d) the whole default matrix (every audience, HTML and PDF) with ``--force --jobs 1`` and ``--jobs 2``,
    and (e) cold with ``--jobs 2 --no-cache``;
(f) the matrix after editing one judgement's text in case.yaml (on a copy of the case): every output
    is stale, the charts come from the chart cache;
(g) the sizes of the analyst brief's HTML and PDF.

Then the ratios (issue 12's targets: b0/a' <= 0.6, e/a' <= 1.3, f/e <= 0.4, analyst HTML and PDF <=
600 KB; and b/a <= 0.5, no-op <= 0.5 s), and what the build process imports (``python -X
importtime``): nothing heavy on the no-op path, and the cost of each heavy package on the build path.

usage: python benchmarks/build.py [--repeat 3] [--case ID]
Outputs go to a temporary folder (CASEBRIEF_REPORTS); reports/ is left alone.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOK = ROOT / "notebooks" / "briefing.ipynb"
HEAVY = ("pandas", "matplotlib", "papermill", "nbclient", "nbconvert", "weasyprint", "frictionless",
         "jupyter_client", "pydantic", "yaml")


def run(cmd: list[str], env: dict, cwd: Path = ROOT,
        check: bool = True) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if check and proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return elapsed, proc


def median_of(n: int, fn) -> tuple[float, list[float]]:
    times = [fn() for _ in range(n)]
    return statistics.median(times), times


def naive_pdf_route(env: dict, work: Path, executed: Path) -> tuple[str | None, str]:
    """Which nbconvert PDF exporter works on this machine: 'webpdf', 'pdf', or None with the reason."""
    reasons = []
    for to in ("webpdf", "pdf"):
        _, proc = run([str(BIN / "jupyter"), "nbconvert", "--to", to, str(executed),
                       "--output-dir", str(work)], env, check=False)
        if proc.returncode == 0:
            return to, ""
        last = [ln for ln in proc.stderr.strip().splitlines() if ln.strip()]
        reasons.append(f"--to {to}: {last[-1][:160] if last else 'failed'}")
    return None, "; ".join(reasons)


def import_profile(cmd: list[str], env: dict) -> dict[str, float]:
    """Cumulative import time (s) of each heavy top-level package in a run of ``cmd``."""
    _, proc = run([sys.executable, "-X", "importtime", *cmd], env, check=False)
    out: dict[str, float] = {}
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if m and m.group(3) in HEAVY:
            out[m.group(3)] = max(out.get(m.group(3), 0.0), int(m.group(1)) / 1e6)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--case", default=None, help="case id (default: the default case)")
    args = ap.parse_args()
    n = args.repeat

    work = Path(tempfile.mkdtemp(prefix="casebrief-bench-"))
    case_id = args.case or "nk-pows-ukraine"
    shutil.copytree(ROOT / "data" / "cases" / case_id, work / "cases" / case_id)  # (f) edits this copy
    env = dict(os.environ, CASEBRIEF_REPORTS=str(work / "reports"), MPLBACKEND="Agg",
               CASEBRIEF_CASES=str(work / "cases"), CASEBRIEF_CHART_CACHE=str(work / "chart-cache"))
    case_args = ["--case", args.case] if args.case else []
    pm_params = ["-p", "case", args.case] if args.case else []
    casebrief = [str(BIN / "casebrief"), "build", *case_args]
    try:
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"casebrief build benchmark: {n} runs each, median; {os.cpu_count()} CPUs, load {load}; "
              f"work dir {work}")

        # (a) the naive chain
        executed = work / "naive" / "briefing.ipynb"
        executed.parent.mkdir(parents=True)
        run([str(BIN / "papermill"), str(NOTEBOOK), str(executed), *pm_params, "--cwd", str(NOTEBOOK.parent)],
            env)  # warm-up, and the executed notebook to try the PDF routes on
        route, why = naive_pdf_route(env, executed.parent, executed)

        def naive() -> float:
            total = run([str(BIN / "papermill"), str(NOTEBOOK), str(executed), *pm_params, "--cwd",
                         str(NOTEBOOK.parent)], env)[0]
            total += run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed)], env)[0]
            if route:
                total += run([str(BIN / "jupyter"), "nbconvert", "--to", route, str(executed)], env)[0]
            return total

        a, a_all = median_of(n, naive)

        # (b) one brief, both formats, cold and with its charts cached; and HTML only
        b0, b0_all = median_of(n, lambda: run([*casebrief, "--audience", "analyst", "--no-cache"], env)[0])
        b, b_all = median_of(n, lambda: run([*casebrief, "--audience", "analyst", "--force"], env)[0])
        bh, bh_all = median_of(n, lambda: run([*casebrief, "--audience", "analyst", "--force", "--format",
                                                "html"], env)[0])
        # what a user without an nbconvert PDF route might do: print the HTML with headless Chromium
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        ch = None
        printing = [chromium, "--headless", "--no-sandbox", "--disable-gpu",
                    f"--print-to-pdf={work / 'naive.pdf'}", executed.with_suffix(".html").as_uri()]
        if chromium and not route and run(printing, env, check=False)[1].returncode == 0:
            ch, ch_all = median_of(n, lambda: run(printing, env)[0])

        # (e) the default matrix cold, (d) with the chart cache, then (c) the no-op on top of it
        e, e_all = median_of(n, lambda: run([*casebrief, "--no-cache", "--jobs", "2"], env)[0])
        d1, d1_all = median_of(n, lambda: run([*casebrief, "--force", "--jobs", "1"], env)[0])
        d2, d2_all = median_of(n, lambda: run([*casebrief, "--force", "--jobs", "2"], env)[0])
        _, proc = run(casebrief, env)
        assert proc.stdout.startswith("nothing to do"), proc.stdout
        c, c_all = median_of(max(n, 5), lambda: run(casebrief, env)[0])

        # (f) edit one judgement's wording, then build what is stale (all of it), n times
        yaml = work / "cases" / case_id / "case.yaml"

        def edited() -> float:
            lines = yaml.read_text(encoding="utf-8").splitlines()
            k = next(i for i, ln in enumerate(lines) if ln.strip().startswith("text:"))
            if lines[k].rstrip().endswith((">-", ">", "|", "|-")):  # a block: its text is on the next line
                k += 1
            lines[k] += " Reworded."
            yaml.write_text("\n".join(lines) + "\n", encoding="utf-8")
            return run([*casebrief, "--jobs", "2"], env)[0]

        f, f_all = median_of(n, edited)
        out = work / "reports" / case_id
        sizes = {p.suffix: p.stat().st_size / 1024 for p in out.glob(f"{case_id}-analyst.*")}

        def row(label: str, med: float, runs: list[float], note: str = "") -> None:
            spread = ", ".join(f"{t:.2f}" for t in runs)
            print(f"  {label:<58} {med:7.2f} s   ({spread}){note}")

        print()
        pdf_note = f"  [+ nbconvert --to {route}]" if route else "  [no PDF: neither nbconvert route works]"
        row("(a) naive: papermill + nbconvert html" + (f" + {route}" if route else ""), a, a_all)
        if not route:
            print(f"      PDF routes tried: {why}")
            print("      so (a) has no PDF step while (b) has one: b/a is conservative")
        if ch is not None:
            row("(a') (a) + chromium --headless --print-to-pdf", a + ch, [a + t for t in ch_all])
        row("(b0) casebrief build --no-cache, one brief, html+pdf (cold)", b0, b0_all)
        row("(b) casebrief build --force, one brief, html+pdf", b, b_all)
        row("(b') casebrief build --force, one brief, html only", bh, bh_all)
        row("(c) casebrief build, no-op on the default matrix", c, c_all)
        row("(d) casebrief build --force, default matrix, --jobs 1", d1, d1_all)
        row("(d) casebrief build --force, default matrix, --jobs 2", d2, d2_all)
        row("(e) casebrief build --no-cache, default matrix, --jobs 2 (cold)", e, e_all)
        row("(f) casebrief build --jobs 2 after editing one judgement", f, f_all)
        print()
        if ch is not None:
            chain = a + ch
            print(f"  b0/a' = {b0 / chain:.2f}   (target <= 0.6: one analyst brief cold, against the chain "
                  "with Chromium's PDF)")
            print(f"  e/a' = {e / chain:.2f}   (target <= 1.3: the whole matrix cold, --jobs 2)")
        print(f"  f/e = {f / e:.2f}   (target <= 0.4: the matrix after a judgement edit, against cold)")
        print(f"  analyst HTML {sizes.get('.html', 0):,.0f} KB, PDF {sizes.get('.pdf', 0):,.0f} KB   "
              "(target <= 600 KB each)")
        print(f"  b/a = {b / a:.2f}   (target <= 0.5)" + ("" if route else pdf_note))
        print(f"  b'/a = {bh / a:.2f}   (HTML only on both sides)")
        if ch is not None:
            print(f"  b/a' = {b / (a + ch):.2f}   (a PDF on both sides, the naive one printed by Chromium)")
        print(f"  no-op = {c:.2f} s   (target <= 0.5 s)")
        print(f"  jobs 2 / jobs 1 = {d2 / d1:.2f}")

        print(f"  (load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())})")
        print("\nimports (cumulative seconds, python -X importtime):")
        noop = import_profile(["-m", "analysis", "build", *case_args], env)
        print("  no-op path:  " + (", ".join(f"{k} {v:.2f}" for k, v in sorted(noop.items())) or "none"))
        heavy = sorted(set(noop) - {"pydantic", "yaml"})
        print(f"  heavy packages on the no-op path: {', '.join(heavy) or 'none'}")
        full = import_profile(["-m", "analysis", "build", *case_args, "--audience", "analyst", "--force"],
                              env)
        print("  build path:  " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(full.items())))
        print("  (the build process imports no pandas or matplotlib: the kernel does; nbconvert and "
              "WeasyPrint load in a thread while the kernel runs)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
