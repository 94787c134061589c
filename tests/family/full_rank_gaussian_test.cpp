#include <varia/family/full_rank_gaussian.hpp>

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
using varia::FullRankGaussian;

static_assert(varia::ReparameterizableFamily<FullRankGaussian>);
static_assert(varia::ScoreFamily<FullRankGaussian>);
static_assert(varia::HasClosedFormEntropy<FullRankGaussian>);

// lambda = [mu; log L00, L10, L20; log L11, L21; log L22].
Eigen::VectorXd example_parameters() {
  Eigen::VectorXd parameters(9);
  parameters << 0.5, -1.0, 2.0, std::log(0.8), 0.3, -0.4, std::log(1.3), 0.6, std::log(0.5);
  return parameters;
}

Eigen::Matrix3d example_factor() {
  Eigen::Matrix3d factor;
  factor << 0.8, 0.0, 0.0, 0.3, 1.3, 0.0, -0.4, 0.6, 0.5;
  return factor;
}

FullRankGaussian example_family() {
  FullRankGaussian family(3);
  family.set_parameters(example_parameters());
  return family;
}

}  // namespace

TEST_CASE("FullRankGaussian packs the factor by columns", "[family][full_rank]") {
  const FullRankGaussian standard(3);
  CHECK(standard.parameter_count() == 9);
  CHECK(standard.parameters().isZero(0.0));
  CHECK(standard.covariance().isIdentity(0.0));
  const FullRankGaussian family = example_family();
  CHECK(family.scale_factor().isApprox(example_factor(), 1e-15));
  CHECK(family.mean().isApprox(Eigen::Vector3d(0.5, -1.0, 2.0), 0.0));
  const Eigen::Matrix3d covariance = example_factor() * example_factor().transpose();
  CHECK(family.covariance().isApprox(covariance, 1e-15));
}

TEST_CASE("FullRankGaussian from mean and covariance", "[family][full_rank]") {
  const Eigen::Matrix3d covariance = example_factor() * example_factor().transpose();
  const FullRankGaussian family =
      FullRankGaussian::from_mean_and_covariance(Eigen::Vector3d(0.5, -1.0, 2.0), covariance);
  const Eigen::VectorXd expected = example_parameters();
  for (Eigen::Index i = 0; i < expected.size(); ++i) {
    INFO("parameter " << i);
    CHECK(varia::test::close(family.parameters()(i), expected(i), 1e-14));
  }
}

TEST_CASE("FullRankGaussian log density matches dense formula", "[family][full_rank]") {
  const FullRankGaussian family = example_family();
  const Eigen::Matrix3d covariance = example_factor() * example_factor().transpose();
  const Eigen::Matrix3d precision = covariance.inverse();
  const double log_determinant = std::log(covariance.determinant());
  const Eigen::MatrixXd z = varia::test::uniform_points(3, 5, -3.0, 3.0);
  Eigen::VectorXd log_density;
  family.log_density(z, log_density);
  REQUIRE(log_density.size() == 5);
  for (Eigen::Index s = 0; s < 5; ++s) {
    const Eigen::Vector3d centered = z.col(s) - Eigen::Vector3d(0.5, -1.0, 2.0);
    const double expected = -0.5 * centered.dot(precision * centered) - 0.5 * log_determinant -
                            1.5 * std::log(2.0 * std::numbers::pi);
    CHECK(varia::test::close(log_density(s), expected, 1e-12));
  }
}

TEST_CASE("FullRankGaussian derivatives match finite differences", "[family][full_rank]") {
  const FullRankGaussian family = example_family();
  const Eigen::MatrixXd eps = varia::test::uniform_points(3, 4, -2.0, 2.0, 1u);
  const Eigen::MatrixXd upstream = varia::test::uniform_points(3, 4, -1.0, 1.0, 2u);
  const Eigen::VectorXd weights = varia::test::uniform_points(4, 1, 0.1, 1.0, 3u);
  const Eigen::MatrixXd z = varia::test::uniform_points(3, 4, -3.0, 3.0, 4u);
  varia::test::check_transform_adjoint(family, eps, upstream);
  varia::test::check_log_density_total_gradient(family, eps, weights);
  varia::test::check_log_density_gradient(family, z);
  varia::test::check_score(family, z);
  varia::test::check_entropy_gradient(family);
}

TEST_CASE("FullRankGaussian entropy matches closed form and sampling", "[family][full_rank]") {
  const FullRankGaussian family = example_family();
  const Eigen::Matrix3d covariance = example_factor() * example_factor().transpose();
  const double expected =
      0.5 * std::log((2.0 * std::numbers::pi * std::numbers::e * covariance).determinant());
  CHECK(varia::test::close(family.entropy(), expected, 1e-13));
  varia::test::check_entropy_monte_carlo(family, 11, 100000);
}

TEST_CASE("FullRankGaussian draws have its moments", "[family][full_rank]") {
  const FullRankGaussian family = example_family();
  varia::test::check_moments(family, family.mean(), family.covariance(), 12, 100000);
}

TEST_CASE("FullRankGaussian draws are reproducible", "[family][full_rank]") {
  varia::test::check_reproducible(example_family());
}

TEST_CASE("FullRankGaussian rejects bad input", "[family][full_rank]") {
  CHECK_THROWS_WITH(FullRankGaussian(0),
                    "varia::FullRankGaussian: dimension is 0, but must be at least 1");

  const Eigen::Vector2d mean(0.0, 1.0);
  Eigen::Matrix2d indefinite;
  indefinite << 1.0, 2.0, 2.0, 1.0;
  CHECK_THROWS_WITH(FullRankGaussian::from_mean_and_covariance(mean, indefinite),
                    "varia::FullRankGaussian::from_mean_and_covariance: covariance is not "
                    "positive definite, but must be symmetric positive definite");
  Eigen::Matrix2d asymmetric;
  asymmetric << 2.0, 0.5, 0.0, 2.0;
  CHECK_THROWS_AS(FullRankGaussian::from_mean_and_covariance(mean, asymmetric),
                  std::invalid_argument);
  CHECK_THROWS_AS(FullRankGaussian::from_mean_and_covariance(mean, Eigen::Matrix3d::Identity()),
                  std::invalid_argument);
  CHECK_THROWS_AS(FullRankGaussian::from_mean_and_covariance(
                      Eigen::Vector2d(std::numeric_limits<double>::quiet_NaN(), 0.0),
                      Eigen::Matrix2d::Identity()),
                  std::invalid_argument);
  CHECK_THROWS_AS(FullRankGaussian::from_mean_and_covariance(Eigen::VectorXd(), Eigen::MatrixXd()),
                  std::invalid_argument);

  FullRankGaussian family(2);
  CHECK_THROWS_WITH(family.set_parameters(Eigen::VectorXd::Zero(4)),
                    "varia::FullRankGaussian::set_parameters: parameters.size() is 4, but must "
                    "be 5 (parameter_count())");
  Eigen::VectorXd parameters = Eigen::VectorXd::Zero(5);
  parameters(4) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(family.set_parameters(parameters),
                    "varia::FullRankGaussian::set_parameters: parameters(4) is nan, but must be "
                    "finite");

  Eigen::MatrixXd out;
  Eigen::VectorXd values;
  Eigen::VectorXd gradient = Eigen::VectorXd::Zero(5);
  const Eigen::MatrixXd wrong_rows = Eigen::MatrixXd::Zero(3, 2);
  const Eigen::MatrixXd good = Eigen::MatrixXd::Zero(2, 2);
  CHECK_THROWS_AS(family.transform(wrong_rows, out), std::invalid_argument);
  CHECK_THROWS_WITH(family.log_density(wrong_rows, values),
                    "varia::FullRankGaussian::log_density: z.rows() is 3, but must be 2 "
                    "(dimension())");
  CHECK_THROWS_AS(family.log_density_gradient(wrong_rows, out), std::invalid_argument);
  CHECK_THROWS_AS(family.score(wrong_rows, out), std::invalid_argument);
  CHECK_THROWS_AS(family.add_transform_adjoint(good, Eigen::MatrixXd::Zero(2, 3), gradient),
                  std::invalid_argument);
  CHECK_THROWS_AS(family.add_transform_adjoint(good, wrong_rows, gradient), std::invalid_argument);
  CHECK_THROWS_AS(family.add_log_density_total_gradient(good, Eigen::VectorXd::Ones(3), gradient),
                  std::invalid_argument);

  Eigen::VectorXd short_gradient = Eigen::VectorXd::Zero(4);
  CHECK_THROWS_AS(family.add_entropy_gradient(short_gradient), std::invalid_argument);
  CHECK_THROWS_AS(
      family.add_log_density_total_gradient(good, Eigen::VectorXd::Ones(2), short_gradient),
      std::invalid_argument);
}
