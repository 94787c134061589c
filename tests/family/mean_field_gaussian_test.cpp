#include <varia/family/mean_field_gaussian.hpp>

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

#include <Eigen/Core>

#include "family/family_checks.hpp"
#include "support/catch.hpp"
#include "support/gradient_check.hpp"

namespace {
using varia::MeanFieldGaussian;

static_assert(varia::ReparameterizableFamily<MeanFieldGaussian>);
static_assert(varia::ScoreFamily<MeanFieldGaussian>);
static_assert(varia::HasClosedFormEntropy<MeanFieldGaussian>);

MeanFieldGaussian example_family() {
  Eigen::VectorXd mean(3);
  mean << 0.5, -1.0, 2.0;
  Eigen::VectorXd standard_deviation(3);
  standard_deviation << 0.7, 1.5, 0.3;
  return MeanFieldGaussian::from_mean_and_standard_deviation(mean, standard_deviation);
}

}  // namespace

TEST_CASE("MeanFieldGaussian default and factory", "[family][mean_field]") {
  const MeanFieldGaussian standard(2);
  CHECK(standard.dimension() == 2);
  CHECK(standard.base_dimension() == 2);
  CHECK(standard.parameter_count() == 4);
  CHECK(standard.parameters().isZero(0.0));
  const MeanFieldGaussian family = example_family();
  CHECK(varia::test::close(family.parameters()(3), std::log(0.7), 1e-15));
  CHECK(varia::test::close(family.parameters()(5), std::log(0.3), 1e-15));
  CHECK(std::abs(family.standard_deviation()(1) - 1.5) <= 1e-15);
}

TEST_CASE("MeanFieldGaussian log density matches normal formula", "[family][mean_field]") {
  const MeanFieldGaussian family = example_family();
  const Eigen::MatrixXd z = varia::test::uniform_points(3, 5, -3.0, 3.0);
  Eigen::VectorXd log_density;
  family.log_density(z, log_density);
  REQUIRE(log_density.size() == 5);
  const double mean[] = {0.5, -1.0, 2.0};
  const double sd[] = {0.7, 1.5, 0.3};
  for (Eigen::Index s = 0; s < 5; ++s) {
    double expected = 0.0;
    for (int i = 0; i < 3; ++i) {
      const double standardized = (z(i, s) - mean[i]) / sd[i];
      expected += -0.5 * standardized * standardized - std::log(sd[i]) -
                  0.5 * std::log(2.0 * std::numbers::pi);
    }
    CHECK(varia::test::close(log_density(s), expected, 1e-13));
  }
}

TEST_CASE("MeanFieldGaussian derivatives match finite differences", "[family][mean_field]") {
  const MeanFieldGaussian family = example_family();
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

TEST_CASE("MeanFieldGaussian entropy matches closed form and sampling", "[family][mean_field]") {
  const MeanFieldGaussian family = example_family();
  const double expected = 0.5 * std::log(std::pow(2.0 * std::numbers::pi * std::numbers::e, 3) *
                                         (0.7 * 0.7 * 1.5 * 1.5 * 0.3 * 0.3));
  CHECK(varia::test::close(family.entropy(), expected, 1e-13));
  varia::test::check_entropy_monte_carlo(family, 11, 100000);
}

TEST_CASE("MeanFieldGaussian draws have its moments", "[family][mean_field]") {
  const MeanFieldGaussian family = example_family();
  varia::test::check_moments(family, family.mean(), family.covariance(), 12, 100000);
}

TEST_CASE("MeanFieldGaussian draws are reproducible", "[family][mean_field]") {
  const MeanFieldGaussian family = example_family();
  varia::test::check_reproducible(family);
  const varia::CounterRng rng(5);
  const Eigen::MatrixXd base = varia::test::draw_base(family, 5, 2, 4);
  CHECK(base(2, 3) == rng.normal(2, 3, 2));
}

TEST_CASE("MeanFieldGaussian rejects bad input", "[family][mean_field]") {
  CHECK_THROWS_AS(MeanFieldGaussian(0), std::invalid_argument);
  CHECK_THROWS_WITH(MeanFieldGaussian(0),
                    "varia::MeanFieldGaussian: dimension is 0, but must be at least 1");

  const Eigen::VectorXd mean = Eigen::VectorXd::Zero(2);
  CHECK_THROWS_AS(
      MeanFieldGaussian::from_mean_and_standard_deviation(mean, Eigen::Vector3d(1, 1, 1)),
      std::invalid_argument);
  CHECK_THROWS_WITH(
      MeanFieldGaussian::from_mean_and_standard_deviation(mean, Eigen::Vector2d(1.0, -1.0)),
      "varia::MeanFieldGaussian::from_mean_and_standard_deviation: standard_deviation(1) is -1, "
      "but must be positive and finite");
  CHECK_THROWS_AS(MeanFieldGaussian::from_mean_and_standard_deviation(
                      Eigen::Vector2d(std::numeric_limits<double>::quiet_NaN(), 0.0),
                      Eigen::Vector2d(1.0, 1.0)),
                  std::invalid_argument);

  MeanFieldGaussian family(2);
  CHECK_THROWS_WITH(family.set_parameters(Eigen::VectorXd::Zero(3)),
                    "varia::MeanFieldGaussian::set_parameters: parameters.size() is 3, but must "
                    "be 4 (parameter_count())");
  Eigen::VectorXd parameters = Eigen::VectorXd::Zero(4);
  parameters(2) = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(family.set_parameters(parameters), std::invalid_argument);

  Eigen::MatrixXd out;
  Eigen::VectorXd values;
  Eigen::VectorXd gradient = Eigen::VectorXd::Zero(4);
  const Eigen::MatrixXd wrong_rows = Eigen::MatrixXd::Zero(3, 2);
  const Eigen::MatrixXd good = Eigen::MatrixXd::Zero(2, 2);
  CHECK_THROWS_WITH(family.transform(wrong_rows, out),
                    "varia::MeanFieldGaussian::transform: eps.rows() is 3, but must be 2 "
                    "(base_dimension())");
  CHECK_THROWS_AS(family.log_density(wrong_rows, values), std::invalid_argument);
  CHECK_THROWS_AS(family.log_density_gradient(wrong_rows, out), std::invalid_argument);
  CHECK_THROWS_AS(family.score(wrong_rows, out), std::invalid_argument);
  CHECK_THROWS_AS(family.add_transform_adjoint(good, Eigen::MatrixXd::Zero(2, 3), gradient),
                  std::invalid_argument);
  CHECK_THROWS_AS(family.add_transform_adjoint(wrong_rows, good, gradient), std::invalid_argument);
  CHECK_THROWS_AS(family.add_log_density_total_gradient(good, Eigen::VectorXd::Ones(3), gradient),
                  std::invalid_argument);

  Eigen::VectorXd short_gradient = Eigen::VectorXd::Zero(3);
  CHECK_THROWS_AS(family.add_entropy_gradient(short_gradient), std::invalid_argument);
  CHECK_THROWS_AS(family.add_transform_adjoint(good, good, short_gradient), std::invalid_argument);
}
