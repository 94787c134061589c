#include <varia/family/student_t_location_scale.hpp>

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
using varia::StudentTLocationScale;

static_assert(varia::ReparameterizableFamily<StudentTLocationScale>);
static_assert(varia::ScoreFamily<StudentTLocationScale>);
static_assert(varia::HasClosedFormEntropy<StudentTLocationScale>);

Eigen::Matrix3d example_factor() {
  Eigen::Matrix3d factor;
  factor << 0.8, 0.0, 0.0, 0.3, 1.3, 0.0, -0.4, 0.6, 0.5;
  return factor;
}

const Eigen::Vector3d example_location(0.5, -1.0, 2.0);

StudentTLocationScale example_family(double degrees_of_freedom) {
  return StudentTLocationScale::from_location_and_scale_matrix(
      example_location, example_factor() * example_factor().transpose(), degrees_of_freedom);
}

}  // namespace

TEST_CASE("StudentTLocationScale default and factory", "[family][student_t]") {
  const StudentTLocationScale standard(3);
  CHECK(standard.degrees_of_freedom() == 5.0);
  CHECK(standard.parameter_count() == 9);
  CHECK(standard.parameters().isZero(0.0));
  const StudentTLocationScale family = example_family(7.0);
  CHECK(family.scale_factor().isApprox(example_factor(), 1e-14));
  CHECK(family.mean() == example_location);
  const Eigen::Matrix3d scale = example_factor() * example_factor().transpose();
  CHECK(family.covariance().isApprox(7.0 / 5.0 * scale, 1e-14));
}

TEST_CASE("StudentTLocationScale log density matches lgamma formula", "[family][student_t]") {
  const double nu = 3.5;
  const StudentTLocationScale family = example_family(nu);
  const Eigen::Matrix3d scale = example_factor() * example_factor().transpose();
  const Eigen::Matrix3d precision = scale.inverse();
  const double log_determinant = std::log(scale.determinant());
  const Eigen::MatrixXd z = varia::test::uniform_points(3, 5, -4.0, 4.0);
  Eigen::VectorXd log_density;
  family.log_density(z, log_density);
  REQUIRE(log_density.size() == 5);
  for (Eigen::Index s = 0; s < 5; ++s) {
    const Eigen::Vector3d centered = z.col(s) - example_location;
    const double expected =
        std::lgamma((nu + 3.0) / 2.0) - std::lgamma(nu / 2.0) -
        1.5 * std::log(nu * std::numbers::pi) - 0.5 * log_determinant -
        (nu + 3.0) / 2.0 * std::log(1.0 + centered.dot(precision * centered) / nu);
    CHECK(varia::test::close(log_density(s), expected, 1e-12));
  }
}

TEST_CASE("StudentTLocationScale derivatives match finite differences", "[family][student_t]") {
  const StudentTLocationScale family = example_family(3.5);
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

TEST_CASE("StudentTLocationScale entropy of a Cauchy", "[family][student_t]") {
  // A Cauchy distribution with scale gamma has entropy log(4 pi gamma).
  const StudentTLocationScale cauchy = StudentTLocationScale::from_location_and_scale_matrix(
      Eigen::VectorXd::Constant(1, 0.3), Eigen::MatrixXd::Constant(1, 1, 2.5 * 2.5), 1.0);
  CHECK(varia::test::close(cauchy.entropy(), std::log(4.0 * std::numbers::pi * 2.5), 1e-13));
}

TEST_CASE("StudentTLocationScale entropy matches sampling", "[family][student_t]") {
  varia::test::check_entropy_monte_carlo(example_family(3.5), 11, 100000);
  varia::test::check_entropy_monte_carlo(example_family(1.0), 13, 100000);
}

TEST_CASE("StudentTLocationScale draws have its moments", "[family][student_t]") {
  // nu = 9 keeps the eighth moments finite, so the spread of the covariance summands, which
  // sets the tolerance, is itself a stable estimate.
  const StudentTLocationScale family = example_family(9.0);
  varia::test::check_moments(family, family.mean(), family.covariance(), 12, 200000);
}

TEST_CASE("StudentTLocationScale draws are reproducible", "[family][student_t]") {
  const StudentTLocationScale family = example_family(3.5);
  varia::test::check_reproducible(family);
  const varia::CounterRng rng(5);
  const Eigen::MatrixXd base = varia::test::draw_base(family, 5, 2, 4);
  for (Eigen::Index s = 0; s < 4; ++s) {
    const double chi_square = 2.0 * varia::gamma_variate(rng, 3.5 / 2.0, 2, s, 0);
    for (Eigen::Index j = 0; j < 3; ++j) {
      INFO("sample " << s << ", coordinate " << j);
      const double expected = rng.normal(2, s, j) / std::sqrt(chi_square / 3.5);
      CHECK(varia::test::close(base(j, s), expected, 1e-14));
    }
  }
}

TEST_CASE("StudentTLocationScale rejects bad input", "[family][student_t]") {
  CHECK_THROWS_AS(StudentTLocationScale(0), std::invalid_argument);
  CHECK_THROWS_WITH(StudentTLocationScale(2, 0.0),
                    "varia::StudentTLocationScale: degrees_of_freedom is 0, but must be positive "
                    "and finite");
  CHECK_THROWS_AS(StudentTLocationScale(2, std::numeric_limits<double>::infinity()),
                  std::invalid_argument);
  CHECK_THROWS_AS(StudentTLocationScale(2, std::numeric_limits<double>::quiet_NaN()),
                  std::invalid_argument);
  CHECK_THROWS_AS(StudentTLocationScale::from_location_and_scale_matrix(
                      Eigen::Vector2d(0.0, 0.0), Eigen::Matrix2d::Identity(), -1.0),
                  std::invalid_argument);
  CHECK_THROWS_AS(StudentTLocationScale::from_location_and_scale_matrix(
                      Eigen::Vector2d(0.0, 0.0), -Eigen::Matrix2d::Identity(), 3.0),
                  std::invalid_argument);

  CHECK_THROWS_WITH(StudentTLocationScale(2, 2.0).covariance(),
                    "varia::StudentTLocationScale::covariance: degrees_of_freedom is 2, but must "
                    "be above 2 for a finite covariance");
  CHECK_THROWS_AS(StudentTLocationScale(2, 1.5).covariance(), std::domain_error);

  StudentTLocationScale family(2);
  CHECK_THROWS_AS(family.set_parameters(Eigen::VectorXd::Zero(4)), std::invalid_argument);

  Eigen::MatrixXd out;
  Eigen::VectorXd values;
  Eigen::VectorXd gradient = Eigen::VectorXd::Zero(5);
  const Eigen::MatrixXd wrong_rows = Eigen::MatrixXd::Zero(3, 2);
  const Eigen::MatrixXd good = Eigen::MatrixXd::Zero(2, 2);
  CHECK_THROWS_AS(family.transform(wrong_rows, out), std::invalid_argument);
  CHECK_THROWS_AS(family.log_density(wrong_rows, values), std::invalid_argument);
  CHECK_THROWS_AS(family.log_density_gradient(wrong_rows, out), std::invalid_argument);
  CHECK_THROWS_AS(family.score(wrong_rows, out), std::invalid_argument);
  CHECK_THROWS_AS(family.add_transform_adjoint(good, Eigen::MatrixXd::Zero(2, 3), gradient),
                  std::invalid_argument);
  CHECK_THROWS_AS(family.add_log_density_total_gradient(good, Eigen::VectorXd::Ones(3), gradient),
                  std::invalid_argument);

  Eigen::VectorXd short_gradient = Eigen::VectorXd::Zero(4);
  CHECK_THROWS_AS(family.add_entropy_gradient(short_gradient), std::invalid_argument);
}
