"""Print reference values from ArviZ for tests/diagnostics/psis_test.cpp and
generalized_pareto_test.cpp.

Run with ArviZ 0.23 (pip install arviz), which provides arviz.psislw and the Zhang-Stephens
fit arviz.stats.stats._gpdfit. The inputs come from the Weyl sequence u_i = frac((i + 1) phi)
with phi = 0.6180339887498949, i = 0, 1, ..., which the C++ tests rebuild with the same double
arithmetic.
"""

import math

import arviz
import numpy as np
from arviz.stats.stats import _gpdfit

GOLDEN_FRACTION = 0.6180339887498949


def weyl(count):
    values = []
    for i in range(count):
        x = (i + 1) * GOLDEN_FRACTION
        values.append(x - math.floor(x))
    return values


def psis_cases():
    u1000 = weyl(1000)
    u500 = weyl(500)
    u200 = weyl(200)
    u100 = weyl(100)
    return {
        "pareto_tail_1000": [-0.7 * math.log(u) for u in u1000],
        "bounded_500": [-8.0 * u * u for u in u500],
        "offset_200": [1000.0 - 1.2 * math.log(u) for u in u200],
        "sine_30": [2.0 * math.sin(float(i)) for i in range(30)],
        "negative_infinity_100": [
            -math.inf if i % 7 == 0 else -0.6 * math.log(u) for i, u in enumerate(u100)
        ],
    }


def print_psis_case(name, log_ratios):
    ratios = np.array(log_ratios, dtype=float)
    log_weights, k_hat = arviz.psislw(ratios.copy())
    order = np.argsort(ratios, kind="stable")
    indices = sorted(set(order[-5:].tolist() + [0, 1, len(ratios) - 1]))
    finite = log_weights[np.isfinite(log_weights)]
    log_sum_squares = np.log(np.sum(np.exp(2.0 * finite)))
    print(f"// {name}: S = {len(ratios)}")
    print(f"  k_hat = {float(k_hat)!r}")
    print(f"  log_sum_of_squared_weights = {float(log_sum_squares)!r}")
    print("  {" + ", ".join(f"{{{i}, {float(log_weights[i])!r}}}" for i in indices) + "}")


def print_gpd_case(shape, scale, count):
    # Exact generalized Pareto quantiles at the Weyl points, sorted as _gpdfit requires.
    excesses = np.sort(
        np.array([scale / shape * math.expm1(-shape * math.log1p(-u)) for u in weyl(count)])
    )
    shrunk_shape, fitted_scale = _gpdfit(excesses)
    # _gpdfit returns the shape shrunk as (n k + 5) / (n + 10); undo that to get the raw fit.
    raw_shape = (shrunk_shape * (count + 10) - 5.0) / count
    print(f"// GPD shape {shape}, scale {scale}, n = {count}")
    print(f"  raw shape = {float(raw_shape)!r}, scale = {float(fitted_scale)!r}")


def main():
    print(f"arviz {arviz.__version__}, numpy {np.__version__}")
    for name, log_ratios in psis_cases().items():
        print_psis_case(name, log_ratios)
    print_gpd_case(0.4, 1.5, 100)
    print_gpd_case(-0.3, 2.0, 50)


if __name__ == "__main__":
    main()
