#include <varia/diagnostics/importance_sampling.hpp>
#include <varia/diagnostics/psis.hpp>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <numbers>
#include <random>
#include <stdexcept>

#include <Eigen/Core>

#include "support/catch.hpp"

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

// Deterministic draws: std::mt19937_64 is specified bit for bit, the std distributions are not.
class TestRandom {
 public:
  explicit TestRandom(std::uint64_t seed) : engine_(seed) {}

  // Uniform on (0, 1): the top 53 bits, offset by half a step so that 0 and 1 never occur.
  double uniform() { return (static_cast<double>(engine_() >> 11) + 0.5) * 0x1.0p-53; }

  // Standard normal by the Box-Muller transform.
  double normal() {
    const double radius = std::sqrt(-2.0 * std::log(uniform()));
    return radius * std::cos(2.0 * std::numbers::pi * uniform());
  }

 private:
  std::mt19937_64 engine_;
};

struct Normal {
  double mean;
  double sd;

  [[nodiscard]] double log_density(double x) const {
    const double z = (x - mean) / sd;
    return -0.5 * z * z - std::log(sd) - 0.5 * std::log(2.0 * std::numbers::pi);
  }
};

// Trapezoid rule for the integral of p(x)^2 / q(x) g(x) over [-40, 40]. Outside that interval
// these integrands are below double precision. With the importance ratio w = p / q this is
// E_q[w^2 g(x)].
double second_moment_of_ratio(const Normal& target, const Normal& proposal,
                              const std::function<double(double)>& g) {
  const int steps = 80000;
  const double lower = -40.0;
  const double step = 80.0 / steps;
  double sum = 0.0;
  for (int i = 0; i <= steps; ++i) {
    const double x = lower + step * i;
    const double integrand = std::exp(2.0 * target.log_density(x) - proposal.log_density(x)) * g(x);
    sum += (i == 0 || i == steps) ? 0.5 * integrand : integrand;
  }
  return sum * step;
}

}  // namespace

TEST_CASE("importance_sampling_ess of equal weights is S") {
  CHECK(varia::importance_sampling_ess(Eigen::VectorXd::Constant(1000, 5.3)) ==
        Approx(1000.0).epsilon(1e-13));
  CHECK(varia::importance_sampling_ess(Eigen::VectorXd::Constant(7, -800.0)) ==
        Approx(7.0).epsilon(1e-14));
}

TEST_CASE("importance_sampling_ess of one nonzero weight is 1") {
  Eigen::VectorXd log_weights = Eigen::VectorXd::Constant(50, -infinity);
  log_weights(17) = 12.0;
  CHECK(varia::importance_sampling_ess(log_weights) == 1.0);
}

TEST_CASE("importance_sampling_ess matches closed form") {
  // Weights 1, 1, 2, 4: (1 + 1 + 2 + 4)^2 / (1 + 1 + 4 + 16) = 64 / 22.
  const Eigen::Vector4d weights(1.0, 1.0, 2.0, 4.0);
  const Eigen::VectorXd log_weights = weights.array().log();
  CHECK(varia::importance_sampling_ess(log_weights) == Approx(64.0 / 22.0).epsilon(1e-14));

  // Shifting the log weights by 1000 rescales the weights and leaves the ESS unchanged.
  const Eigen::VectorXd shifted = log_weights.array() + 1000.0;
  CHECK(varia::importance_sampling_ess(shifted) == Approx(64.0 / 22.0).epsilon(1e-14));
}

TEST_CASE("importance_weighted_moments match closed form") {
  // Weights 1, 1, 2 on the first row 1, 2, 3: mean 9 / 4, variance
  // (1.25^2 + 0.25^2 + 2 * 0.75^2) / 4 = 2.75 / 4. The second row is the first times -2 plus 5.
  Eigen::MatrixXd draws(2, 3);
  draws << 1.0, 2.0, 3.0, 3.0, 1.0, -1.0;
  const Eigen::Vector3d log_weights(0.0, 0.0, std::log(2.0));
  const varia::WeightedMoments moments = varia::importance_weighted_moments(draws, log_weights);
  CHECK(moments.mean(0) == Approx(2.25).epsilon(1e-15));
  CHECK(moments.mean(1) == Approx(0.5).epsilon(1e-14));
  CHECK(moments.sd(0) == Approx(std::sqrt(2.75 / 4.0)).epsilon(1e-15));
  CHECK(moments.sd(1) == Approx(2.0 * std::sqrt(2.75 / 4.0)).epsilon(1e-15));
}

TEST_CASE("importance_weighted_moments skip zero weights") {
  Eigen::MatrixXd draws(1, 4);
  draws << 1.0, 1e6, 3.0, -1e6;
  const Eigen::Vector4d log_weights(-700.0, -infinity, -700.0, -infinity);
  const varia::WeightedMoments moments = varia::importance_weighted_moments(draws, log_weights);
  CHECK(moments.mean(0) == Approx(2.0).epsilon(1e-15));
  CHECK(moments.sd(0) == Approx(1.0).epsilon(1e-15));
}

// Target N((1, -2), diag(1, 0.5^2)) and the wider proposal N((0.5, -1.8), diag(1.5^2, 0.8^2)).
// The self-normalized estimate of E[x_j] has asymptotic variance E_q[w^2 (x_j - mu_j)^2] / S,
// and the weighted variance has E_q[w^2 ((x_j - mu_j)^2 - sigma_j^2)^2] / S. Because q and p
// factor over coordinates, each is a product of one-dimensional integrals, computed by
// quadrature. The standard deviation's standard error is the variance's divided by 2 sigma_j.
// Estimates must lie within 4 standard errors.
TEST_CASE("PSIS-weighted moments of Gaussian target") {
  const Normal targets[2] = {{1.0, 1.0}, {-2.0, 0.5}};
  const Normal proposals[2] = {{0.5, 1.5}, {-1.8, 0.8}};
  const Eigen::Index draw_count = 4000;

  double ratio_second_moment[2];
  double mean_variance_factor[2];
  double variance_variance_factor[2];
  for (int j = 0; j < 2; ++j) {
    const Normal& p = targets[j];
    ratio_second_moment[j] = second_moment_of_ratio(p, proposals[j], [](double) { return 1.0; });
    mean_variance_factor[j] = second_moment_of_ratio(
        p, proposals[j], [&p](double x) { return (x - p.mean) * (x - p.mean); });
    variance_variance_factor[j] = second_moment_of_ratio(p, proposals[j], [&p](double x) {
      const double centered = (x - p.mean) * (x - p.mean) - p.sd * p.sd;
      return centered * centered;
    });
  }

  for (const std::uint64_t seed : {31u, 32u, 33u}) {
    TestRandom random(seed);
    Eigen::MatrixXd draws(2, draw_count);
    Eigen::VectorXd log_ratios(draw_count);
    for (Eigen::Index s = 0; s < draw_count; ++s) {
      log_ratios(s) = 0.0;
      for (int j = 0; j < 2; ++j) {
        const double x = proposals[j].mean + proposals[j].sd * random.normal();
        draws(j, s) = x;
        log_ratios(s) += targets[j].log_density(x) - proposals[j].log_density(x);
      }
    }
    const varia::PsisResult smoothed = varia::psis(log_ratios);
    CHECK(smoothed.k_hat < 0.5);
    const varia::WeightedMoments moments =
        varia::importance_weighted_moments(draws, smoothed.log_weights);

    const double samples = static_cast<double>(draw_count);
    for (int j = 0; j < 2; ++j) {
      const int other = 1 - j;
      const double mean_se =
          std::sqrt(mean_variance_factor[j] * ratio_second_moment[other] / samples);
      const double variance_se =
          std::sqrt(variance_variance_factor[j] * ratio_second_moment[other] / samples);
      const double sd_se = variance_se / (2.0 * targets[j].sd);
      INFO("seed " << seed << ", coordinate " << j << ": mean " << moments.mean(j) << " (se "
                   << mean_se << "), sd " << moments.sd(j) << " (se " << sd_se << ")");
      CHECK(std::abs(moments.mean(j) - targets[j].mean) <= 4.0 * mean_se);
      CHECK(std::abs(moments.sd(j) - targets[j].sd) <= 4.0 * sd_se);
    }
  }
}

TEST_CASE("importance sampling rejects invalid input") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Eigen::VectorXd with_nan = Eigen::VectorXd::Zero(5);
  with_nan(3) = nan;
  CHECK_THROWS_AS(varia::importance_sampling_ess(with_nan), std::invalid_argument);
  CHECK_THROWS_WITH(
      varia::importance_sampling_ess(with_nan),
      "varia::importance_sampling_ess: log_weights(3) is nan, but must be finite or -inf");

  Eigen::VectorXd with_infinity = Eigen::VectorXd::Zero(5);
  with_infinity(0) = infinity;
  CHECK_THROWS_WITH(
      varia::importance_sampling_ess(with_infinity),
      "varia::importance_sampling_ess: log_weights(0) is inf, but must be finite or -inf");
  CHECK_THROWS_WITH(
      varia::importance_sampling_ess(Eigen::VectorXd(0)),
      "varia::importance_sampling_ess: log_weights is empty, but must have at least one element");
  CHECK_THROWS_WITH(varia::importance_sampling_ess(Eigen::VectorXd::Constant(4, -infinity)),
                    "varia::importance_sampling_ess: log_weights is -inf everywhere, but must "
                    "have at least one finite entry");

  const Eigen::MatrixXd draws = Eigen::MatrixXd::Zero(2, 5);
  CHECK_THROWS_WITH(varia::importance_weighted_moments(draws, Eigen::VectorXd::Zero(4)),
                    "varia::importance_weighted_moments: draws has 5 columns, but must have one "
                    "per log weight (4)");
  Eigen::MatrixXd draws_with_nan = draws;
  draws_with_nan(1, 2) = nan;
  CHECK_THROWS_WITH(varia::importance_weighted_moments(draws_with_nan, Eigen::VectorXd::Zero(5)),
                    "varia::importance_weighted_moments: draws(1, 2) is nan, but must be finite");
  CHECK_THROWS_WITH(
      varia::importance_weighted_moments(draws, with_infinity),
      "varia::importance_weighted_moments: log_weights(0) is inf, but must be finite or -inf");
}
