#!/usr/bin/python3
"""Plot the results of varia_posteriordb.

Usage: posteriordb_plots.py RESULTS_FOLDER [--data DATA_FOLDER]

Reads RESULTS_FOLDER/results.json, the seed-1 draws in RESULTS_FOLDER/draws/ and the reference
draws DATA_FOLDER/<posterior>/draws.csv (DATA_FOLDER defaults to the data folder recorded in
results.json). Writes two PNG files per posterior into RESULTS_FOLDER/plots/, the names that
report.md links:
  <posterior>_objective.png  objective trace of each family's seed-1 fit
  <posterior>_marginals.png  fitted and reference marginal histograms of up to four parameters,
                             those with the largest standardized error over the seed-1 fits
Needs numpy and matplotlib (Debian: python3-numpy, python3-matplotlib).
"""

import argparse
import json
import math
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

MARGINAL_COUNT = 4
SMOOTHING_WINDOW = 50


def read_csv(path):
    """Return (names, values) of a CSV draw table with a header line."""
    with open(path, encoding="utf-8") as stream:
        names = stream.readline().strip().split(",")
    values = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    return names, values


def moving_median(values, window):
    """Return the trailing moving median of values (shorter windows at the start).

    A median, not a mean, because single steps with a huge negative objective estimate (heavy-
    tailed families) would dominate a mean."""
    values = np.asarray(values, dtype=float)
    padded = np.concatenate([np.full(window - 1, np.nan), values])
    windows = np.lib.stride_tricks.sliding_window_view(padded, window)
    with np.errstate(invalid="ignore"):
        return np.nanmedian(windows, axis=1)


def plot_objective(posterior, fits, path):
    figure, axes = plt.subplots(figsize=(7, 4))
    lows, highs = [], []
    for fit in fits:
        trace = [math.nan if value is None else value for value in fit.get("objective_trace", [])]
        if not trace:
            continue
        smoothed = moving_median(trace, SMOOTHING_WINDOW)
        axes.plot(np.arange(1, len(trace) + 1), smoothed, label=fit["family"], linewidth=1.2)
        tail = smoothed[len(smoothed) // 2:]
        tail = tail[np.isfinite(tail)]
        if tail.size:
            lows.append(np.percentile(tail, 10))
            highs.append(np.max(tail))
    if lows:
        # Early iterations and rare bad steps can be orders of magnitude below the final
        # objective. The y range covers the upper 90% of each trace's second half.
        low, high = min(lows), max(highs)
        margin = max(high - low, 1e-3 * max(abs(high), 1.0))
        axes.set_ylim(low - 2 * margin, high + 0.5 * margin)
    axes.set_xlabel("iteration")
    axes.set_ylabel(f"objective, moving median over {SMOOTHING_WINDOW} iterations")
    axes.set_title(f"{posterior}: objective trace (seed 1)")
    axes.legend(fontsize="small")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def plot_marginals(posterior, fits, results_folder, reference_names, reference_values, path):
    worst = {}
    for fit in fits:
        for parameter in fit["parameters"]:
            error = parameter["standardized_error"]
            error = math.inf if error is None else error
            worst[parameter["name"]] = max(worst.get(parameter["name"], 0.0), error)
    chosen = sorted(worst, key=lambda name: -worst[name])[:MARGINAL_COUNT]
    chosen = [name for name in reference_names if name in chosen]

    figure, axes = plt.subplots(1, len(chosen), figsize=(3.2 * len(chosen), 3.2), squeeze=False)
    fitted = {}
    for fit in fits:
        draws_path = results_folder / "draws" / f"{posterior}_{fit['family']}_seed1.csv"
        if draws_path.exists():
            fitted[fit["family"]] = read_csv(draws_path)
    for axis, name in zip(axes[0], chosen):
        reference = reference_values[:, reference_names.index(name)]
        low, high = np.percentile(reference, [0.5, 99.5])
        width = max(high - low, 1e-12)
        columns = {family: values[:, names.index(name)]
                   for family, (names, values) in fitted.items() if name in names}
        # The x range covers the reference and the fitted draws, but at most 10 reference
        # widths on either side, so that one far-off fit does not flatten the others.
        for column in columns.values():
            finite = column[np.isfinite(column)]
            if finite.size:
                fit_low, fit_high = np.percentile(finite, [0.5, 99.5])
                low = max(min(low, fit_low), low - 10 * width)
                high = min(max(high, fit_high), high + 10 * width)
        bins = np.linspace(low - 0.1 * (high - low), high + 0.1 * (high - low), 80)
        bin_width = bins[1] - bins[0]
        # Densities relative to all draws: draws outside the x range lower the curve.
        axis.hist(reference, bins=bins, weights=np.full(reference.size, 1 / (reference.size * bin_width)),
                  color="0.75", label="reference")
        for family, column in columns.items():
            axis.hist(column, bins=bins, weights=np.full(column.size, 1 / (column.size * bin_width)),
                      histtype="step", linewidth=1.2, label=family)
        axis.set_title(name, fontsize="medium")
        axis.set_yticks([])
    axes[0][0].legend(fontsize="x-small")
    figure.suptitle(f"{posterior}: marginals, seed 1 (largest standardized errors)",
                    fontsize="medium")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results_folder", type=pathlib.Path,
                        help="output folder of varia_posteriordb (contains results.json)")
    parser.add_argument("--data", type=pathlib.Path, default=None,
                        help="posteriordb data folder (default: the one in results.json)")
    arguments = parser.parse_args()

    results_path = arguments.results_folder / "results.json"
    try:
        with open(results_path, encoding="utf-8") as stream:
            results = json.load(stream)
    except (OSError, json.JSONDecodeError) as error:
        sys.exit(f"posteriordb_plots: cannot read {results_path}: {error}")
    data_folder = arguments.data
    if data_folder is None:
        data_folder = pathlib.Path(results.get("settings", {}).get("data_folder", ""))

    plots_folder = arguments.results_folder / "plots"
    plots_folder.mkdir(exist_ok=True)
    posteriors = []
    for fit in results["fits"]:
        if fit["posterior"] not in posteriors:
            posteriors.append(fit["posterior"])

    written = 0
    for posterior in posteriors:
        fits = [fit for fit in results["fits"] if fit["posterior"] == posterior and fit["seed"] == 1]
        if not fits:
            continue
        plot_objective(posterior, fits, plots_folder / f"{posterior}_objective.png")
        written += 1
        reference_path = data_folder / posterior / "draws.csv"
        if not reference_path.exists():
            print(f"posteriordb_plots: {reference_path} not found, no marginal plot for "
                  f"{posterior}", file=sys.stderr)
            continue
        reference_names, reference_values = read_csv(reference_path)
        plot_marginals(posterior, fits, arguments.results_folder, reference_names,
                       reference_values, plots_folder / f"{posterior}_marginals.png")
        written += 1
    print(f"posteriordb_plots: wrote {written} plots to {plots_folder}")


if __name__ == "__main__":
    main()
