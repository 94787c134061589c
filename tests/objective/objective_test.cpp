// Objectives: values and weights against closed forms and finite differences, edge cases, and
// the ordering of the bounds around a known log Z by long Monte Carlo runs.
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <vector>

#include <Eigen/Core>

#include <varia/objective/cubo.hpp>
#include <varia/objective/elbo.hpp>
#include <varia/objective/iwae.hpp>
#include <varia/objective/objective.hpp>
#include <varia/objective/renyi.hpp>
#include <varia/random/counter_rng.hpp>

#include "support/catch.hpp"
#include "support/gradient_check.hpp"

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

static_assert(varia::Objective<varia::Elbo>);
static_assert(varia::Objective<varia::Iwae>);
static_assert(varia::Objective<varia::Renyi>);
static_assert(varia::Objective<varia::Cubo>);

Eigen::VectorXd example_weights() {
  Eigen::VectorXd w(6);
  w << -1.3, 0.2, -4.0, 2.5, 0.7, -0.1;
  return w;
}

// log((1/n) sum exp(x)) computed directly, for moderate x only.
double naive_log_mean_exp(const Eigen::VectorXd& x) {
  return std::log(x.array().exp().mean());
}

// Checks dw of value_and_weights against finite differences of value, and that both functions
// return the same value.
template <class O>
void check_weights(const O& objective, const Eigen::VectorXd& w) {
  Eigen::VectorXd dw;
  const double value = objective.value_and_weights(w, dw);
  CHECK(value == Approx(objective.value(w)).epsilon(1e-14));
  REQUIRE(dw.size() == w.size());
  auto f = [&](const Eigen::VectorXd& v) { return objective.value(v); };
  for (Eigen::Index s = 0; s < w.size(); ++s) {
    INFO(objective.name() << ", weight " << s);
    CHECK(dw(s) == Approx(varia::test::finite_difference(f, w, s, 1e-3)).margin(1e-9));
  }
}

}  // namespace

TEST_CASE("elbo is the mean with equal weights", "[objective]") {
  const varia::Elbo elbo;
  const Eigen::VectorXd w = example_weights();
  Eigen::VectorXd dw;
  CHECK(elbo.value_and_weights(w, dw) == Approx(w.mean()).epsilon(1e-15));
  CHECK((dw.array() == 1.0 / 6.0).all());
  CHECK(elbo.direction() == varia::ObjectiveDirection::maximize);
  check_weights(elbo, w);
}

TEST_CASE("iwae matches the group formula", "[objective]") {
  const Eigen::VectorXd w = example_weights();
  const varia::Iwae iwae(3);
  const double expected = 0.5 * (naive_log_mean_exp(w.head(3)) + naive_log_mean_exp(w.tail(3)));
  CHECK(iwae.value(w) == Approx(expected).epsilon(1e-14));
  check_weights(iwae, w);
  Eigen::VectorXd dw;
  iwae.value_and_weights(w, dw);
  CHECK(dw.head(3).sum() == Approx(0.5).epsilon(1e-14));
  CHECK(dw.tail(3).sum() == Approx(0.5).epsilon(1e-14));
  CHECK(varia::Iwae(1).value(w) == Approx(w.mean()).epsilon(1e-14));
}

TEST_CASE("renyi matches its formula", "[objective]") {
  const Eigen::VectorXd w = example_weights();
  for (const double alpha : {-2.0, 0.0, 0.5, 3.0}) {
    INFO("alpha = " << alpha);
    const varia::Renyi renyi(alpha);
    const double expected = naive_log_mean_exp((1.0 - alpha) * w) / (1.0 - alpha);
    CHECK(renyi.value(w) == Approx(expected).epsilon(1e-13));
    check_weights(renyi, w);
  }
  CHECK(varia::Renyi(0.5).direction() == varia::ObjectiveDirection::maximize);
  CHECK(varia::Renyi(-1.0).direction() == varia::ObjectiveDirection::minimize);
  CHECK(varia::Renyi(0.0).value(w) == Approx(varia::Iwae(6).value(w)).epsilon(1e-14));
}

TEST_CASE("renyi near alpha 1 approaches the elbo", "[objective]") {
  // L_alpha = mean(w) + (1 - alpha) / 2 var(w) + O((1 - alpha)^2), var with divisor S.
  const Eigen::VectorXd w = example_weights();
  const double mean = w.mean();
  const double variance = (w.array() - mean).square().mean();
  for (const double gap : {1e-2, 1e-3, 1e-4}) {
    INFO("1 - alpha = " << gap);
    const double value = varia::Renyi(1.0 - gap).value(w);
    CHECK(std::abs(value - mean - 0.5 * gap * variance) < 10.0 * gap * gap * (1.0 + variance));
    CHECK(std::abs(varia::Renyi(1.0 + gap).value(w) - mean) < 2.0 * gap * variance);
  }
}

TEST_CASE("cubo matches its formula", "[objective]") {
  const Eigen::VectorXd w = example_weights();
  const varia::Cubo cubo;
  CHECK(cubo.order() == 2.0);
  CHECK(cubo.direction() == varia::ObjectiveDirection::minimize);
  CHECK(cubo.value(w) == Approx(0.5 * naive_log_mean_exp(2.0 * w)).epsilon(1e-14));
  CHECK(cubo.value(w) == Approx(varia::Renyi(-1.0).value(w)).epsilon(1e-14));
  check_weights(cubo, w);
  check_weights(varia::Cubo(3.5), w);
}

TEST_CASE("objectives are stable for huge weights", "[objective]") {
  const Eigen::VectorXd w = example_weights();
  for (const double shift : {1e4, -1e4, 1e300 / 1e10}) {
    INFO("shift = " << shift);
    const Eigen::VectorXd shifted = (w.array() + shift).matrix();
    // Shifting every weight by c shifts each objective by c and leaves dw unchanged.
    CHECK(varia::Iwae(3).value(shifted) - shift ==
          Approx(varia::Iwae(3).value(w)).margin(1e-9 * std::max(1.0, std::abs(shift))));
    Eigen::VectorXd dw;
    Eigen::VectorXd dw_shifted;
    varia::Renyi(0.5).value_and_weights(w, dw);
    varia::Renyi(0.5).value_and_weights(shifted, dw_shifted);
    CHECK(std::isfinite(varia::Cubo().value(shifted)));
    if (std::abs(shift) < 1e5) {
      CHECK((dw - dw_shifted).cwiseAbs().maxCoeff() < 1e-12);
    }
  }
}

TEST_CASE("objectives handle -inf weights", "[objective]") {
  Eigen::VectorXd w = example_weights();
  w(2) = -infinity;
  Eigen::VectorXd dw;
  CHECK(varia::Elbo().value(w) == -infinity);

  // A -inf weight contributes nothing to a log-mean-exp and gets weight 0.
  const double iwae = varia::Iwae(6).value_and_weights(w, dw);
  Eigen::VectorXd others(5);
  others << w(0), w(1), w(3), w(4), w(5);
  CHECK(iwae == Approx(naive_log_mean_exp(others) + std::log(5.0 / 6.0)).epsilon(1e-14));
  CHECK(dw(2) == 0.0);
  CHECK(dw.sum() == Approx(1.0).epsilon(1e-14));

  CHECK(varia::Cubo().value(w) ==
        Approx(0.5 * (naive_log_mean_exp(2.0 * others) + std::log(5.0 / 6.0))).epsilon(1e-14));
  // For alpha > 1 the -inf weight dominates: L_alpha = -inf.
  CHECK(varia::Renyi(2.0).value_and_weights(w, dw) == -infinity);
  CHECK(dw(2) == 1.0);

  const Eigen::VectorXd all_minus_infinity = Eigen::VectorXd::Constant(4, -infinity);
  CHECK(varia::Iwae(2).value_and_weights(all_minus_infinity, dw) == -infinity);
  CHECK(dw.isZero());
  CHECK(varia::Renyi(0.5).value(all_minus_infinity) == -infinity);
}

TEST_CASE("objectives propagate nan", "[objective]") {
  Eigen::VectorXd w = example_weights();
  w(1) = std::numeric_limits<double>::quiet_NaN();
  CHECK(std::isnan(varia::Elbo().value(w)));
  CHECK(std::isnan(varia::Iwae(2).value(w)));
  CHECK(std::isnan(varia::Renyi(0.5).value(w)));
  CHECK(std::isnan(varia::Cubo().value(w)));
}

TEST_CASE("objectives reject bad arguments", "[objective]") {
  CHECK_THROWS_AS(varia::Iwae(0), std::invalid_argument);
  CHECK_THROWS_AS(varia::Renyi(1.0), std::invalid_argument);
  CHECK_THROWS_AS(varia::Renyi(std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
  CHECK_THROWS_AS(varia::Cubo(0.5), std::invalid_argument);
  CHECK_THROWS_AS(varia::Cubo(infinity), std::invalid_argument);
  CHECK_THROWS_WITH(varia::Iwae(4).check_samples(6),
                    "varia::Iwae: samples is 6, but must be a positive multiple of the group size "
                    "K = 4");
  CHECK_NOTHROW(varia::Iwae(4).check_samples(8));
  CHECK_THROWS_AS(varia::Iwae(4).value(example_weights()), std::invalid_argument);
  CHECK_THROWS_AS(varia::Elbo().check_samples(0), std::invalid_argument);
  CHECK_THROWS_AS(varia::Elbo().value(Eigen::VectorXd()), std::invalid_argument);
  CHECK_THROWS_AS(varia::Renyi(0.5).value(Eigen::VectorXd()), std::invalid_argument);
  CHECK_THROWS_AS(varia::Cubo().value(Eigen::VectorXd()), std::invalid_argument);
}

namespace {

// Target p(z) = Z N(z; m, diag(s^2)) and approximation q = N(mu, diag(sigma^2)) in d = 2, with
// log Z = 1.7. Each sample gives one log weight w = log p(z) - log q(z), z ~ q.
struct ScaledGaussian {
  Eigen::Vector2d m{0.5, -1.0};
  Eigen::Vector2d s{1.0, 0.6};
  Eigen::Vector2d mu{0.2, -0.6};
  Eigen::Vector2d sigma{1.3, 0.9};
  double log_z = 1.7;

  static double log_normal(const Eigen::Vector2d& z, const Eigen::Vector2d& mean,
                           const Eigen::Vector2d& sd) {
    return (-0.5 * ((z - mean).array() / sd.array()).square() - sd.array().log() -
            0.5 * std::log(2.0 * std::numbers::pi))
        .sum();
  }

  Eigen::VectorXd log_weights(Eigen::Index count, std::uint64_t seed) const {
    const varia::CounterRng rng(seed);
    const Eigen::MatrixXd eps = rng.normal_block(0, 2, count);
    Eigen::VectorXd w(count);
    for (Eigen::Index i = 0; i < count; ++i) {
      const Eigen::Vector2d z = mu + (sigma.array() * eps.col(i).array()).matrix();
      w(i) = log_z + log_normal(z, m, s) - log_normal(z, mu, sigma);
    }
    return w;
  }

  // ELBO = log Z - KL(q || N(m, s^2)).
  double elbo() const {
    double kl = 0.0;
    for (int i = 0; i < 2; ++i) {
      const double ratio = sigma(i) / s(i);
      kl += std::log(s(i) / sigma(i)) + 0.5 * (ratio * ratio + std::pow((mu(i) - m(i)) / s(i), 2)) -
            0.5;
    }
    return log_z - kl;
  }

  // CUBO_2 = log Z + 1/2 log int N(z; m, s^2)^2 / q(z) dz, a Gaussian integral per coordinate
  // (finite because sigma^2 > s^2 / 2).
  double cubo2() const {
    double log_integral = 0.0;
    for (int i = 0; i < 2; ++i) {
      const double a = 1.0 / (s(i) * s(i));
      const double b = 1.0 / (2.0 * sigma(i) * sigma(i));
      const double c = a - b;
      const double linear = a * m(i) - b * mu(i);
      log_integral += std::log(sigma(i) / (std::sqrt(2.0 * std::numbers::pi) * s(i) * s(i))) +
                      0.5 * std::log(std::numbers::pi / c) + linear * linear / c - a * m(i) * m(i) +
                      b * mu(i) * mu(i);
    }
    return log_z + 0.5 * log_integral;
  }
};

struct MeanAndError {
  double mean;
  double standard_error;
};

// Mean and standard error of an objective evaluated on consecutive independent groups of the
// weights.
template <class O>
MeanAndError group_estimate(const O& objective, const Eigen::VectorXd& w, Eigen::Index group) {
  const Eigen::Index groups = w.size() / group;
  Eigen::VectorXd values(groups);
  for (Eigen::Index g = 0; g < groups; ++g) {
    values(g) = objective.value(Eigen::VectorXd(w.segment(g * group, group)));
  }
  const double mean = values.mean();
  const double variance = (values.array() - mean).square().sum() / static_cast<double>(groups - 1);
  return {mean, std::sqrt(variance / static_cast<double>(groups))};
}

}  // namespace

TEST_CASE("bounds are ordered around log z", "[objective][monte_carlo]") {
  const ScaledGaussian target;
  const Eigen::VectorXd w = target.log_weights(1 << 20, 11);

  const MeanAndError elbo = group_estimate(varia::Elbo(), w, 1);
  INFO("elbo " << elbo.mean << " +- " << elbo.standard_error << ", exact " << target.elbo());
  CHECK(std::abs(elbo.mean - target.elbo()) < 4.0 * elbo.standard_error);
  REQUIRE(target.elbo() < target.log_z - 0.1);

  // IWAE_K rises with K and stays below log Z; each step is many standard errors wide, and for
  // small K so is the gap to log Z.
  double previous_mean = elbo.mean;
  double previous_error = elbo.standard_error;
  for (const Eigen::Index k : {2, 8, 32, 128}) {
    const MeanAndError iwae = group_estimate(varia::Iwae(k), w, k);
    INFO("K = " << k << ": iwae " << iwae.mean << " +- " << iwae.standard_error);
    CHECK(iwae.mean - previous_mean > 4.0 * std::hypot(iwae.standard_error, previous_error));
    CHECK(iwae.mean - 4.0 * iwae.standard_error < target.log_z);
    if (k <= 8) {
      CHECK(iwae.mean + 4.0 * iwae.standard_error < target.log_z);
    }
    previous_mean = iwae.mean;
    previous_error = iwae.standard_error;
  }

  // Renyi with alpha in (0, 1) lies between the ELBO and log Z and tends to the ELBO as
  // alpha -> 1; the estimates use groups of 256, whose small bias is below the gaps tested.
  const MeanAndError renyi_half = group_estimate(varia::Renyi(0.5), w, 256);
  INFO("renyi(0.5) " << renyi_half.mean << " +- " << renyi_half.standard_error);
  CHECK(renyi_half.mean >
        elbo.mean + 4.0 * std::hypot(renyi_half.standard_error, elbo.standard_error));
  CHECK(renyi_half.mean < target.log_z - 4.0 * renyi_half.standard_error);
  const MeanAndError renyi_near_one = group_estimate(varia::Renyi(0.999), w, 256);
  INFO("renyi(0.999) " << renyi_near_one.mean << " +- " << renyi_near_one.standard_error);
  CHECK(std::abs(renyi_near_one.mean - target.elbo()) < 4.0 * renyi_near_one.standard_error + 0.01);

  // CUBO_2 lies above log Z. The mean of exp(2 (w - log Z)) is unbiased for its closed form.
  REQUIRE(target.cubo2() > target.log_z + 0.05);
  const Eigen::ArrayXd ratio = (2.0 * (w.array() - target.log_z)).exp();
  const double ratio_mean = ratio.mean();
  const double ratio_error =
      std::sqrt((ratio - ratio_mean).square().mean() / static_cast<double>(ratio.size()));
  const double expected_ratio = std::exp(2.0 * (target.cubo2() - target.log_z));
  INFO("mean of exp(2 (w - log Z)) " << ratio_mean << " +- " << ratio_error << ", exact "
                                     << expected_ratio);
  CHECK(std::abs(ratio_mean - expected_ratio) < 4.0 * ratio_error);
  const double cubo = varia::Cubo().value(w);
  INFO("cubo " << cubo << ", exact " << target.cubo2());
  CHECK(cubo > target.log_z);
  CHECK(std::abs(cubo - target.cubo2()) < 4.0 * 0.5 * ratio_error / ratio_mean);
}
