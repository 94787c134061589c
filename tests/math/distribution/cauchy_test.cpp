#include <varia/math/distribution/cauchy.hpp>
#include <varia/math/exp_log.hpp>

#include <cmath>
#include <numbers>
#include <stdexcept>

#include "support/catch.hpp"
#include "support/gradient_check.hpp"

namespace {

// The Cauchy log density written out with scalar operations, as an independent reference.
double cauchy_reference(double y, double mu, double sigma) {
  const double z = (y - mu) / sigma;
  return -std::log(std::numbers::pi * sigma * (1.0 + z * z));
}

// Parameters: y, mu, sigma, all autodiff scalars.
struct AllScalars {
  template <class T>
  auto operator()(const T& x) const {
    return varia::cauchy_lpdf(x(0), x(1), x(2));
  }
};

// Parameters: y[0..2] (autodiff vector) with scalar mu and log sigma.
struct VectorYScalarParameters {
  template <class T>
  auto operator()(const T& x) const {
    return varia::cauchy_lpdf(x.head(3), x(3), varia::exp(x(4)));
  }
};

// Parameters: mu[0..2] and sigma[0..2] (autodiff vectors) against data y.
struct VectorParametersDataY {
  Eigen::VectorXd y = Eigen::Vector3d(0.3, -4.0, 25.0);
  template <class T>
  auto operator()(const T& x) const {
    return varia::cauchy_lpdf(y, x.head(3), x.tail(3));
  }
};

// Parameters: mu only, against data y far in the tails and a data sigma.
struct FarTails {
  Eigen::VectorXd y = Eigen::Vector3d(-1e150, 3.0, 1e200);
  template <class T>
  auto operator()(const T& x) const {
    return varia::cauchy_lpdf(y, x(0), 0.5);
  }
};

}  // namespace

TEST_CASE("cauchy_lpdf of doubles matches references") {
  CHECK(varia::cauchy_lpdf(1.5, 0.5, 2.0) == Approx(cauchy_reference(1.5, 0.5, 2.0)));
  CHECK(varia::cauchy_lpdf(0.0, 0.0, 1.0) == Approx(-std::log(std::numbers::pi)));

  // /usr/bin/python3 -c "from scipy import stats; print(repr(stats.cauchy.logpdf([-3.0, 0.2,
  // 1e3], loc=0.5, scale=2.0).tolist()))"
  const double scipy[] = {-3.2396756140652014, -1.8601276753441653, -14.26609701716535};
  const double y[] = {-3.0, 0.2, 1e3};
  for (int i = 0; i < 3; ++i) {
    CHECK(varia::cauchy_lpdf(y[i], 0.5, 2.0) == Approx(scipy[i]).epsilon(1e-14));
  }
  CHECK(varia::cauchy_lpdf(Eigen::Vector3d(-3.0, 0.2, 1e3), 0.5, 2.0) ==
        Approx(scipy[0] + scipy[1] + scipy[2]).epsilon(1e-14));

  // Where z^2 overflows: -log(pi) - log(2) - log(1 + ((1e200 - 0.5) / 2)^2) from mpmath:
  // /usr/bin/python3 -c "from mpmath import mp, mpf, log, pi; mp.dps = 40;
  // print(mp.nstr(-log(pi) - log(2) - log(1 + ((mpf(10)**200 - mpf('0.5')) / 2)**2), 17))"
  CHECK(varia::cauchy_lpdf(1e200, 0.5, 2.0) == Approx(-921.48561990290773).epsilon(1e-14));
}

TEST_CASE("cauchy_lpdf gradient with all scalars autodiff") {
  Eigen::MatrixXd points = varia::test::uniform_points(3, 30, -6.0, 6.0);
  points.row(2) = (points.row(2).array().abs() + 0.2).matrix();
  varia::test::expect_ad(AllScalars{}, points);
}

TEST_CASE("cauchy_lpdf gradient with vector y") {
  varia::test::expect_ad(VectorYScalarParameters{}, varia::test::uniform_points(5, 30, -3.0, 3.0));
}

TEST_CASE("cauchy_lpdf gradient with vector parameters") {
  Eigen::MatrixXd points = varia::test::uniform_points(6, 30, -5.0, 5.0);
  points.bottomRows(3) = (points.bottomRows(3).array().abs() + 0.1).matrix();
  varia::test::expect_ad(VectorParametersDataY{}, points);
}

TEST_CASE("cauchy_lpdf gradient far in the tails") {
  varia::test::expect_ad(FarTails{}, varia::test::uniform_points(1, 30, -10.0, 10.0));
  const auto [value, gradient] = varia::value_and_gradient(FarTails{}, Eigen::VectorXd::Zero(1));
  CHECK(std::isfinite(value));
  CHECK(std::isfinite(gradient(0)));
}

TEST_CASE("cauchy_lpdf gives NaN for an invalid autodiff scale") {
  const auto [value, gradient] =
      varia::value_and_gradient(AllScalars{}, Eigen::Vector3d(1.0, 0.0, -2.0));
  CHECK(std::isnan(value));
}

TEST_CASE("cauchy_lpdf rejects invalid data") {
  CHECK_THROWS_WITH(varia::cauchy_lpdf(0.0, 0.0, Eigen::Vector2d(1.0, -2.0)),
                    "varia::cauchy_lpdf: sigma[1] is -2.000000, but must be positive and finite");
  CHECK_THROWS_WITH(varia::cauchy_lpdf(std::nan(""), 0.0, 1.0),
                    "varia::cauchy_lpdf: y is nan, but must be not NaN");
  CHECK_THROWS_AS(varia::cauchy_lpdf(Eigen::VectorXd::Zero(2), Eigen::VectorXd::Zero(3), 1.0),
                  std::invalid_argument);
}
