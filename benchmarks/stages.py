"""One benchmark measurement, run as its own process: `python benchmarks/stages.py STAGE N`.

Prints one JSON line: {"stage", "n", "seconds", "peak_mb", "note", ...}. `seconds` times the
stage's work only (imports and untimed setup excluded; the runner also records the whole
process's wall time); `peak_mb` is the process's peak resident memory (VmHWM), setup included.
A stage whose kartoitus module or entry point does not exist yet prints {"unavailable": "..."}.

Every stage is a small function in `STAGES` (stage_registry.py; the stages in stages_compute.py
and stages_outputs.py), the registry the runner (run.py) walks. Stages of
pipeline parts that have not landed name their planned entry point in `Stage.requires`; when the
module lands under another name or signature, only that stage's function here needs changing.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import stages_compute  # noqa: E402,F401  (registers the reading, cleaning and table stages)
import stages_outputs  # noqa: E402,F401  (registers the figure, workbook, report, deck and run stages)
from stage_registry import _CPU, DEMO_SIZE, STAGES, _demo_survey, _survey, missing_requirement  # noqa: E402,F401
from stages_outputs import _prepared  # noqa: E402

# ------------------------------------------------------------------------------------------


def peak_mb() -> float:
    """This process's peak resident memory. VmHWM starts afresh at exec; ru_maxrss would carry
    the parent's peak over from before the fork."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(name: str, n: int) -> dict[str, Any]:
    """Run stage `name` at size `n` in this process; the JSON record the runner reads."""
    st = STAGES[name]
    reason = missing_requirement(st)
    if reason:
        return {"stage": name, "n": n, "unavailable": reason}
    try:
        out = st.fn(n)
    except ImportError as err:
        return {"stage": name, "n": n, "unavailable": f"not available yet: {err}"}
    out.setdefault("peak_mb", round(peak_mb(), 1))
    if _CPU and "cpu_s" not in out:
        out["cpu_s"] = round(_CPU[-1], 2)
        out["note"] = f"{out.get('note', '')}; CPU {_CPU[-1]:.1f} s".lstrip("; ")
    return {"stage": name, "n": n, **out}


def prepare(n: int) -> dict[str, Any]:
    """Write the export and the cleaned survey of size n if they are not cached yet."""
    import scaled

    start = time.perf_counter()
    scaled.export_path(n)
    export_s = time.perf_counter() - start
    try:
        _survey(n)
    except ImportError as err:  # no cleaning yet: the read baselines still run
        return {"n": n, "export_s": export_s, "survey": f"not available yet: {err}"}
    return {"n": n, "export_s": export_s, "survey_s": time.perf_counter() - start - export_s}


def prepare_demo() -> dict[str, Any]:
    """Clean the shipped demo survey once, if it is not cached yet."""
    start = time.perf_counter()
    try:
        _demo_survey("organisations")
        _demo_survey("municipalities")
        _prepared(DEMO_SIZE)
    except ImportError as err:
        return {"n": DEMO_SIZE, "export_s": 0.0, "survey": f"not available yet: {err}"}
    return {"n": DEMO_SIZE, "export_s": 0.0, "survey_s": time.perf_counter() - start}


def main() -> None:
    name, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0
    if name == "--prepare":
        record = prepare(n)
    elif name == "--prepare-demo":
        record = prepare_demo()
    else:
        record = measure(name, n)
    print(json.dumps(record, ensure_ascii=False))


if __name__ == "__main__":
    main()
