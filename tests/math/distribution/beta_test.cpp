#include <varia/math/distribution/beta.hpp>
#include <varia/math/exp_log.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "support/catch.hpp"
#include "support/gradient_check.hpp"

namespace {

// The beta log density for integer a and b, written out with factorials in place of the beta
// function: 1 / B(a, b) = (a + b - 1)! / ((a - 1)! (b - 1)!).
double beta_reference(double y, int a, int b) {
  auto factorial = [](int m) {
    double result = 1.0;
    for (int i = 2; i <= m; ++i) {
      result *= i;
    }
    return result;
  };
  const double normalizer = factorial(a + b - 1) / (factorial(a - 1) * factorial(b - 1));
  return std::log(normalizer * std::pow(y, a - 1) * std::pow(1.0 - y, b - 1));
}

// Parameters: y, a, b, all autodiff scalars.
struct AllScalars {
  template <class T>
  auto operator()(const T& x) const {
    return varia::beta_lpdf(x(0), x(1), x(2));
  }
};

// Parameters: y[0..2] (autodiff vector) with data a and autodiff scalar b.
struct VectorYDataA {
  template <class T>
  auto operator()(const T& x) const {
    return varia::beta_lpdf(x.head(3), 0.6, x(3));
  }
};

// Parameters: log a[0..2] and log b[0..2] over a wide range, against data y near the ends.
struct LogParametersDataY {
  Eigen::VectorXd y = Eigen::Vector3d(1e-9, 0.4, 1.0 - 1e-9);
  template <class T>
  auto operator()(const T& x) const {
    return varia::beta_lpdf(y, varia::exp(x.head(3)), varia::exp(x.tail(3)));
  }
};

// Parameters: a (autodiff scalar) against data y and b.
struct ScalarADataB {
  Eigen::VectorXd y = Eigen::Vector3d(0.1, 0.5, 0.97);
  Eigen::VectorXd b = Eigen::Vector3d(0.3, 2.0, 9.0);
  template <class T>
  auto operator()(const T& x) const {
    return varia::beta_lpdf(y, x(0), b);
  }
};

}  // namespace

TEST_CASE("beta_lpdf of doubles matches references") {
  CHECK(varia::beta_lpdf(0.3, 2.0, 5.0) == Approx(beta_reference(0.3, 2, 5)).epsilon(1e-14));
  CHECK(varia::beta_lpdf(0.8, 1.0, 1.0) == 0.0);

  // /usr/bin/python3 -c "from scipy import stats; print(repr(stats.beta.logpdf([1e-4, 0.3, 0.5,
  // 0.999], [0.5, 2.0, 1.0, 30.0], [3.0, 0.7, 1.0, 2.5]).tolist()))"
  const double scipy[] = {4.540431654849853, -0.9230170140208782, 0.0, -2.111183852173692};
  const Eigen::Vector4d y(1e-4, 0.3, 0.5, 0.999);
  const Eigen::Vector4d a(0.5, 2.0, 1.0, 30.0);
  const Eigen::Vector4d b(3.0, 0.7, 1.0, 2.5);
  for (int i = 0; i < 4; ++i) {
    CHECK(varia::beta_lpdf(y(i), a(i), b(i)) == Approx(scipy[i]).epsilon(1e-13));
  }
  CHECK(varia::beta_lpdf(y, a, b) ==
        Approx(scipy[0] + scipy[1] + scipy[2] + scipy[3]).epsilon(1e-13));
}

TEST_CASE("beta_lpdf at the ends of the support") {
  constexpr double infinity = std::numeric_limits<double>::infinity();
  CHECK(varia::beta_lpdf(0.0, 1.0, 3.0) == Approx(std::log(3.0)));
  CHECK(varia::beta_lpdf(1.0, 2.0, 1.0) == Approx(std::log(2.0)));
  CHECK(varia::beta_lpdf(0.0, 0.5, 3.0) == infinity);
  CHECK(varia::beta_lpdf(1.0, 2.0, 3.0) == -infinity);
}

TEST_CASE("beta_lpdf gradient with all scalars autodiff") {
  Eigen::MatrixXd points = varia::test::uniform_points(3, 30, 0.3, 5.0);
  points.row(0) = varia::test::uniform_points(1, 30, 0.05, 0.95, 11u);
  varia::test::expect_ad(AllScalars{}, points);
}

TEST_CASE("beta_lpdf gradient with vector y and data a") {
  Eigen::MatrixXd points = varia::test::uniform_points(4, 30, 0.02, 0.98);
  points.row(3) = varia::test::uniform_points(1, 30, 0.2, 6.0, 12u);
  varia::test::expect_ad(VectorYDataA{}, points);
}

TEST_CASE("beta_lpdf gradient over extreme parameters") {
  varia::test::expect_ad(LogParametersDataY{}, varia::test::uniform_points(6, 30, -6.0, 7.0));
}

TEST_CASE("beta_lpdf gradient with scalar a and data b") {
  varia::test::expect_ad(ScalarADataB{}, varia::test::uniform_points(1, 30, 0.02, 40.0));
}

TEST_CASE("beta_lpdf gives NaN for invalid autodiff values") {
  const auto [y_above_one, gradient] =
      varia::value_and_gradient(AllScalars{}, Eigen::Vector3d(1.5, 2.0, 2.0));
  CHECK(std::isnan(y_above_one));
  const auto [negative_b, unused] =
      varia::value_and_gradient(AllScalars{}, Eigen::Vector3d(0.5, 2.0, -1.0));
  CHECK(std::isnan(negative_b));
}

TEST_CASE("beta_lpdf rejects invalid data") {
  CHECK_THROWS_WITH(varia::beta_lpdf(Eigen::Vector2d(0.5, 1.5), 1.0, 1.0),
                    "varia::beta_lpdf: y[1] is 1.500000, but must be in [0, 1]");
  CHECK_THROWS_WITH(varia::beta_lpdf(0.5, 0.0, 1.0),
                    "varia::beta_lpdf: a is 0.000000, but must be positive and finite");
  CHECK_THROWS_WITH(varia::beta_lpdf(0.5, 1.0, -2.0),
                    "varia::beta_lpdf: b is -2.000000, but must be positive and finite");
  CHECK_THROWS_AS(varia::beta_lpdf(0.5, Eigen::VectorXd::Ones(2), Eigen::VectorXd::Ones(3)),
                  std::invalid_argument);
}
