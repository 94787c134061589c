// varia::find_mode, varia::laplace_approximation, the whitening maps and the Laplace
// initialization of varia::fit.
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

#include <Eigen/Dense>

#include <varia/family/full_rank_gaussian.hpp>
#include <varia/family/low_rank_gaussian.hpp>
#include <varia/family/mean_field_gaussian.hpp>
#include <varia/family/student_t_location_scale.hpp>
#include <varia/fit.hpp>
#include <varia/fit/laplace.hpp>
#include <varia/fit/whitening.hpp>
#include <varia/math/power.hpp>
#include <varia/math/reductions.hpp>
#include <varia/random/counter_rng.hpp>

#include "estimator/gaussian_target.hpp"
#include "support/catch.hpp"

namespace {

using varia::test::GaussianTarget;

// The Rosenbrock function as a log density: log p = -(100 (x1 - x0^2)^2 + (1 - x0)^2), with its
// maximum 0 at (1, 1) in a curved, badly scaled valley.
struct Rosenbrock {
  Eigen::Index dimension() const { return 2; }

  template <class T>
  auto operator()(const T& x) const {
    varia::scalar_t<T> valley = x(1) - x(0) * x(0);
    varia::scalar_t<T> offset = 1.0 - x(0);
    varia::scalar_t<T> total = -(100.0 * valley * valley + offset * offset);
    return total;
  }
};

// log p = -sqrt(1 + |x - m|^2), m = (2, 0), with a bounded gradient (so quasi-Newton steps
// from far away overshoot), NaN where x_0 > 2.5. Counts the evaluations that returned NaN.
struct NanBeyondBoundary {
  mutable std::int64_t nan_evaluations = 0;

  Eigen::Index dimension() const { return 2; }

  double value_and_gradient(const Eigen::VectorXd& x, Eigen::VectorXd& gradient) const {
    if (x(0) > 2.5) {
      ++nan_evaluations;
      gradient = Eigen::VectorXd::Constant(2, std::numeric_limits<double>::quiet_NaN());
      return std::numeric_limits<double>::quiet_NaN();
    }
    const Eigen::VectorXd centered = x - Eigen::Vector2d(2.0, 0.0);
    const double root = std::sqrt(1.0 + centered.squaredNorm());
    gradient = -centered / root;
    return -root;
  }
};

// log p = -x_0^2 / 2 in d = 2: x_1 is a flat direction, so -H is singular.
struct FlatDirection {
  Eigen::Index dimension() const { return 2; }

  template <class T>
  auto operator()(const T& x) const {
    varia::scalar_t<T> total = -0.5 * x(0) * x(0);
    return total;
  }
};

// A GaussianTarget that brings its own gradient, for the non-generic path of WhitenedModel.
struct GaussianWithGradient {
  GaussianTarget target;

  Eigen::Index dimension() const { return target.dimension(); }

  double value_and_gradient(const Eigen::VectorXd& x, Eigen::VectorXd& gradient) const {
    const Eigen::VectorXd centered = x - target.m;
    gradient = -(target.precision * centered);
    return -0.5 * centered.dot(target.precision * centered) + target.log_scale;
  }
};

// A random lower-triangular matrix with a positive diagonal exp(0.3 n_ii) and off-diagonal
// entries 0.5 n_ij, n standard normal.
Eigen::MatrixXd random_lower(Eigen::Index d, std::uint64_t seed) {
  const varia::CounterRng rng(seed);
  const Eigen::MatrixXd noise = rng.normal_block(0, d, d);
  Eigen::MatrixXd lower = (0.5 * noise).triangularView<Eigen::StrictlyLower>();
  lower.diagonal() = (0.3 * noise.diagonal()).array().exp().matrix();
  return lower;
}

// Checks that the family mapped back by WhiteningRule<Q>::to_target draws shift + S u from the
// base noise that gives u in the whitened family.
template <class Q>
void check_map_to_target(const Q& whitened, const varia::AffineWhitening& map) {
  const Q mapped = varia::WhiteningRule<Q>::to_target(whitened, map);
  Eigen::MatrixXd base(whitened.base_dimension(), 7);
  whitened.draw_base(varia::CounterRng(3), 0, base);
  Eigen::MatrixXd u;
  whitened.transform(base, u);
  Eigen::MatrixXd z;
  mapped.transform(base, z);
  for (Eigen::Index s = 0; s < base.cols(); ++s) {
    const Eigen::VectorXd expected = map.to_target(Eigen::VectorXd(u.col(s)));
    INFO("draw " << s << ": mapped " << z.col(s).transpose() << ", expected "
                 << expected.transpose());
    CHECK((z.col(s) - expected).cwiseAbs().maxCoeff() < 1e-12);
  }
  // The densities differ by the Jacobian: log q_z(z) = log q_u(u) - log |det S|.
  Eigen::VectorXd log_q_u;
  whitened.log_density(u, log_q_u);
  Eigen::VectorXd log_q_z;
  mapped.log_density(z, log_q_z);
  CHECK((log_q_z - (log_q_u.array() - map.log_determinant()).matrix()).cwiseAbs().maxCoeff() <
        1e-9);
}

}  // namespace

TEST_CASE("find_mode finds a gaussian mean", "[fit][laplace]") {
  const GaussianTarget target = varia::test::make_gaussian_target(6, 1e4, 3);
  const varia::ModeSearchResult result = varia::find_mode(target, Eigen::VectorXd::Zero(6));
  INFO(result.message << " after " << result.iterations << " iterations");
  CHECK(result.converged);
  const Eigen::VectorXd sd = target.covariance().diagonal().cwiseSqrt();
  // log p(mode) - log p(x) = r^2 / 2 for the Mahalanobis distance r, so the default
  // function_tolerance of 1e-12 on log p leaves r of order sqrt(2e-12) = 1.4e-6.
  CHECK(((result.mode - target.m).array() / sd.array()).abs().maxCoeff() < 1e-5);
  CHECK(result.log_density == Approx(0.0).margin(1e-10));
  // Sigma g = m - x for a Gaussian, so sqrt(g^T Sigma g) is r itself.
  CHECK(std::sqrt(result.gradient.dot(target.covariance() * result.gradient)) < 1e-5);
  CHECK(result.gradient_evaluations >= result.iterations + 1);
}

TEST_CASE("find_mode solves the rosenbrock valley", "[fit][laplace]") {
  const varia::ModeSearchResult result = varia::find_mode(Rosenbrock(), Eigen::Vector2d(-1.2, 1.0));
  INFO(result.message << " after " << result.iterations << " iterations");
  CHECK(result.converged);
  CHECK(std::abs(result.mode(0) - 1.0) < 1e-5);
  CHECK(std::abs(result.mode(1) - 1.0) < 1e-5);
  CHECK(result.log_density > -1e-10);
  CHECK(result.iterations < 200);
}

TEST_CASE("find_mode steps back from nan regions", "[fit][laplace]") {
  const NanBeyondBoundary model;
  const varia::ModeSearchResult result = varia::find_mode(model, Eigen::Vector2d(-30.0, 5.0));
  INFO(result.message << " after " << result.iterations << " iterations, " << model.nan_evaluations
                      << " NaN evaluations");
  CHECK(model.nan_evaluations > 0);
  CHECK(result.converged);
  CHECK(std::abs(result.mode(0) - 2.0) < 1e-4);
  CHECK(std::abs(result.mode(1)) < 1e-4);
  CHECK(std::isfinite(result.log_density));
}

TEST_CASE("find_mode reports a nan start", "[fit][laplace]") {
  const NanBeyondBoundary model;
  const varia::ModeSearchResult result = varia::find_mode(model, Eigen::Vector2d(3.0, 0.0));
  CHECK_FALSE(result.converged);
  CHECK(result.iterations == 0);
  CHECK(result.message == "the log density or its gradient is not finite at the start point");
  const varia::LaplaceApproximation laplace =
      varia::laplace_approximation(model, Eigen::Vector2d(3.0, 0.0));
  CHECK_FALSE(laplace.positive_definite);
  CHECK(laplace.hessian.size() == 0);
}

TEST_CASE("find_mode rejects bad arguments", "[fit][laplace]") {
  const Rosenbrock model;
  CHECK_THROWS_WITH(varia::find_mode(model, Eigen::VectorXd::Zero(3)),
                    "varia::find_mode: start.size() is 3, but must be the model's dimension, 2");
  CHECK_THROWS_WITH(
      varia::find_mode(model, Eigen::Vector2d(0.0, std::numeric_limits<double>::infinity())),
      "varia::find_mode: start(1) is inf, but must be finite");
  varia::LaplaceOptions options;
  options.memory = 0;
  CHECK_THROWS_WITH(varia::find_mode(model, Eigen::Vector2d::Zero(), options),
                    "varia::find_mode: options.memory is 0, but must be at least 1");
  options = {};
  options.hessian_step = 0.0;
  CHECK_THROWS_AS(varia::laplace_approximation(model, Eigen::Vector2d::Zero(), options),
                  std::invalid_argument);
  varia::FitOptions fit_options;
  fit_options.laplace.sufficient_increase = 1.0;
  CHECK_THROWS_WITH(varia::fit(model, varia::FullRankGaussian(2), fit_options),
                    "varia::fit: options.laplace.sufficient_increase is 1, but must be in (0, 1)");
}

TEST_CASE("laplace hessian equals the gaussian precision", "[fit][laplace]") {
  const GaussianTarget target = varia::test::make_gaussian_target(5, 1e3, 11);
  const varia::LaplaceApproximation laplace =
      varia::laplace_approximation(target, Eigen::VectorXd::Zero(5));
  REQUIRE(laplace.positive_definite);
  CHECK(laplace.message.empty());
  CHECK(laplace.gradient_evaluations == laplace.mode_search.gradient_evaluations + 10);
  // The gradient is linear, so central differences are exact up to rounding.
  const double largest = target.precision.cwiseAbs().maxCoeff();
  CHECK((laplace.hessian + target.precision).cwiseAbs().maxCoeff() < 1e-7 * largest);
  const Eigen::MatrixXd covariance = target.covariance();
  const Eigen::VectorXd sd = covariance.diagonal().cwiseSqrt();
  const Eigen::MatrixXd correlation_error = sd.cwiseInverse().asDiagonal() *
                                            (laplace.covariance - covariance) *
                                            sd.cwiseInverse().asDiagonal();
  CHECK(correlation_error.cwiseAbs().maxCoeff() < 1e-6);
  const Eigen::MatrixXd& factor = laplace.covariance_factor;
  CHECK(factor.isLowerTriangular());
  CHECK((factor * factor.transpose() - laplace.covariance).cwiseAbs().maxCoeff() <
        1e-12 * laplace.covariance.cwiseAbs().maxCoeff());
}

TEST_CASE("laplace reports a flat direction", "[fit][laplace]") {
  const varia::LaplaceApproximation laplace =
      varia::laplace_approximation(FlatDirection(), Eigen::Vector2d(1.0, 3.0));
  CHECK(laplace.mode_search.converged);
  CHECK_FALSE(laplace.positive_definite);
  CHECK(laplace.message == "-H is not positive definite: its Cholesky factorization failed");
  CHECK(laplace.covariance.size() == 0);
  CHECK(laplace.hessian(0, 0) == Approx(-1.0).epsilon(1e-8));
  CHECK(laplace.hessian(1, 1) == 0.0);
}

TEST_CASE("whitened model adds the jacobian", "[fit][laplace]") {
  const GaussianTarget target = varia::test::make_gaussian_target(4, 50.0, 5);
  const GaussianWithGradient with_gradient{target};
  const Eigen::MatrixXd lower = random_lower(4, 8);
  const Eigen::VectorXd shift = Eigen::Vector4d(0.5, -1.0, 2.0, 0.0);
  const auto maps = {varia::AffineWhitening::lower_triangular(shift, lower),
                     varia::AffineWhitening::diagonal(shift, lower.diagonal())};
  const Eigen::VectorXd u = Eigen::Vector4d(0.3, -0.7, 1.1, 0.2);
  for (const auto& map : maps) {
    INFO("diagonal map: " << map.is_diagonal());
    const Eigen::MatrixXd scale = map.scale();
    const Eigen::VectorXd z = shift + scale * u;
    const double expected_value = target(z) + std::log(scale.diagonal().prod());
    const Eigen::VectorXd expected_gradient =
        scale.transpose() * (-(target.precision * (z - target.m)));

    const varia::WhitenedModel<GaussianTarget> generic(target, map);
    Eigen::VectorXd gradient;
    const double value = varia::value_and_gradient(generic, u, gradient);
    CHECK(value == Approx(expected_value).epsilon(1e-12));
    CHECK((gradient - expected_gradient).cwiseAbs().maxCoeff() < 1e-12);
    CHECK(generic(u) == Approx(expected_value).epsilon(1e-12));

    // Lanes give the same gradients as single points.
    Eigen::MatrixXd points(4, 3);
    points << u, 2.0 * u, -u;
    Eigen::VectorXd values;
    Eigen::MatrixXd gradients;
    varia::value_and_gradient_lanes(generic, points, values, gradients);
    CHECK(values(0) == Approx(expected_value).epsilon(1e-12));
    CHECK((gradients.col(0) - expected_gradient).cwiseAbs().maxCoeff() < 1e-12);

    const varia::WhitenedModel<GaussianWithGradient> own(with_gradient, map);
    Eigen::VectorXd own_gradient;
    CHECK(varia::value_and_gradient(own, u, own_gradient) == Approx(expected_value).epsilon(1e-12));
    CHECK((own_gradient - expected_gradient).cwiseAbs().maxCoeff() < 1e-12);
  }
  CHECK_THROWS_AS(varia::WhitenedModel<GaussianTarget>(
                      target, varia::AffineWhitening::diagonal(Eigen::Vector2d::Zero(),
                                                               Eigen::Vector2d::Ones())),
                  std::invalid_argument);
  CHECK_THROWS_WITH(varia::AffineWhitening::diagonal(shift, Eigen::Vector4d(1.0, 0.0, 1.0, 1.0)),
                    "varia::AffineWhitening::diagonal: scale diagonal entry 1 is 0, but must be "
                    "positive");
}

TEST_CASE("whitening rules map families back", "[fit][laplace]") {
  const Eigen::Index d = 4;
  const Eigen::VectorXd shift = Eigen::Vector4d(1.0, -2.0, 0.5, 3.0);
  const Eigen::MatrixXd lower = random_lower(d, 9);
  const auto triangular = varia::AffineWhitening::lower_triangular(shift, lower);
  const auto diagonal = varia::AffineWhitening::diagonal(shift, lower.diagonal());
  const varia::CounterRng rng(10);

  SECTION("full-rank gaussian") {
    varia::FullRankGaussian q(d);
    q.set_parameters(rng.normal_block(0, q.parameter_count(), 1).col(0) * 0.5);
    check_map_to_target(q, triangular);
    check_map_to_target(q, diagonal);
    CHECK(varia::WhiteningRule<varia::FullRankGaussian>::start(q).parameters().isZero());
  }
  SECTION("student-t location-scale") {
    varia::StudentTLocationScale q(d, 7.0);
    q.set_parameters(rng.normal_block(1, q.parameter_count(), 1).col(0) * 0.5);
    check_map_to_target(q, triangular);
    const auto start = varia::WhiteningRule<varia::StudentTLocationScale>::start(q);
    CHECK(start.degrees_of_freedom() == 7.0);
    CHECK(start.parameters().isZero());
  }
  SECTION("mean-field gaussian") {
    varia::MeanFieldGaussian q(d);
    q.set_parameters(rng.normal_block(2, q.parameter_count(), 1).col(0) * 0.5);
    check_map_to_target(q, diagonal);
  }
  SECTION("low-rank gaussian") {
    varia::LowRankGaussian q(d, 2);
    q.set_parameters(rng.normal_block(3, q.parameter_count(), 1).col(0) * 0.5);
    check_map_to_target(q, diagonal);
    const auto start = varia::WhiteningRule<varia::LowRankGaussian>::start(q);
    CHECK(start.rank() == 2);
    CHECK(start.parameters() == varia::LowRankGaussian(d, 2).parameters());
  }
}

TEST_CASE("laplace start fits an ill-conditioned gaussian", "[fit][laplace]") {
  // Condition number 1e7 with a random rotation: posterior standard deviations from 3e-4 to 1.
  const Eigen::Index d = 8;
  const GaussianTarget target = varia::test::make_gaussian_target(d, 1e7, 23);
  varia::FitOptions options;
  options.seed = 4;
  const auto result = varia::fit(target, varia::FullRankGaussian(d), options);
  INFO("laplace: " << result.laplace.message << "; stop " << varia::to_string(result.stop_reason)
                   << " after " << result.iterations << " iterations");
  REQUIRE(result.laplace.used);
  CHECK(result.laplace.mode_search_iterations > 0);
  CHECK(result.laplace.gradient_evaluations > 2 * d);
  CHECK(result.gradient_evaluations ==
        16 * result.iterations + 64 * static_cast<std::int64_t>(result.evaluation_trace.size()) +
            result.laplace.gradient_evaluations);
  CHECK(result.stop_reason == varia::StopReason::converged);
  CHECK(result.iterations <= 2000);

  // Standardized errors against the exact posterior. With S = 16 and about 10^3 averaged
  // iterates the Monte Carlo error of the fitted mean is far below 0.05 sd.
  const Eigen::MatrixXd covariance = target.covariance();
  const Eigen::VectorXd sd = covariance.diagonal().cwiseSqrt();
  const Eigen::VectorXd fitted_sd = result.family.covariance().diagonal().cwiseSqrt();
  for (Eigen::Index i = 0; i < d; ++i) {
    const double mean_error = (result.family.mean()(i) - target.m(i)) / sd(i);
    INFO("coordinate " << i << ": standardized mean error " << mean_error << ", sd ratio "
                       << fitted_sd(i) / sd(i));
    CHECK(std::abs(mean_error) < 0.05);
    CHECK(fitted_sd(i) / sd(i) > 0.95);
    CHECK(fitted_sd(i) / sd(i) < 1.05);
  }
  // The objective trace is in z coordinates: its late values estimate the ELBO, which equals
  // log Z at the exact posterior.
  const double late_mean = result.evaluation_trace.back();
  CHECK(std::abs(late_mean - target.log_z()) < 0.1);

  // Same seed, same result, bit for bit.
  const auto again = varia::fit(target, varia::FullRankGaussian(d), options);
  CHECK(again.family.parameters() == result.family.parameters());
  CHECK(again.objective_trace == result.objective_trace);
}

TEST_CASE("fit falls back on a flat direction", "[fit][laplace]") {
  varia::FitOptions options;
  options.max_iterations = 200;
  options.seed = 2;
  const auto result = varia::fit(FlatDirection(), varia::FullRankGaussian(2), options);
  CHECK_FALSE(result.laplace.used);
  CHECK(result.laplace.message ==
        "started from the family: -H is not positive definite: its Cholesky factorization "
        "failed");
  CHECK(result.laplace.gradient_evaluations > 0);
  CHECK(result.family.parameters().allFinite());
  CHECK(result.objective_trace.size() > 0);

  options.initialization = varia::Initialization::family;
  const auto plain = varia::fit(FlatDirection(), varia::FullRankGaussian(2), options);
  CHECK_FALSE(plain.laplace.used);
  CHECK(plain.laplace.gradient_evaluations == 0);
  CHECK(plain.laplace.message == "started from the family: initialization is family");
  // Both started from the family with the same seed, so only the counters differ.
  CHECK(plain.family.parameters() == result.family.parameters());
  CHECK(plain.gradient_evaluations ==
        result.gradient_evaluations - result.laplace.gradient_evaluations);
}
