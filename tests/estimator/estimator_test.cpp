// Gradient estimators: unbiasedness against the exact ELBO gradient of a Gaussian family on a
// Gaussian target, and pathwise gradients against finite differences at fixed base noise.
#include <cmath>
#include <cstdint>
#include <stdexcept>

#include <Eigen/Dense>

#include <varia/ad/gradient.hpp>
#include <varia/estimator/estimator.hpp>
#include <varia/estimator/reparameterization.hpp>
#include <varia/estimator/score_function.hpp>
#include <varia/estimator/sticking_the_landing.hpp>
#include <varia/family/full_rank_gaussian.hpp>
#include <varia/family/mean_field_gaussian.hpp>
#include <varia/objective/cubo.hpp>
#include <varia/objective/elbo.hpp>
#include <varia/objective/iwae.hpp>
#include <varia/objective/renyi.hpp>
#include <varia/random/counter_rng.hpp>

#include "estimator/gaussian_target.hpp"
#include "support/catch.hpp"
#include "support/gradient_check.hpp"

namespace {

using varia::test::GaussianTarget;

static_assert(varia::EstimatorFor<varia::Reparameterization, varia::FullRankGaussian, varia::Iwae>);
static_assert(varia::EstimatorFor<varia::ScoreFunction, varia::MeanFieldGaussian, varia::Elbo>);
static_assert(!varia::EstimatorFor<varia::ScoreFunction, varia::MeanFieldGaussian, varia::Iwae>);

GaussianTarget small_target() {
  return varia::test::make_gaussian_target(3, 10.0, 5);
}

// A full-rank family away from the target's optimum.
varia::FullRankGaussian full_rank_family() {
  Eigen::Vector3d mean(0.3, -0.2, 0.8);
  Eigen::Matrix3d c;
  c << 0.8, 0.2, -0.1, 0.2, 0.5, 0.05, -0.1, 0.05, 0.3;
  return varia::FullRankGaussian::from_mean_and_covariance(mean, c);
}

varia::MeanFieldGaussian mean_field_family() {
  return varia::MeanFieldGaussian::from_mean_and_standard_deviation(Eigen::Vector3d(0.3, -0.2, 0.8),
                                                                    Eigen::Vector3d(0.9, 0.6, 0.4));
}

// Draws S samples from q at `iteration` and evaluates the target there.
template <class Q>
varia::SampleBatch draw_batch(const GaussianTarget& target, const Q& family, Eigen::Index samples,
                              std::uint32_t iteration, std::uint64_t seed = 3) {
  varia::SampleBatch batch;
  batch.base.resize(family.base_dimension(), samples);
  family.draw_base(varia::CounterRng(seed), iteration, batch.base);
  family.transform(batch.base, batch.draws);
  varia::value_and_gradient_lanes(target, batch.draws, batch.log_density,
                                  batch.log_density_gradient);
  return batch;
}

// The exact ELBO as a function of the family's parameters.
template <class Q>
double exact_elbo(const GaussianTarget& target, Q family, const Eigen::VectorXd& parameters) {
  family.set_parameters(parameters);
  return target.elbo(family.mean(), family.covariance());
}

// Averages `replications` gradient estimates with S samples each and checks every coordinate
// against the exact ELBO gradient (finite differences of the closed form) within 4 standard
// errors. Returns the mean standard error, so that callers can compare variances.
template <class E, class Q>
double check_unbiased(const E& estimator, const Q& family, Eigen::Index samples, int replications) {
  const GaussianTarget target = small_target();
  const Eigen::VectorXd parameters = family.parameters();
  const Eigen::Index count = parameters.size();
  Eigen::VectorXd exact(count);
  auto elbo = [&](const Eigen::VectorXd& lambda) { return exact_elbo(target, family, lambda); };
  for (Eigen::Index i = 0; i < count; ++i) {
    exact(i) = varia::test::finite_difference(elbo, parameters, i, 1e-4);
  }

  Eigen::VectorXd sum = Eigen::VectorXd::Zero(count);
  Eigen::VectorXd sum_squares = Eigen::VectorXd::Zero(count);
  Eigen::VectorXd gradient;
  for (int r = 0; r < replications; ++r) {
    const varia::SampleBatch batch =
        draw_batch(target, family, samples, static_cast<std::uint32_t>(r));
    estimator.estimate(family, varia::Elbo(), batch, gradient);
    sum += gradient;
    sum_squares += gradient.cwiseAbs2();
  }
  const double n = replications;
  const Eigen::VectorXd mean = sum / n;
  const Eigen::VectorXd standard_error =
      ((sum_squares / n - mean.cwiseAbs2()) * (n / (n - 1.0)) / n).cwiseSqrt();
  for (Eigen::Index i = 0; i < count; ++i) {
    INFO(estimator.name() << ", " << family.name() << ", parameter " << i << ": mean " << mean(i)
                          << " +- " << standard_error(i) << ", exact " << exact(i));
    CHECK(std::abs(mean(i) - exact(i)) <= 4.0 * standard_error(i) + 1e-10);
  }
  return standard_error.mean();
}

// At fixed base noise, the objective estimate is a deterministic function of lambda, and the
// reparameterization estimator must return its derivative.
template <class Q, class O>
void check_pathwise(const Q& family, const O& objective, bool closed_form_entropy) {
  const GaussianTarget target = small_target();
  const varia::Reparameterization estimator(closed_form_entropy);
  const varia::SampleBatch batch = draw_batch(target, family, 8, 0);
  Eigen::VectorXd gradient;
  const double value = estimator.estimate(family, objective, batch, gradient);

  auto estimate_at = [&](const Eigen::VectorXd& lambda) {
    Q moved = family;
    moved.set_parameters(lambda);
    varia::SampleBatch moved_batch;
    moved_batch.base = batch.base;
    moved.transform(moved_batch.base, moved_batch.draws);
    varia::value_and_gradient_lanes(target, moved_batch.draws, moved_batch.log_density,
                                    moved_batch.log_density_gradient);
    Eigen::VectorXd unused;
    return estimator.estimate(moved, objective, moved_batch, unused);
  };
  CHECK(value == Approx(estimate_at(family.parameters())).epsilon(1e-12));
  for (Eigen::Index i = 0; i < family.parameter_count(); ++i) {
    const double expected =
        varia::test::finite_difference(estimate_at, family.parameters(), i, 1e-4);
    INFO(objective.name() << ", " << family.name() << ", parameter " << i);
    CHECK(gradient(i) == Approx(expected).epsilon(1e-6).margin(1e-7));
  }
}

}  // namespace

TEST_CASE("reparameterization is unbiased for the elbo", "[estimator][monte_carlo]") {
  check_unbiased(varia::Reparameterization(), full_rank_family(), 4, 4000);
  check_unbiased(varia::Reparameterization(false), full_rank_family(), 4, 4000);
  check_unbiased(varia::Reparameterization(), mean_field_family(), 4, 4000);
}

TEST_CASE("sticking the landing is unbiased for the elbo", "[estimator][monte_carlo]") {
  check_unbiased(varia::StickingTheLanding(), full_rank_family(), 4, 4000);
  check_unbiased(varia::StickingTheLanding(), mean_field_family(), 4, 4000);
}

TEST_CASE("score function is unbiased for the elbo", "[estimator][monte_carlo]") {
  check_unbiased(varia::ScoreFunction(), full_rank_family(), 8, 8000);
  check_unbiased(varia::ScoreFunction(), mean_field_family(), 8, 8000);
}

TEST_CASE("sticking the landing has zero variance at the target", "[estimator]") {
  const GaussianTarget target = small_target();
  const auto family =
      varia::FullRankGaussian::from_mean_and_covariance(target.m, target.covariance());
  Eigen::VectorXd gradient;
  for (std::uint32_t t = 0; t < 3; ++t) {
    const varia::SampleBatch batch = draw_batch(target, family, 16, t);
    varia::StickingTheLanding().estimate(family, varia::Elbo(), batch, gradient);
    CHECK(gradient.cwiseAbs().maxCoeff() < 1e-10);
    varia::Reparameterization().estimate(family, varia::Elbo(), batch, gradient);
    CHECK(gradient.cwiseAbs().maxCoeff() > 1e-3);
  }
}

TEST_CASE("reparameterization differentiates every objective", "[estimator]") {
  check_pathwise(full_rank_family(), varia::Elbo(), true);
  check_pathwise(full_rank_family(), varia::Elbo(), false);
  check_pathwise(full_rank_family(), varia::Iwae(4), true);
  check_pathwise(full_rank_family(), varia::Renyi(0.5), true);
  check_pathwise(full_rank_family(), varia::Cubo(), true);
  check_pathwise(mean_field_family(), varia::Iwae(2), true);
  check_pathwise(mean_field_family(), varia::Cubo(), true);
}

TEST_CASE("estimators check the sample count", "[estimator]") {
  CHECK_THROWS_AS(varia::Reparameterization().check_samples(0), std::invalid_argument);
  CHECK_THROWS_WITH(varia::ScoreFunction().check_samples(1),
                    "varia::ScoreFunction: samples is 1, but must be at least 2");
  CHECK_NOTHROW(varia::ScoreFunction().check_samples(2));
  CHECK_THROWS_AS(varia::StickingTheLanding().check_samples(0), std::invalid_argument);
}
