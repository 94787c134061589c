// varia::fit on bad input and hostile models, reproducibility, draws, summaries and the PSIS
// diagnostic.
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

#include <Eigen/Core>

#include <varia/estimator/score_function.hpp>
#include <varia/family/mean_field_gaussian.hpp>
#include <varia/fit.hpp>
#include <varia/objective/iwae.hpp>

#include "estimator/gaussian_target.hpp"
#include "support/catch.hpp"

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// log p is NaN everywhere.
struct NanModel {
  Eigen::Index dimension() const { return 2; }
  double value_and_gradient(const Eigen::VectorXd& x, Eigen::VectorXd& gradient) const {
    gradient = Eigen::VectorXd::Constant(x.size(), nan);
    return nan;
  }
};

// A standard normal in d = 2 whose log density is NaN where x_0 > 1.
struct PartlyNanModel {
  Eigen::Index dimension() const { return 2; }
  double value_and_gradient(const Eigen::VectorXd& x, Eigen::VectorXd& gradient) const {
    if (x(0) > 1.0) {
      gradient = Eigen::VectorXd::Constant(2, nan);
      return nan;
    }
    gradient = -x;
    return -0.5 * x.squaredNorm();
  }
};

// A mean-field family whose parameters() reports a non-finite value.
struct NonFiniteFamily : varia::MeanFieldGaussian {
  using varia::MeanFieldGaussian::MeanFieldGaussian;
  Eigen::VectorXd parameters() const {
    Eigen::VectorXd lambda = varia::MeanFieldGaussian::parameters();
    lambda(1) = nan;
    return lambda;
  }
};

varia::test::GaussianTarget small_target() {
  return varia::test::make_gaussian_target(2, 4.0, 9);
}

varia::FitOptions short_options() {
  varia::FitOptions options;
  options.max_iterations = 300;
  options.seed = 5;
  return options;
}

}  // namespace

TEST_CASE("fit rejects bad options", "[fit]") {
  const auto target = small_target();
  const varia::MeanFieldGaussian q(2);
  auto with = [](auto change) {
    varia::FitOptions options = short_options();
    change(options);
    return options;
  };
  CHECK_THROWS_WITH(varia::fit(target, q, with([](auto& o) { o.samples = 0; })),
                    "varia::fit: options.samples is 0, but must be at least 1");
  CHECK_THROWS_WITH(varia::fit(target, q, with([](auto& o) { o.tolerance = -1.0; })),
                    "varia::fit: options.tolerance is -1, but must be positive and finite");
  CHECK_THROWS_AS(varia::fit(target, q, with([](auto& o) { o.tolerance = 0.0; })),
                  std::invalid_argument);
  CHECK_THROWS_AS(varia::fit(target, q, with([](auto& o) { o.max_iterations = 0; })),
                  std::invalid_argument);
  CHECK_THROWS_AS(varia::fit(target, q, with([](auto& o) { o.evaluation_samples = 0; })),
                  std::invalid_argument);
  CHECK_THROWS_AS(varia::fit(target, q, with([](auto& o) { o.max_dropped_fraction = 1.0; })),
                  std::invalid_argument);
  CHECK_THROWS_AS(varia::fit(target, q, with([](auto& o) { o.step_size_reduction = 1.0; })),
                  std::invalid_argument);
}

TEST_CASE("fit rejects mismatched parts", "[fit]") {
  const auto target = small_target();
  CHECK_THROWS_WITH(varia::fit(target, varia::MeanFieldGaussian(3), short_options()),
                    "varia::fit: the family's dimension is 3, but must be the model's "
                    "dimension, 2");
  CHECK_THROWS_WITH(varia::fit(target, NonFiniteFamily(2), short_options()),
                    "varia::fit: the family's initial parameter 1 is nan, but must be finite");
  varia::FitOptions one_sample = short_options();
  one_sample.samples = 1;
  CHECK_THROWS_WITH(
      varia::fit(target, varia::MeanFieldGaussian(2), one_sample, varia::ScoreFunction()),
      "varia::ScoreFunction: samples is 1, but must be at least 2");
  varia::FitOptions odd = short_options();
  odd.samples = 12;
  CHECK_THROWS_AS(varia::fit(target, varia::MeanFieldGaussian(2), odd, varia::Iwae(8)),
                  std::invalid_argument);
}

TEST_CASE("fit reports a model that is nan everywhere", "[fit]") {
  const varia::MeanFieldGaussian q(2);
  const auto result = varia::fit(NanModel(), q, short_options());
  CHECK(result.stop_reason == varia::StopReason::diverged);
  CHECK(varia::to_string(result.stop_reason) == "diverged");
  CHECK(result.rejected_steps == short_options().max_consecutive_rejections);
  CHECK(result.iterations == short_options().max_consecutive_rejections);
  CHECK(result.dropped_samples == 16 * result.iterations);
  CHECK(result.objective_trace.empty());
  CHECK(result.family.parameters().allFinite());
  CHECK(result.family.parameters() == q.parameters());
}

TEST_CASE("fit drops samples where the model is nan", "[fit]") {
  varia::FitOptions options = short_options();
  options.max_iterations = 2000;
  const auto result = varia::fit(PartlyNanModel(), varia::MeanFieldGaussian(2), options);
  INFO("stop " << varia::to_string(result.stop_reason) << " after " << result.iterations);
  CHECK(result.stop_reason != varia::StopReason::diverged);
  CHECK(result.dropped_samples > 0);
  CHECK(result.family.parameters().allFinite());
  // Accepted steps drop at most half of their 16 samples, rejected steps all of them.
  const auto accepted = static_cast<std::int64_t>(result.objective_trace.size());
  CHECK(result.dropped_samples <= 8 * accepted + 16 * result.rejected_steps);
  CHECK(std::abs(result.family.mean()(1)) < 0.2);
}

TEST_CASE("fit is reproducible from its seed", "[fit]") {
  const auto target = small_target();
  const varia::MeanFieldGaussian q(2);
  const auto first = varia::fit(target, q, short_options());
  const auto second = varia::fit(target, q, short_options());
  CHECK(first.family.parameters() == second.family.parameters());
  CHECK(first.objective_trace == second.objective_trace);
  CHECK(first.iterations == second.iterations);
  varia::FitOptions other_seed = short_options();
  other_seed.seed = 6;
  const auto third = varia::fit(target, q, other_seed);
  CHECK(first.family.parameters() != third.family.parameters());
}

TEST_CASE("fit calls the callback per accepted step", "[fit]") {
  const auto target = small_target();
  varia::FitOptions options = short_options();
  std::int64_t calls = 0;
  std::int64_t last_iteration = -1;
  options.callback = [&](std::int64_t iteration, double objective, double step_size) {
    CHECK(iteration == last_iteration + 1);
    CHECK(std::isfinite(objective));
    CHECK(step_size > 0.0);
    last_iteration = iteration;
    ++calls;
  };
  const auto result = varia::fit(target, varia::MeanFieldGaussian(2), options);
  CHECK(calls == static_cast<std::int64_t>(result.objective_trace.size()));
  CHECK(calls == result.iterations);
}

TEST_CASE("fit result gives draws and summaries", "[fit]") {
  const auto target = small_target();
  const auto result = varia::fit(target, varia::MeanFieldGaussian(2), short_options());
  const Eigen::Index count = 20000;
  const Eigen::MatrixXd draws = result.draws(count, 3);
  REQUIRE(draws.rows() == 2);
  REQUIRE(draws.cols() == count);
  CHECK(draws == varia::constrained_draws(target, result, count, 3));

  // The summary describes q = N(mu, diag(sigma^2)): check each statistic against its closed
  // form within 4 standard errors of its Monte Carlo estimate.
  const auto summary = varia::summarize(target, result, count, 3);
  REQUIRE(summary.size() == 2);
  const double n = static_cast<double>(count);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto index = static_cast<Eigen::Index>(i);
    const double mu = result.family.mean()(index);
    const double sigma = result.family.standard_deviation()(index);
    INFO(summary[i].name << ": mean " << summary[i].mean << ", sd " << summary[i].sd);
    CHECK(summary[i].name == "x[" + std::to_string(i + 1) + "]");
    CHECK(std::abs(summary[i].mean - mu) < 4.0 * sigma / std::sqrt(n));
    CHECK(std::abs(summary[i].sd - sigma) < 4.0 * sigma / std::sqrt(2.0 * n));
    // The sample quantile at p has standard error sqrt(p (1 - p) / n) / density(quantile).
    const double z95 = 1.6448536269514722;
    const double density95 = std::exp(-0.5 * z95 * z95) / std::sqrt(2.0 * std::numbers::pi);
    const double quantile_error = std::sqrt(0.05 * 0.95 / n) / density95 * sigma;
    const double median_error = std::sqrt(0.25 / n) * std::sqrt(2.0 * std::numbers::pi) * sigma;
    CHECK(std::abs(summary[i].q5 - (mu - z95 * sigma)) < 4.0 * quantile_error);
    CHECK(std::abs(summary[i].q50 - mu) < 4.0 * median_error);
    CHECK(std::abs(summary[i].q95 - (mu + z95 * sigma)) < 4.0 * quantile_error);
  }
  CHECK_THROWS_AS(result.draws(0, 1), std::invalid_argument);
  CHECK_THROWS_AS(varia::summarize(target, result, 1, 1), std::invalid_argument);
}

TEST_CASE("psis diagnostic separates good and poor fits", "[fit]") {
  const auto target = varia::test::make_gaussian_target(2, 100.0, 9);
  // The exact posterior as a mean-field family would not be exact, so the good fit is the
  // target's own marginal-free case: an axis-aligned target.
  varia::test::GaussianTarget aligned = target;
  aligned.precision = target.precision.diagonal().asDiagonal();
  const Eigen::VectorXd sd = aligned.precision.diagonal().cwiseInverse().cwiseSqrt();
  const auto exact = varia::MeanFieldGaussian::from_mean_and_standard_deviation(aligned.m, sd);
  const varia::PsisDiagnostic good = varia::psis_diagnostic(aligned, exact, 1000, 1);
  CHECK(good.reliable);
  CHECK(good.k_hat < 0.5);
  CHECK(good.effective_sample_size == Approx(1000.0).epsilon(1e-9));
  CHECK(good.non_finite_draws == 0);

  // N(0, I) against a target with standard deviations down to 0.1: heavy importance ratios.
  const varia::PsisDiagnostic poor =
      varia::psis_diagnostic(aligned, varia::MeanFieldGaussian(2), 1000, 1);
  CHECK_FALSE(poor.reliable);
  CHECK(poor.k_hat > 0.7);
  CHECK(poor.effective_sample_size < 100.0);

  CHECK_THROWS_AS(varia::psis_diagnostic(aligned, exact, 0, 1), std::invalid_argument);
  CHECK_THROWS_AS(varia::psis_diagnostic(aligned, varia::MeanFieldGaussian(3), 100, 1),
                  std::invalid_argument);
  CHECK_THROWS_AS(varia::psis_diagnostic(NanModel(), varia::MeanFieldGaussian(2), 100, 1),
                  std::invalid_argument);
}
