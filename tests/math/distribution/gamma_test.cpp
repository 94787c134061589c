#include <varia/math/distribution/gamma.hpp>
#include <varia/math/exp_log.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "support/catch.hpp"
#include "support/gradient_check.hpp"

namespace {

// The gamma log density for an integer shape k, written out with (k - 1)! in place of the gamma
// function, as an independent reference.
double gamma_reference(double y, int k, double beta) {
  double factorial = 1.0;
  for (int i = 2; i < k; ++i) {
    factorial *= i;
  }
  return std::log(std::pow(beta, k) * std::pow(y, k - 1) * std::exp(-beta * y) / factorial);
}

// Parameters: y, alpha, beta, all autodiff scalars.
struct AllScalars {
  template <class T>
  auto operator()(const T& x) const {
    return varia::gamma_lpdf(x(0), x(1), x(2));
  }
};

// Parameters: y[0..2] (autodiff vector) with data shape and autodiff scalar rate.
struct VectorYDataShape {
  template <class T>
  auto operator()(const T& x) const {
    return varia::gamma_lpdf(x.head(3), 2.5, x(3));
  }
};

// Parameters: log alpha[0..2] and log beta[0..2] over a wide range, against data y.
struct LogParametersDataY {
  Eigen::VectorXd y = Eigen::Vector3d(1e-8, 0.9, 4e3);
  template <class T>
  auto operator()(const T& x) const {
    return varia::gamma_lpdf(y, varia::exp(x.head(3)), varia::exp(x.tail(3)));
  }
};

// Parameters: alpha (autodiff scalar) against data y and a data rate vector.
struct ScalarShapeDataRate {
  Eigen::VectorXd y = Eigen::Vector3d(0.2, 1.0, 7.0);
  Eigen::VectorXd beta = Eigen::Vector3d(0.5, 2.0, 0.1);
  template <class T>
  auto operator()(const T& x) const {
    return varia::gamma_lpdf(y, x(0), beta);
  }
};

}  // namespace

TEST_CASE("gamma_lpdf of doubles matches references") {
  CHECK(varia::gamma_lpdf(1.5, 3.0, 2.0) == Approx(gamma_reference(1.5, 3, 2.0)).epsilon(1e-14));
  CHECK(varia::gamma_lpdf(0.7, 1.0, 2.0) == Approx(std::log(2.0) - 1.4).epsilon(1e-14));

  // /usr/bin/python3 -c "from scipy import stats; print(repr(stats.gamma.logpdf([1e-3, 0.5, 2.0,
  // 30.0], a=[0.4, 2.5, 1.0, 12.0], scale=1/1.3).tolist()))"
  const double scipy[] = {3.4516210554744946, -1.3184929801441096, -2.337635735532509,
                          -15.940765473980287};
  const Eigen::Vector4d y(1e-3, 0.5, 2.0, 30.0);
  const Eigen::Vector4d alpha(0.4, 2.5, 1.0, 12.0);
  for (int i = 0; i < 4; ++i) {
    CHECK(varia::gamma_lpdf(y(i), alpha(i), 1.3) == Approx(scipy[i]).epsilon(1e-14));
  }
  CHECK(varia::gamma_lpdf(y, alpha, 1.3) ==
        Approx(scipy[0] + scipy[1] + scipy[2] + scipy[3]).epsilon(1e-14));
}

TEST_CASE("gamma_lpdf at y = 0") {
  constexpr double infinity = std::numeric_limits<double>::infinity();
  CHECK(varia::gamma_lpdf(0.0, 1.0, 2.0) == Approx(std::log(2.0)));
  CHECK(varia::gamma_lpdf(0.0, 0.5, 2.0) == infinity);
  CHECK(varia::gamma_lpdf(0.0, 2.0, 2.0) == -infinity);
}

TEST_CASE("gamma_lpdf gradient with all scalars autodiff") {
  Eigen::MatrixXd points = varia::test::uniform_points(3, 30, 0.1, 6.0);
  varia::test::expect_ad(AllScalars{}, points);
}

TEST_CASE("gamma_lpdf gradient with vector y and data shape") {
  varia::test::expect_ad(VectorYDataShape{}, varia::test::uniform_points(4, 30, 0.05, 5.0));
}

TEST_CASE("gamma_lpdf gradient over extreme parameters") {
  varia::test::expect_ad(LogParametersDataY{}, varia::test::uniform_points(6, 30, -6.0, 9.0));
}

TEST_CASE("gamma_lpdf gradient with scalar shape and data rates") {
  varia::test::expect_ad(ScalarShapeDataRate{}, varia::test::uniform_points(1, 30, 0.02, 50.0));
}

TEST_CASE("gamma_lpdf gives NaN for invalid autodiff values") {
  const auto [negative_y, gradient] =
      varia::value_and_gradient(AllScalars{}, Eigen::Vector3d(-1.0, 1.0, 1.0));
  CHECK(std::isnan(negative_y));
  const auto [zero_shape, unused] =
      varia::value_and_gradient(AllScalars{}, Eigen::Vector3d(1.0, 0.0, 1.0));
  CHECK(std::isnan(zero_shape));
}

TEST_CASE("gamma_lpdf rejects invalid data") {
  CHECK_THROWS_WITH(varia::gamma_lpdf(Eigen::Vector2d(1.0, -0.5), 1.0, 1.0),
                    "varia::gamma_lpdf: y[1] is -0.500000, but must be nonnegative");
  CHECK_THROWS_WITH(varia::gamma_lpdf(1.0, -1.0, 1.0),
                    "varia::gamma_lpdf: alpha is -1.000000, but must be positive and finite");
  CHECK_THROWS_WITH(varia::gamma_lpdf(1.0, 1.0, std::numeric_limits<double>::infinity()),
                    "varia::gamma_lpdf: beta is inf, but must be positive and finite");
  CHECK_THROWS_AS(varia::gamma_lpdf(Eigen::VectorXd::Ones(2), Eigen::VectorXd::Ones(3), 1.0),
                  std::invalid_argument);
}
