#include <varia/diagnostics/generalized_pareto.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include <Eigen/Core>

#include "support/catch.hpp"

namespace {

// Uniform on (0, 1) from the top 53 bits of std::mt19937_64, offset by half a step so that 0 and
// 1 never occur. The std distributions are avoided because they differ between libraries.
double uniform(std::mt19937_64& engine) {
  return (static_cast<double>(engine() >> 11) + 0.5) * 0x1.0p-53;
}

// Independent closed form of the distribution function, 1 - (1 + k x / sigma)^(-1/k).
double generalized_pareto_cdf(double x, double shape, double scale) {
  if (shape == 0.0) {
    return 1.0 - std::exp(-x / scale);
  }
  return 1.0 - std::pow(1.0 + shape * x / scale, -1.0 / shape);
}

// Exact generalized Pareto draws by inversion: sigma / k (U^(-k) - 1), with U and 1 - U equal in
// distribution.
Eigen::VectorXd generalized_pareto_draws(double shape, double scale, Eigen::Index count,
                                         std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  Eigen::VectorXd draws(count);
  for (Eigen::Index i = 0; i < count; ++i) {
    draws(i) = scale / shape * std::expm1(-shape * std::log(uniform(engine)));
  }
  return draws;
}

// Exact quantiles at the Weyl points u_i = frac((i + 1) phi), as in
// tests/diagnostics/arviz_reference.py.
Eigen::VectorXd weyl_quantiles(double shape, double scale, int count) {
  Eigen::VectorXd excesses(count);
  for (int i = 0; i < count; ++i) {
    const double x = static_cast<double>(i + 1) * 0.6180339887498949;
    const double u = x - std::floor(x);
    excesses(i) = scale / shape * std::expm1(-shape * std::log1p(-u));
  }
  return excesses;
}

}  // namespace

TEST_CASE("generalized Pareto quantile closed forms") {
  const varia::GeneralizedPareto heavy{0.5, 2.0};
  // 2 / 0.5 ((1 - 0.75)^(-0.5) - 1) = 4 (2 - 1).
  CHECK(heavy.quantile(0.75) == Approx(4.0).epsilon(1e-15));
  CHECK(heavy.quantile(0.0) == 0.0);
  CHECK(heavy.quantile(1.0) == std::numeric_limits<double>::infinity());

  const varia::GeneralizedPareto exponential{0.0, 2.0};
  CHECK(exponential.quantile(0.75) == Approx(2.0 * std::log(4.0)).epsilon(1e-15));

  // A negative shape has the upper endpoint -scale / shape.
  const varia::GeneralizedPareto bounded{-0.5, 2.0};
  CHECK(bounded.quantile(1.0) == Approx(4.0).epsilon(1e-15));
}

TEST_CASE("generalized Pareto quantile inverts the distribution function") {
  for (const double shape : {-0.4, 0.3, 1.5}) {
    const varia::GeneralizedPareto distribution{shape, 1.7};
    for (const double p : {0.01, 0.3, 0.5, 0.9, 0.999}) {
      INFO("shape " << shape << ", p " << p);
      CHECK(generalized_pareto_cdf(distribution.quantile(p), shape, 1.7) ==
            Approx(p).epsilon(1e-12));
    }
  }
}

// The inverse Fisher information of the generalized Pareto distribution gives the maximum
// likelihood estimates asymptotic standard deviations (1 + k) / sqrt(n) for the shape and
// sigma sqrt(2 (1 + k) / n) for the scale when k > -1/2, and the Zhang-Stephens estimator is
// close to efficient there. Each estimate must lie within 4 of them.
TEST_CASE("generalized Pareto fit recovers shape and scale") {
  const Eigen::Index count = 20000;
  const double scale = 1.7;
  for (const double shape : {-0.3, 0.2, 0.7, 1.3}) {
    for (const std::uint64_t seed : {1u, 2u, 3u}) {
      const varia::GeneralizedPareto fit =
          varia::fit_generalized_pareto(generalized_pareto_draws(shape, scale, count, seed));
      const double n = static_cast<double>(count);
      INFO("shape " << shape << ", seed " << seed << ": fitted " << fit.shape << ", " << fit.scale);
      CHECK(std::abs(fit.shape - shape) <= 4.0 * (1.0 + shape) / std::sqrt(n));
      CHECK(std::abs(fit.scale - scale) <= 4.0 * scale * std::sqrt(2.0 * (1.0 + shape) / n));
    }
  }
}

TEST_CASE("generalized Pareto fit ignores input order and scale") {
  const Eigen::VectorXd draws = generalized_pareto_draws(0.4, 1.0, 500, 9);
  const varia::GeneralizedPareto fit = varia::fit_generalized_pareto(draws);
  const Eigen::VectorXd reversed = draws.reverse();
  const varia::GeneralizedPareto reversed_fit = varia::fit_generalized_pareto(reversed);
  CHECK(reversed_fit.shape == Approx(fit.shape).epsilon(1e-12));
  CHECK(reversed_fit.scale == Approx(fit.scale).epsilon(1e-12));

  // Multiplying the data by c multiplies the scale by c and keeps the shape.
  const Eigen::VectorXd scaled = 1e-6 * draws;
  const varia::GeneralizedPareto scaled_fit = varia::fit_generalized_pareto(scaled);
  CHECK(scaled_fit.shape == Approx(fit.shape).epsilon(1e-9));
  CHECK(scaled_fit.scale == Approx(1e-6 * fit.scale).epsilon(1e-9));
}

// Reference values from arviz.stats.stats._gpdfit (ArviZ 0.23.4), printed by
// tests/diagnostics/arviz_reference.py with the shape's prior shrinkage undone.
TEST_CASE("generalized Pareto fit matches arviz") {
  const varia::GeneralizedPareto heavy =
      varia::fit_generalized_pareto(weyl_quantiles(0.4, 1.5, 100));
  CHECK(heavy.shape == Approx(0.35626283178569884).epsilon(1e-9));
  CHECK(heavy.scale == Approx(1.5291883890624893).epsilon(1e-9));

  const varia::GeneralizedPareto bounded =
      varia::fit_generalized_pareto(weyl_quantiles(-0.3, 2.0, 50));
  CHECK(bounded.shape == Approx(-0.31293643595873105).epsilon(1e-9));
  CHECK(bounded.scale == Approx(1.9738980149423653).epsilon(1e-9));
}

TEST_CASE("generalized Pareto rejects invalid input") {
  CHECK_THROWS_AS(varia::fit_generalized_pareto(Eigen::VectorXd::Ones(1)), std::invalid_argument);
  CHECK_THROWS_WITH(varia::fit_generalized_pareto(Eigen::VectorXd::Ones(1)),
                    "varia::fit_generalized_pareto: excesses has 1 elements, but must have at "
                    "least 2");

  Eigen::VectorXd with_zero = Eigen::VectorXd::Ones(10);
  with_zero(4) = 0.0;
  CHECK_THROWS_WITH(varia::fit_generalized_pareto(with_zero),
                    "varia::fit_generalized_pareto: excesses(4) is 0, but must be finite and "
                    "positive");

  Eigen::VectorXd with_nan = Eigen::VectorXd::Ones(10);
  with_nan(7) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(varia::fit_generalized_pareto(with_nan),
                    "varia::fit_generalized_pareto: excesses(7) is nan, but must be finite and "
                    "positive");

  Eigen::VectorXd with_infinity = Eigen::VectorXd::Ones(10);
  with_infinity(0) = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(varia::fit_generalized_pareto(with_infinity),
                    "varia::fit_generalized_pareto: excesses(0) is inf, but must be finite and "
                    "positive");

  const varia::GeneralizedPareto distribution{0.5, 1.0};
  CHECK_THROWS_WITH(distribution.quantile(1.5),
                    "varia::GeneralizedPareto::quantile: probability is 1.5, but must be in "
                    "[0, 1]");
  CHECK_THROWS_WITH(distribution.quantile(-0.2),
                    "varia::GeneralizedPareto::quantile: probability is -0.2, but must be in "
                    "[0, 1]");
}
