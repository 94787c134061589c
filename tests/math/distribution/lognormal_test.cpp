#include <varia/math/distribution/lognormal.hpp>
#include <varia/math/exp_log.hpp>

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

#include "support/catch.hpp"
#include "support/gradient_check.hpp"

namespace {

// The lognormal log density written out with scalar operations, as an independent reference:
// the density 1 / (y sigma sqrt(2 pi)) exp(-(log y - mu)^2 / (2 sigma^2)).
double lognormal_reference(double y, double mu, double sigma) {
  const double z = (std::log(y) - mu) / sigma;
  return std::log(std::exp(-0.5 * z * z) / (y * sigma * std::sqrt(2.0 * std::numbers::pi)));
}

// Parameters: y, mu, sigma, all autodiff scalars.
struct AllScalars {
  template <class T>
  auto operator()(const T& x) const {
    return varia::lognormal_lpdf(x(0), x(1), x(2));
  }
};

// Parameters: log y[0..2] (autodiff vector), with data mu and autodiff log sigma.
struct VectorYScalarSigma {
  template <class T>
  auto operator()(const T& x) const {
    return varia::lognormal_lpdf(varia::exp(x.head(3)), -0.3, varia::exp(x(3)));
  }
};

// Parameters: mu[0..2] and sigma[0..2] against data y spanning many orders of magnitude.
struct VectorParametersDataY {
  Eigen::VectorXd y = Eigen::Vector3d(1e-30, 0.8, 1e25);
  template <class T>
  auto operator()(const T& x) const {
    return varia::lognormal_lpdf(y, x.head(3), x.tail(3));
  }
};

// Parameters: mu, against data y with a zero.
struct ZeroInData {
  Eigen::VectorXd y = Eigen::Vector2d(1.0, 0.0);
  template <class T>
  auto operator()(const T& x) const {
    return varia::lognormal_lpdf(y, x(0), 1.0);
  }
};

}  // namespace

TEST_CASE("lognormal_lpdf of doubles matches references") {
  CHECK(varia::lognormal_lpdf(1.5, 0.5, 2.0) == Approx(lognormal_reference(1.5, 0.5, 2.0)));
  CHECK(varia::lognormal_lpdf(1.0, 0.0, 1.0) == Approx(-0.5 * std::log(2.0 * std::numbers::pi)));

  // /usr/bin/python3 -c "from scipy import stats; import numpy as np;
  // print(repr(stats.lognorm.logpdf([1e-3, 0.5, 1.0, 30.0], s=0.8, scale=np.exp(0.4)).tolist()))"
  const double scipy[] = {-35.5093578415734, -0.9362187063040783, -0.820794981890463,
                          -11.133856210189945};
  const double y[] = {1e-3, 0.5, 1.0, 30.0};
  for (int i = 0; i < 4; ++i) {
    CHECK(varia::lognormal_lpdf(y[i], 0.4, 0.8) == Approx(scipy[i]).epsilon(1e-14));
  }
  CHECK(varia::lognormal_lpdf(Eigen::Vector4d(1e-3, 0.5, 1.0, 30.0), 0.4, 0.8) ==
        Approx(scipy[0] + scipy[1] + scipy[2] + scipy[3]).epsilon(1e-14));
}

TEST_CASE("lognormal_lpdf of a zero observation is minus infinity") {
  constexpr double infinity = std::numeric_limits<double>::infinity();
  CHECK(varia::lognormal_lpdf(0.0, 0.0, 1.0) == -infinity);
  CHECK(varia::lognormal_lpdf(Eigen::Vector2d(1.0, 0.0), 0.0, 1.0) == -infinity);
  const auto [value, gradient] = varia::value_and_gradient(ZeroInData{}, Eigen::VectorXd::Zero(1));
  CHECK(value == -infinity);
}

TEST_CASE("lognormal_lpdf gradient with all scalars autodiff") {
  Eigen::MatrixXd points = varia::test::uniform_points(3, 30, -3.0, 3.0);
  points.row(0) = (points.row(0).array().abs() + 0.05).matrix();
  points.row(2) = (points.row(2).array().abs() + 0.2).matrix();
  varia::test::expect_ad(AllScalars{}, points);
}

TEST_CASE("lognormal_lpdf gradient with vector y") {
  varia::test::expect_ad(VectorYScalarSigma{}, varia::test::uniform_points(4, 30, -4.0, 4.0));
}

TEST_CASE("lognormal_lpdf gradient with vector parameters") {
  Eigen::MatrixXd points = varia::test::uniform_points(6, 30, -5.0, 5.0);
  points.bottomRows(3) = (points.bottomRows(3).array().abs() + 0.5).matrix();
  varia::test::expect_ad(VectorParametersDataY{}, points);
}

TEST_CASE("lognormal_lpdf gives NaN for invalid autodiff values") {
  const auto [negative_y, gradient] =
      varia::value_and_gradient(AllScalars{}, Eigen::Vector3d(-1.0, 0.0, 1.0));
  CHECK(std::isnan(negative_y));
  const auto [zero_sigma, unused] =
      varia::value_and_gradient(AllScalars{}, Eigen::Vector3d(1.0, 0.0, 0.0));
  CHECK(std::isnan(zero_sigma));
}

TEST_CASE("lognormal_lpdf rejects invalid data") {
  CHECK_THROWS_WITH(varia::lognormal_lpdf(Eigen::Vector2d(1.0, -2.0), 0.0, 1.0),
                    "varia::lognormal_lpdf: y[1] is -2.000000, but must be nonnegative");
  CHECK_THROWS_WITH(varia::lognormal_lpdf(1.0, std::numeric_limits<double>::infinity(), 1.0),
                    "varia::lognormal_lpdf: mu is inf, but must be finite");
  CHECK_THROWS_WITH(varia::lognormal_lpdf(1.0, 0.0, 0.0),
                    "varia::lognormal_lpdf: sigma is 0.000000, but must be positive and finite");
  CHECK_THROWS_AS(varia::lognormal_lpdf(Eigen::VectorXd::Ones(2), 0.0, Eigen::VectorXd::Ones(3)),
                  std::invalid_argument);
}
