#include <varia/family/low_rank_gaussian.hpp>

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

#include <Eigen/Core>
#include <Eigen/LU>

#include "family/family_checks.hpp"
#include "support/catch.hpp"
#include "support/gradient_check.hpp"

namespace {
using varia::LowRankGaussian;

static_assert(varia::ReparameterizableFamily<LowRankGaussian>);
static_assert(varia::ScoreFamily<LowRankGaussian>);
static_assert(varia::HasClosedFormEntropy<LowRankGaussian>);

constexpr Eigen::Index dimension = 4;
constexpr Eigen::Index rank = 2;

// lambda = [mu (4); B column-major (8); omega (4)], drawn in [-0.8, 0.8] from a fixed seed.
Eigen::VectorXd example_parameters() {
  return varia::test::uniform_points(2 * dimension + dimension * rank, 1, -0.8, 0.8, 7u);
}

// Covariance B B^T + diag(exp(2 omega)) built entry by entry from lambda.
Eigen::MatrixXd dense_covariance(const Eigen::VectorXd& parameters) {
  Eigen::MatrixXd covariance = Eigen::MatrixXd::Zero(dimension, dimension);
  for (Eigen::Index i = 0; i < dimension; ++i) {
    for (Eigen::Index j = 0; j < dimension; ++j) {
      for (Eigen::Index k = 0; k < rank; ++k) {
        covariance(i, j) +=
            parameters(dimension + k * dimension + i) * parameters(dimension + k * dimension + j);
      }
    }
    covariance(i, i) += std::exp(2.0 * parameters(dimension + dimension * rank + i));
  }
  return covariance;
}

LowRankGaussian example_family() {
  LowRankGaussian family(dimension, rank);
  family.set_parameters(example_parameters());
  return family;
}

}  // namespace

TEST_CASE("LowRankGaussian layout and initial factor", "[family][low_rank]") {
  const LowRankGaussian initial(dimension, rank);
  CHECK(initial.base_dimension() == dimension + rank);
  CHECK(initial.parameter_count() == 2 * dimension + dimension * rank);
  Eigen::MatrixXd expected_factor = Eigen::MatrixXd::Zero(dimension, rank);
  expected_factor(0, 0) = 0.1;
  expected_factor(1, 1) = 0.1;
  CHECK(initial.factor() == expected_factor);
  CHECK(initial.mean().isZero(0.0));
  CHECK(initial.standard_deviation().isOnes(0.0));
  const LowRankGaussian family = example_family();
  CHECK(family.covariance().isApprox(dense_covariance(example_parameters()), 1e-14));
}

TEST_CASE("LowRankGaussian log density matches dense formula", "[family][low_rank]") {
  const LowRankGaussian family = example_family();
  const Eigen::VectorXd parameters = example_parameters();
  const Eigen::MatrixXd covariance = dense_covariance(parameters);
  const Eigen::MatrixXd precision = covariance.inverse();
  const double log_determinant = std::log(covariance.determinant());
  const Eigen::MatrixXd z = varia::test::uniform_points(dimension, 5, -3.0, 3.0);
  Eigen::VectorXd log_density;
  family.log_density(z, log_density);
  REQUIRE(log_density.size() == 5);
  for (Eigen::Index s = 0; s < 5; ++s) {
    const Eigen::VectorXd centered = z.col(s) - parameters.head(dimension);
    const double expected = -0.5 * centered.dot(precision * centered) - 0.5 * log_determinant -
                            0.5 * dimension * std::log(2.0 * std::numbers::pi);
    CHECK(varia::test::close(log_density(s), expected, 1e-12));
  }
}

TEST_CASE("LowRankGaussian derivatives match finite differences", "[family][low_rank]") {
  const LowRankGaussian family = example_family();
  const Eigen::MatrixXd eps = varia::test::uniform_points(dimension + rank, 4, -2.0, 2.0, 1u);
  const Eigen::MatrixXd upstream = varia::test::uniform_points(dimension, 4, -1.0, 1.0, 2u);
  const Eigen::VectorXd weights = varia::test::uniform_points(4, 1, 0.1, 1.0, 3u);
  const Eigen::MatrixXd z = varia::test::uniform_points(dimension, 4, -3.0, 3.0, 4u);
  varia::test::check_transform_adjoint(family, eps, upstream);
  varia::test::check_log_density_total_gradient(family, eps, weights);
  varia::test::check_log_density_gradient(family, z);
  varia::test::check_score(family, z);
  varia::test::check_entropy_gradient(family);
}

TEST_CASE("LowRankGaussian full rank total gradient", "[family][low_rank]") {
  // rank == dimension is allowed; the total gradient is not a pure log-determinant term here.
  LowRankGaussian family(3, 3);
  family.set_parameters(varia::test::uniform_points(family.parameter_count(), 1, -0.8, 0.8, 8u));
  const Eigen::MatrixXd eps = varia::test::uniform_points(6, 3, -2.0, 2.0, 9u);
  varia::test::check_log_density_total_gradient(family, eps, Eigen::Vector3d(0.2, 1.0, 0.5));
}

TEST_CASE("LowRankGaussian entropy matches closed form and sampling", "[family][low_rank]") {
  const LowRankGaussian family = example_family();
  const Eigen::MatrixXd covariance = dense_covariance(example_parameters());
  const double expected =
      0.5 * std::log((2.0 * std::numbers::pi * std::numbers::e * covariance).determinant());
  CHECK(varia::test::close(family.entropy(), expected, 1e-13));
  varia::test::check_entropy_monte_carlo(family, 11, 100000);
}

TEST_CASE("LowRankGaussian draws have its moments", "[family][low_rank]") {
  const LowRankGaussian family = example_family();
  varia::test::check_moments(family, family.mean(), dense_covariance(example_parameters()), 12,
                             100000);
}

TEST_CASE("LowRankGaussian draws are reproducible", "[family][low_rank]") {
  varia::test::check_reproducible(example_family());
}

TEST_CASE("LowRankGaussian rejects bad input", "[family][low_rank]") {
  CHECK_THROWS_WITH(LowRankGaussian(0, 1),
                    "varia::LowRankGaussian: dimension is 0, but must be at least 1");
  CHECK_THROWS_WITH(LowRankGaussian(3, 4),
                    "varia::LowRankGaussian: rank is 4, but must be in [1, dimension] = [1, 3]");
  CHECK_THROWS_AS(LowRankGaussian(3, 0), std::invalid_argument);

  LowRankGaussian family(2, 1);
  CHECK_THROWS_AS(family.set_parameters(Eigen::VectorXd::Zero(5)), std::invalid_argument);
  Eigen::VectorXd parameters = Eigen::VectorXd::Zero(6);
  parameters(3) = -std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(family.set_parameters(parameters), std::invalid_argument);

  Eigen::MatrixXd out;
  Eigen::VectorXd values;
  Eigen::VectorXd gradient = Eigen::VectorXd::Zero(6);
  const Eigen::MatrixXd points = Eigen::MatrixXd::Zero(2, 2);
  const Eigen::MatrixXd base = Eigen::MatrixXd::Zero(3, 2);
  CHECK_THROWS_WITH(family.transform(points, out),
                    "varia::LowRankGaussian::transform: eps.rows() is 2, but must be 3 "
                    "(base_dimension())");
  CHECK_THROWS_AS(family.log_density(base, values), std::invalid_argument);
  CHECK_THROWS_AS(family.log_density_gradient(base, out), std::invalid_argument);
  CHECK_THROWS_AS(family.score(base, out), std::invalid_argument);
  CHECK_THROWS_AS(family.add_transform_adjoint(points, points, gradient), std::invalid_argument);
  CHECK_THROWS_AS(family.add_transform_adjoint(base, Eigen::MatrixXd::Zero(2, 3), gradient),
                  std::invalid_argument);
  CHECK_THROWS_AS(family.add_log_density_total_gradient(base, Eigen::VectorXd::Ones(1), gradient),
                  std::invalid_argument);

  Eigen::VectorXd short_gradient = Eigen::VectorXd::Zero(5);
  CHECK_THROWS_AS(family.add_entropy_gradient(short_gradient), std::invalid_argument);
  CHECK_THROWS_AS(family.add_transform_adjoint(base, points, short_gradient),
                  std::invalid_argument);
}
