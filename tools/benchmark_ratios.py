#!/usr/bin/env python3
"""Print the autodiff benchmark medians and their ratios against varia's performance targets.

Reads the Google Benchmark JSON files in a results folder (by default
build/release/benchmark-results, written by the varia_run_benchmarks target) and prints
Markdown tables: the median time of every ad/ benchmark, and the target ratios with whether
each is met. Times are CPU times unless --real-time is given. Uses the standard library only.
"""

import argparse
import json
import pathlib
import sys

# (label, numerator, numerator divisor, denominator, target): the ratio is
# (numerator time / divisor) / denominator time, and the target is an upper bound.
TARGETS = [
    ("logistic d = 100, varia_gradient / hand_gradient",
     "ad/logistic_regression/varia_gradient/100", 1,
     "ad/logistic_regression/hand_gradient/100", 1.25),
    ("logistic d = 100, per-sample varia_lanes16 / hand_gradient",
     "ad/logistic_regression/varia_lanes16/100", 16,
     "ad/logistic_regression/hand_gradient/100", 0.7),
    ("logistic d = 100, varia_lanes16 / hand_lanes16",
     "ad/logistic_regression/varia_lanes16/100", 1,
     "ad/logistic_regression/hand_lanes16/100", 1.15),
    ("normal d = 1000, varia_gradient / function",
     "ad/normal/varia_gradient/1000", 1,
     "ad/normal/function/1000", 2.5),
    ("eight schools, varia_gradient / hand_gradient",
     "ad/eight_schools/varia_gradient/10", 1,
     "ad/eight_schools/hand_gradient/10", 2.0),
]

# Ratios without a target that explain the ones above.
CONTEXT = [
    ("logistic d = 100, per-sample hand_lanes16 / hand_gradient",
     "ad/logistic_regression/hand_lanes16/100", 16,
     "ad/logistic_regression/hand_gradient/100"),
    ("logistic d = 25, varia_gradient / hand_gradient",
     "ad/logistic_regression/varia_gradient/25", 1,
     "ad/logistic_regression/hand_gradient/25"),
    ("logistic d = 25, varia_lanes16 / hand_lanes16",
     "ad/logistic_regression/varia_lanes16/25", 1,
     "ad/logistic_regression/hand_lanes16/25"),
    ("logistic d = 100, function / hand_gradient",
     "ad/logistic_regression/function/100", 1,
     "ad/logistic_regression/hand_gradient/100"),
    ("normal d = 1000, varia_gradient / hand_gradient",
     "ad/normal/varia_gradient/1000", 1,
     "ad/normal/hand_gradient/1000"),
    ("normal d = 1000, per-sample varia_lanes16 / varia_gradient",
     "ad/normal/varia_lanes16/1000", 16,
     "ad/normal/varia_gradient/1000"),
    ("eight schools, varia_gradient / function",
     "ad/eight_schools/varia_gradient/10", 1,
     "ad/eight_schools/function/10"),
    ("eight schools, per-sample varia_lanes16 / varia_gradient",
     "ad/eight_schools/varia_lanes16/10", 16,
     "ad/eight_schools/varia_gradient/10"),
    ("MLP 2 x 64 tanh, varia_lanes16 / hand_lanes16",
     "ad/mlp/varia_lanes16/64", 1,
     "ad/mlp/hand_lanes16/64"),
    ("AR(5), varia_gradient / hand_gradient",
     "ad/ar5/varia_gradient/1000", 1,
     "ad/ar5/hand_gradient/1000"),
    ("AR(5), per-sample varia_lanes16 / varia_gradient",
     "ad/ar5/varia_lanes16/1000", 16,
     "ad/ar5/varia_gradient/1000"),
]

UNIT_NANOSECONDS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def read_medians(folder, field):
    """Return {benchmark name: median time in ns} from every JSON file in `folder`.

    Uses the "median" aggregate when the run had repetitions, else the single result.
    """
    medians = {}
    singles = {}
    for path in sorted(folder.glob("*.json")):
        with path.open() as handle:
            report = json.load(handle)
        for entry in report.get("benchmarks", []):
            name = entry.get("run_name", entry["name"])
            if not name.startswith("ad/"):
                continue
            time = entry[field] * UNIT_NANOSECONDS[entry.get("time_unit", "ns")]
            if entry.get("run_type") == "aggregate":
                if entry.get("aggregate_name") == "median":
                    medians[name] = time
            else:
                singles.setdefault(name, time)
    for name, time in singles.items():
        medians.setdefault(name, time)
    return medians


def format_time(nanoseconds):
    if nanoseconds >= 1e6:
        return f"{nanoseconds / 1e6:.3g} ms"
    if nanoseconds >= 1e3:
        return f"{nanoseconds / 1e3:.3g} µs"
    return f"{nanoseconds:.3g} ns"


def ratio(medians, numerator, divisor, denominator):
    if numerator not in medians or denominator not in medians:
        return None
    return medians[numerator] / divisor / medians[denominator]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="?", default="build/release/benchmark-results",
                        type=pathlib.Path,
                        help="folder of Google Benchmark JSON files "
                             "(default: build/release/benchmark-results)")
    parser.add_argument("--real-time", action="store_true",
                        help="use wall-clock time instead of CPU time")
    arguments = parser.parse_args()

    if not arguments.results.is_dir():
        sys.exit(f"benchmark_ratios: results folder {arguments.results} not found; run the "
                 "varia_run_benchmarks target first or pass the folder")
    field = "real_time" if arguments.real_time else "cpu_time"
    medians = read_medians(arguments.results, field)
    if not medians:
        sys.exit(f"benchmark_ratios: no ad/ benchmark results in {arguments.results}")

    kind = "wall-clock" if arguments.real_time else "CPU"
    print(f"Median {kind} time per call (per sample = per call / 16 for the lanes16 variants).\n")
    print("| benchmark | median | per sample |")
    print("|---|---:|---:|")
    for name, time in medians.items():
        per_sample = format_time(time / 16) if "lanes16" in name else ""
        print(f"| `{name}` | {format_time(time)} | {per_sample} |")

    print("\n| target | ratio | bound | result |")
    print("|---|---:|---:|---|")
    missing = False
    for label, numerator, divisor, denominator, bound in TARGETS:
        value = ratio(medians, numerator, divisor, denominator)
        if value is None:
            missing = True
            print(f"| {label} | missing | <= {bound} | not measured |")
        else:
            result = "met" if value <= bound else "missed"
            print(f"| {label} | {value:.2f} | <= {bound} | {result} |")

    print("\n| context ratio (no target) | ratio |")
    print("|---|---:|")
    for label, numerator, divisor, denominator in CONTEXT:
        value = ratio(medians, numerator, divisor, denominator)
        shown = "missing" if value is None else f"{value:.2f}"
        print(f"| {label} | {shown} |")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
