#include <varia/model/transforms.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include <Eigen/Core>
#include <Eigen/LU>

#include <varia/ad/gradient.hpp>
#include <varia/math/reductions.hpp>

#include "support/catch.hpp"
#include "support/gradient_check.hpp"

namespace {

using varia::transform::Bounded;
using varia::transform::CholeskyFactorCorr;
using varia::transform::LowerBounded;
using varia::transform::Ordered;
using varia::transform::Positive;
using varia::transform::Simplex;
using varia::transform::UpperBounded;

constexpr double epsilon = std::numeric_limits<double>::epsilon();

/// The coordinates of constrain(x) that determine it: all of them for elementwise and ordered
/// transforms, the first K - 1 for a simplex, the strictly lower triangle (in the order of x) for
/// a Cholesky factor.
template <class Transform>
Eigen::VectorXd free_coordinates(const Transform& transform, const Eigen::VectorXd& x) {
  const Eigen::VectorXd y = transform.constrain(x);
  if constexpr (std::is_same_v<Transform, Simplex>) {
    return y.head(y.size() - 1);
  } else if constexpr (std::is_same_v<Transform, CholeskyFactorCorr>) {
    Eigen::VectorXd lower(transform.unconstrained_size());
    Eigen::Index k = 0;
    for (Eigen::Index i = 1; i < transform.size(); ++i) {
      for (Eigen::Index j = 0; j < i; ++j) {
        lower(k++) = y(transform.index(i, j));
      }
    }
    return lower;
  } else {
    return y;
  }
}

/// log|det J| of x -> free_coordinates(x) by central differences with one Richardson step.
template <class Transform>
double finite_difference_log_jacobian(const Transform& transform, const Eigen::VectorXd& x) {
  const Eigen::Index n = x.size();
  Eigen::MatrixXd jacobian(n, n);
  const double h = 1e-4;
  for (Eigen::Index c = 0; c < n; ++c) {
    auto central = [&](double width) {
      Eigen::VectorXd plus = x;
      Eigen::VectorXd minus = x;
      plus(c) += width;
      minus(c) -= width;
      return Eigen::VectorXd(
          (free_coordinates(transform, plus) - free_coordinates(transform, minus)) / (2.0 * width));
    };
    jacobian.col(c) = (4.0 * central(h / 2.0) - central(h)) / 3.0;
  }
  return std::log(std::abs(jacobian.determinant()));
}

/// log|det J| + a weighted sum of the constrained values, so that the gradient depends on every
/// output and on the log-Jacobian.
template <class Transform>
struct TransformTarget {
  Transform transform;
  Eigen::VectorXd weights;

  template <class T>
  auto operator()(const T& x) const {
    const auto result = transform.constrain_with_log_jacobian(x);
    return result.log_jacobian + varia::dot(weights, result.value);
  }
};

template <class Transform>
TransformTarget<Transform> make_target(const Transform& transform, Eigen::Index constrained_size) {
  return {transform, Eigen::VectorXd::LinSpaced(constrained_size, 0.5, -1.5)};
}

/// Checks constrain/unconstrain round trips and the log-Jacobian against finite differences at
/// each column of `points`.
template <class Transform>
void check_transform(const Transform& transform, const Eigen::MatrixXd& points) {
  for (Eigen::Index s = 0; s < points.cols(); ++s) {
    const Eigen::VectorXd x = points.col(s);
    INFO("x = " << varia::test::describe(x));
    const auto result = transform.constrain_with_log_jacobian(x);
    const Eigen::VectorXd back = transform.unconstrain(result.value);
    for (Eigen::Index i = 0; i < x.size(); ++i) {
      INFO("coordinate " << i << ": unconstrain(constrain(x)) " << back(i));
      CHECK(std::abs(back(i) - x(i)) <= 1e-12 * std::max(1.0, std::abs(x(i))));
    }
    const double expected = finite_difference_log_jacobian(transform, x);
    INFO("log-Jacobian " << result.log_jacobian << ", finite differences " << expected);
    CHECK(std::abs(result.log_jacobian - expected) <= 1e-7 * std::max(1.0, std::abs(expected)));
    CHECK(result.log_jacobian == transform.log_jacobian(x));
  }
}

Eigen::VectorXd filled(Eigen::Index size, double value) {
  return Eigen::VectorXd::Constant(size, value);
}

}  // namespace

TEST_CASE("elementwise transforms invert and match Jacobians") {
  const Eigen::MatrixXd points = varia::test::uniform_points(3, 8, -4.0, 4.0);
  check_transform(Positive{}, points);
  check_transform(LowerBounded(-3.0), points);
  check_transform(UpperBounded(4.0), points);
  check_transform(Bounded(2.0, 5.0), points);
  check_transform(Bounded(-1.0, 1.0), points);
}

TEST_CASE("elementwise transforms have closed forms") {
  const double x = 0.7;
  const double logistic = 1.0 / (1.0 + std::exp(-x));
  CHECK(Positive{}.constrain(x) == std::exp(x));
  CHECK(Positive{}.log_jacobian(x) == x);
  CHECK(LowerBounded(-3.0).constrain(x) == Approx(-3.0 + std::exp(x)).epsilon(1e-15));
  CHECK(UpperBounded(4.0).constrain(x) == Approx(4.0 - std::exp(x)).epsilon(1e-15));
  CHECK(UpperBounded(4.0).log_jacobian(x) == x);
  CHECK(Bounded(2.0, 5.0).constrain(x) == Approx(2.0 + 3.0 * logistic).epsilon(1e-15));
  CHECK(Bounded(2.0, 5.0).log_jacobian(x) ==
        Approx(std::log(3.0 * logistic * (1.0 - logistic))).epsilon(1e-14));
  CHECK(Bounded(2.0, 5.0).unconstrain(2.0 + 3.0 * logistic) == Approx(x).epsilon(1e-14));
}

TEST_CASE("vector transforms invert and match Jacobians") {
  check_transform(Simplex(4), varia::test::uniform_points(3, 8, -4.0, 4.0));
  check_transform(Simplex(2), varia::test::uniform_points(1, 4, -4.0, 4.0));
  check_transform(Ordered(4), varia::test::uniform_points(4, 8, -4.0, 4.0));
  check_transform(Ordered(1), varia::test::uniform_points(1, 2, -4.0, 4.0));
  check_transform(CholeskyFactorCorr(4), varia::test::uniform_points(6, 8, -2.0, 2.0));
  check_transform(CholeskyFactorCorr(2), varia::test::uniform_points(1, 4, -2.0, 2.0));
}

TEST_CASE("simplex is positive and sums to one") {
  const Simplex simplex(5);
  const Eigen::MatrixXd points = varia::test::uniform_points(4, 20, -30.0, 30.0);
  for (Eigen::Index s = 0; s < points.cols(); ++s) {
    const Eigen::VectorXd y = simplex.constrain(Eigen::VectorXd(points.col(s)));
    INFO("y = " << varia::test::describe(y));
    CHECK((y.array() > 0.0).all());
    CHECK(std::abs(y.sum() - 1.0) <= 4.0 * epsilon);
  }
  const Eigen::VectorXd uniform = simplex.constrain(Eigen::VectorXd::Zero(4));
  for (Eigen::Index k = 0; k < 5; ++k) {
    CHECK(uniform(k) == Approx(0.2).epsilon(1e-15));
  }
}

TEST_CASE("ordered vector is increasing") {
  const Ordered ordered(6);
  const Eigen::MatrixXd points = varia::test::uniform_points(6, 20, -30.0, 5.0);
  for (Eigen::Index s = 0; s < points.cols(); ++s) {
    const Eigen::VectorXd x = points.col(s);
    const Eigen::VectorXd y = ordered.constrain(x);
    INFO("y = " << varia::test::describe(y));
    CHECK(y(0) == x(0));
    for (Eigen::Index k = 1; k < y.size(); ++k) {
      CHECK(y(k) > y(k - 1));
    }
  }
}

TEST_CASE("correlation factor has unit rows") {
  const CholeskyFactorCorr transform(4);
  const Eigen::MatrixXd points = varia::test::uniform_points(6, 20, -30.0, 30.0);
  for (Eigen::Index s = 0; s < points.cols(); ++s) {
    const Eigen::MatrixXd factor =
        transform.to_matrix(transform.constrain(Eigen::VectorXd(points.col(s))));
    INFO("L =\n" << factor);
    CHECK(factor(0, 0) == 1.0);
    for (Eigen::Index i = 0; i < 4; ++i) {
      CHECK(factor(i, i) >= 0.0);
      CHECK(std::abs(factor.row(i).squaredNorm() - 1.0) <= 8.0 * epsilon);
    }
    CHECK(factor.triangularView<Eigen::StrictlyUpper>().toDenseMatrix().isZero(0.0));
  }
}

TEST_CASE("correlation factor matches Stan construction") {
  // For K = 3 with z = tanh(x): L(1,0) = z0, L(2,0) = z1, L(2,1) = z2 sqrt(1 - z1^2).
  const CholeskyFactorCorr transform(3);
  Eigen::VectorXd x(3);
  x << 0.3, -0.8, 1.1;
  const Eigen::Vector3d z = x.array().tanh();
  const Eigen::MatrixXd factor = transform.to_matrix(transform.constrain(x));
  CHECK(factor(1, 0) == Approx(z(0)).epsilon(1e-15));
  CHECK(factor(1, 1) == Approx(std::sqrt(1.0 - z(0) * z(0))).epsilon(1e-15));
  CHECK(factor(2, 0) == Approx(z(1)).epsilon(1e-15));
  CHECK(factor(2, 1) == Approx(z(2) * std::sqrt(1.0 - z(1) * z(1))).epsilon(1e-15));
  // log-Jacobian as Stan accumulates it: log(1 - z^2) for each z, plus 1/2 log(1 - L(2,0)^2).
  const double expected =
      (1.0 - z.array().square()).log().sum() + 0.5 * std::log(1.0 - z(1) * z(1));
  CHECK(transform.log_jacobian(x) == Approx(expected).epsilon(1e-14));
}

TEST_CASE("transforms stay finite at extreme values") {
  for (const double magnitude : {30.0, -30.0, 800.0, -800.0}) {
    INFO("x = " << magnitude);
    const Eigen::VectorXd x3 = filled(3, magnitude);
    CHECK(std::isfinite(Bounded(-1.0, 1.0).log_jacobian(x3)));
    CHECK(std::isfinite(Bounded(-1.0, 1.0).log_jacobian(magnitude)));
    CHECK(std::isfinite(Simplex(4).log_jacobian(x3)));
    CHECK(std::isfinite(CholeskyFactorCorr(3).log_jacobian(x3)));
    CHECK(std::isfinite(Ordered(3).log_jacobian(x3)));
    CHECK(std::isfinite(Positive{}.log_jacobian(x3)));
    const Eigen::VectorXd bounded = Bounded(-1.0, 1.0).constrain(x3);
    CHECK((bounded.array() >= -1.0).all());
    CHECK((bounded.array() <= 1.0).all());
  }
}

TEST_CASE("round trips hold at extreme values") {
  // Where y is stored to within half an ulp, x is recovered to within about ulp(y) / (dy/dx): for
  // y = lower + exp(x) near the bound that is far above rounding in x.
  for (const double magnitude : {30.0, -30.0}) {
    INFO("x = " << magnitude);
    const Eigen::VectorXd x3 = filled(3, magnitude);
    CHECK(Positive{}.unconstrain(Positive{}.constrain(magnitude)) == Approx(magnitude));
    CHECK(Simplex(4).unconstrain(Simplex(4).constrain(x3)).isApprox(x3, 1e-12));

    const LowerBounded lower(2.0);
    const double y = lower.constrain(magnitude);
    const double lower_tolerance = epsilon * std::abs(y) / std::exp(magnitude) + 1e-15 * 30.0;
    CHECK(std::abs(lower.unconstrain(y) - magnitude) <= lower_tolerance);

    const Ordered ordered(3);
    const Eigen::VectorXd increasing = ordered.constrain(x3);
    const Eigen::VectorXd back = ordered.unconstrain(increasing);
    CHECK(back(0) == magnitude);
    for (Eigen::Index k = 1; k < 3; ++k) {
      const double ordered_tolerance =
          2.0 * epsilon * increasing.segment(k - 1, 2).cwiseAbs().maxCoeff() / std::exp(magnitude) +
          1e-15 * 30.0;
      INFO("element " << k << ": " << back(k));
      CHECK(std::abs(back(k) - magnitude) <= ordered_tolerance);
    }

    // dy/dx = (upper - lower) inv_logit(x) inv_logit(-x) for the bounded transform.
    const Bounded bounded(-1.0, 1.0);
    const double bounded_y = bounded.constrain(magnitude);
    const double slope = 2.0 / ((1.0 + std::exp(-magnitude)) * (1.0 + std::exp(magnitude)));
    CHECK(std::abs(bounded.unconstrain(bounded_y) - magnitude) <= epsilon / slope);
  }
}

TEST_CASE("transform gradients match finite differences") {
  // uniform_points gives 30 columns: one full group of 16 lanes and 14 padded ones.
  varia::test::expect_ad(make_target(Positive{}, 3), varia::test::uniform_points(3, 30, -3, 3));
  varia::test::expect_ad(make_target(LowerBounded(-3.0), 3),
                         varia::test::uniform_points(3, 30, -3, 3));
  varia::test::expect_ad(make_target(UpperBounded(4.0), 3),
                         varia::test::uniform_points(3, 30, -3, 3));
  varia::test::expect_ad(make_target(Bounded(2.0, 5.0), 3),
                         varia::test::uniform_points(3, 30, -6, 6));
  varia::test::expect_ad(make_target(Simplex(4), 4), varia::test::uniform_points(3, 30, -3, 3));
  varia::test::expect_ad(make_target(Ordered(4), 4), varia::test::uniform_points(4, 30, -3, 3));
  varia::test::expect_ad(make_target(CholeskyFactorCorr(4), 10),
                         varia::test::uniform_points(6, 30, -2, 2));
}

TEST_CASE("transform gradients are finite at extremes") {
  const auto check_finite = [](const auto& target, Eigen::Index size) {
    for (const double magnitude : {30.0, -30.0}) {
      INFO("x = " << magnitude);
      const auto [value, gradient] = varia::value_and_gradient(target, filled(size, magnitude));
      CHECK(std::isfinite(value));
      CHECK(gradient.allFinite());
    }
  };
  check_finite(make_target(Bounded(2.0, 5.0), 3), 3);
  check_finite(make_target(Simplex(4), 4), 3);
  check_finite(make_target(CholeskyFactorCorr(4), 10), 6);
}

namespace {

struct BoundedOfScalar {
  template <class T>
  auto operator()(const T& x) const {
    const Bounded transform(2.0, 5.0);
    // An expression argument: the transform materializes it.
    const auto result = transform.constrain_with_log_jacobian(2.0 * x(0));
    return result.log_jacobian + result.value * x(1);
  }
};

}  // namespace

TEST_CASE("elementwise transform of an autodiff scalar") {
  varia::test::expect_ad(BoundedOfScalar{}, varia::test::uniform_points(2, 30, -3, 3));
}

TEST_CASE("vector transform is one tape node") {
  varia::ad::Recording recording("transform test");
  const varia::ad::Vector<1> x = varia::ad::Vector<1>::from_values(filled(50, 0.25));
  const std::size_t before = recording.tape().size();
  const auto positive = Positive{}.constrain_with_log_jacobian(x);
  CHECK(recording.tape().size() == before + 1);
  const auto corr = CholeskyFactorCorr(5).constrain_with_log_jacobian(x.head(10));
  CHECK(recording.tape().size() == before + 2);
  CHECK(positive.value.size() == 50);
  CHECK(corr.value.size() == 15);
}

TEST_CASE("transforms reject invalid construction") {
  CHECK_THROWS_AS(LowerBounded(std::numeric_limits<double>::infinity()), std::invalid_argument);
  CHECK_THROWS_AS(UpperBounded(std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
  CHECK_THROWS_AS(Bounded(1.0, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(Bounded(2.0, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(Bounded(-std::numeric_limits<double>::infinity(), 1.0), std::invalid_argument);
  CHECK_THROWS_AS(Simplex(1), std::invalid_argument);
  CHECK_THROWS_AS(Ordered(0), std::invalid_argument);
  CHECK_THROWS_AS(CholeskyFactorCorr(1), std::invalid_argument);
}

TEST_CASE("transforms reject wrong sizes") {
  CHECK_THROWS_AS(Simplex(3).constrain(filled(3, 0.0)), std::invalid_argument);
  CHECK_THROWS_AS(Ordered(3).constrain(filled(2, 0.0)), std::invalid_argument);
  CHECK_THROWS_AS(CholeskyFactorCorr(3).constrain(filled(2, 0.0)), std::invalid_argument);
  CHECK_THROWS_AS(Simplex(3).unconstrain(filled(2, 0.5)), std::invalid_argument);
  CHECK_THROWS_AS(Ordered(3).unconstrain(filled(2, 0.5)), std::invalid_argument);
  CHECK_THROWS_AS(CholeskyFactorCorr(3).unconstrain(filled(5, 0.5)), std::invalid_argument);
  CHECK_THROWS_AS(CholeskyFactorCorr(3).to_matrix(filled(5, 0.5)), std::invalid_argument);
  CHECK_THROWS_AS(CholeskyFactorCorr(3).from_matrix(Eigen::MatrixXd::Identity(2, 2)),
                  std::invalid_argument);
}

TEST_CASE("unconstrain rejects values outside the support") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(Positive{}.unconstrain(0.0), std::domain_error);
  CHECK_THROWS_AS(Positive{}.unconstrain(inf), std::domain_error);
  CHECK_THROWS_AS(Positive{}.unconstrain(nan), std::domain_error);
  CHECK_THROWS_AS(LowerBounded(1.0).unconstrain(1.0), std::domain_error);
  CHECK_THROWS_AS(UpperBounded(1.0).unconstrain(1.5), std::domain_error);
  CHECK_THROWS_AS(Bounded(0.0, 1.0).unconstrain(1.0), std::domain_error);
  CHECK_THROWS_AS(Bounded(0.0, 1.0).unconstrain(-0.5), std::domain_error);

  Eigen::VectorXd simplex(3);
  simplex << 0.5, 0.6, -0.1;
  CHECK_THROWS_AS(Simplex(3).unconstrain(simplex), std::domain_error);
  simplex << 0.5, 0.3, 0.1;
  CHECK_THROWS_AS(Simplex(3).unconstrain(simplex), std::domain_error);

  Eigen::VectorXd ordered(3);
  ordered << 0.0, 1.0, 1.0;
  CHECK_THROWS_AS(Ordered(3).unconstrain(ordered), std::domain_error);
  ordered << inf, 1.0, 2.0;
  CHECK_THROWS_AS(Ordered(3).unconstrain(ordered), std::domain_error);

  const CholeskyFactorCorr corr(2);
  Eigen::VectorXd factor(3);  // L(0,0), L(1,0), L(1,1)
  factor << 1.0, 0.6, -0.8;
  CHECK_THROWS_AS(corr.unconstrain(factor), std::domain_error);
  factor << 1.0, 0.6, 0.7;
  CHECK_THROWS_AS(corr.unconstrain(factor), std::domain_error);
  factor << 0.5, 0.6, 0.8;
  CHECK_THROWS_AS(corr.unconstrain(factor), std::domain_error);
  Eigen::MatrixXd upper = Eigen::MatrixXd::Identity(2, 2);
  upper(0, 1) = 0.1;
  CHECK_THROWS_AS(corr.from_matrix(upper), std::domain_error);
}

TEST_CASE("unconstrain errors name the element and value") {
  Eigen::VectorXd y(2);
  y << 1.0, -2.5;
  try {
    Positive{}.unconstrain(y, "tau");
    FAIL("no exception");
  } catch (const std::domain_error& error) {
    const std::string message = error.what();
    INFO(message);
    CHECK(message.find("varia::transform::Positive::unconstrain") != std::string::npos);
    CHECK(message.find("tau[2] is -2.5") != std::string::npos);
  }
}
