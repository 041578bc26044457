"""claimflow memory benchmark: peak RSS of ``claimflow run`` on two hostile-sized inputs.

* ``one_line_20mb``: one .txt of 20,000,000 bytes on a single line (real sentences of the
  sample statements joined by spaces, no newline), just under the default 20 MB size limit;
* ``jsonl_2000_docs``: one .jsonl of 2,000 records (``id``, ``text``, ``title``, ``date``),
  varied copies of the sample statements.

Each input is run in a fresh ``claimflow run`` process; the peak is the largest sum of the
resident set sizes of that process and all its children, sampled with psutil, overall and
per stage (the stage is read off the output files that exist so far: a stage's output file
appears, as a temporary file, when the stage starts).

Usage: python benchmarks/memory.py [WORKDIR] [-- RUN ARGS...]   (prints JSON; default
WORKDIR benchmarks/out/memory; e.g. ``-- --set classify.backend=linear``)
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
CLAIMFLOW = [sys.executable, "-m", "claimflow"]
ONE_LINE_BYTES = 20_000_000
JSONL_DOCS = 2_000
SAMPLE_SECONDS = 0.05
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_SWAPS = [
    ("Azerbaijan", ["Georgia", "Moldova", "Kazakhstan", "Estonia", "Lithuania"]),
    ("Armenia", ["Belarus", "Serbia", "Venezuela", "Myanmar", "Eritrea"]),
    ("Baku", ["Tbilisi", "Chisinau", "Astana", "Tallinn", "Vilnius"]),
]


def _statements() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))]


def sample_sentences() -> list[str]:
    """The sample statements' sentences (a plain punctuation split is enough here)."""
    out = []
    for text in _statements():
        for line in text.splitlines():
            out.extend(s.strip() for s in _SENTENCE_END.split(line) if len(s.strip()) > 1)
    return out


def build_one_line(path: Path, size: int = ONE_LINE_BYTES, seed: int = 0) -> Path:
    """A UTF-8 file of exactly ``size`` bytes: shuffled real sentences, one line, no newline."""
    sentences = sample_sentences()
    if not sentences:
        raise SystemExit(f"no sample statements in {RAW}")
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        rng.shuffle(sentences)
        for s in sentences:
            parts.append(s)
            total += len(s.encode("utf-8")) + 1
            if total >= size:
                break
    data = " ".join(parts).encode("utf-8")[:size]
    data = data.decode("utf-8", "ignore").rstrip().encode("utf-8")  # no cut character
    data += b"." * (size - len(data))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def build_jsonl(path: Path, n_docs: int = JSONL_DOCS, seed: int = 0) -> Path:
    """``n_docs`` JSONL records (id, text, title, date): distinct variants of the samples."""
    statements = _statements()
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for k in range(n_docs):
            text = statements[k % len(statements)]
            for old, choices in _SWAPS:
                text = text.replace(old, rng.choice(choices))
            text = _YEAR.sub(lambda _m: str(rng.randint(1995, 2025)), text)
            paragraphs = text.split("\n\n")
            body = paragraphs[1:]
            rng.shuffle(body)
            text = "\n\n".join(paragraphs[:1] + body) + f"\n\nReference {k}."
            record = {"id": f"doc-{k:05d}", "text": text, "title": f"Statement {k}",
                      "date": f"2024-{1 + k % 12:02d}-{1 + k % 28:02d}"}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


# (stage, a word in the name of a file it writes), in pipeline order
_STAGE_OUTPUTS = (("split", "sentences"), ("tag", "tokens"), ("classify", "claims"))


def current_stage(out_dir: Path) -> str:
    """The stage a run into ``out_dir`` is in: the last one whose output file exists."""
    names = " ".join(p.name for p in out_dir.rglob("*")) if out_dir.exists() else ""
    stage = "ingest"
    for name, word in _STAGE_OUTPUTS:
        if word in names:
            stage = name
    return stage


def peak_rss_of(cmd: list[str], log: Path, out_dir: Path | None = None) -> dict:
    """Run ``cmd``; its wall time, exit code and the peak RSS (MB) of its process tree, and
    per stage when ``out_dir`` (the run's output folder) is given."""
    start = time.perf_counter()
    peaks: dict[str, int] = {}
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        watched = psutil.Process(proc.pid)
        stage, checked = "run", 0.0
        while proc.poll() is None:
            try:
                rss = _tree_rss(watched)
            except psutil.NoSuchProcess:
                break
            if out_dir is not None and time.perf_counter() - checked > 0.5:
                stage, checked = current_stage(out_dir), time.perf_counter()
            peaks[stage] = max(peaks.get(stage, 0), rss)
            time.sleep(SAMPLE_SECONDS)
        proc.wait()
    mb = {k: round(v / 1024 / 1024, 1) for k, v in peaks.items()}
    result = {"peak_rss_mb": max(mb.values(), default=0.0),
              "seconds": round(time.perf_counter() - start, 2), "exit_code": proc.returncode}
    if out_dir is not None:
        result["peak_rss_mb_by_stage"] = mb
    return result


def measure_memory(workdir: Path | str, extra_args: tuple[str, ...] = ()) -> dict:
    """Peak RSS (MB), overall and per stage, and wall time of ``claimflow run`` (with
    ``extra_args``) on the 20 MB one-line file and the 2,000-document JSONL, each built
    under ``workdir`` and run into its own output folder."""
    workdir = Path(workdir)
    cases = {
        "one_line_20mb": lambda raw: build_one_line(raw / "one_line.txt"),
        "jsonl_2000_docs": lambda raw: build_jsonl(raw / "statements.jsonl"),
    }
    results: dict[str, dict] = {}
    for name, build in cases.items():
        raw, out = workdir / name / "raw", workdir / name / "out"
        for folder in (raw, out):
            if folder.exists():
                shutil.rmtree(folder)
        raw.mkdir(parents=True)
        size = build(raw).stat().st_size
        run = peak_rss_of([*CLAIMFLOW, "run", str(raw), "-o", str(out), "--force", *extra_args],
                          workdir / name / "run.log", out)
        results[name] = {"input_bytes": size, **run}
    return results


def main() -> None:
    args = sys.argv[1:]
    extra: tuple[str, ...] = ()
    if "--" in args:
        extra = tuple(args[args.index("--") + 1 :])
        args = args[: args.index("--")]
    workdir = Path(args[0]) if args else ROOT / "benchmarks" / "out" / "memory"
    print(json.dumps(measure_memory(workdir, extra), indent=2))


if __name__ == "__main__":
    main()
