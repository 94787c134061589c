#include <varia/math/distribution/normal.hpp>
#include <varia/math/distribution/student_t.hpp>
#include <varia/math/exp_log.hpp>

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

#include "support/catch.hpp"
#include "support/gradient_check.hpp"

namespace {

// The Student t log density for nu = 1 and nu = 3, where the gamma functions have closed forms:
// Gamma(1) / Gamma(1/2) = 1 / sqrt(pi) and Gamma(2) / Gamma(3/2) = 2 / sqrt(pi).
double student_t_reference(double y, int nu, double mu, double sigma) {
  const double z = (y - mu) / sigma;
  const double ratio =
      nu == 1 ? 1.0 / std::sqrt(std::numbers::pi) : 2.0 / std::sqrt(std::numbers::pi);
  return std::log(ratio / (std::sqrt(nu * std::numbers::pi) * sigma) *
                  std::pow(1.0 + z * z / nu, -0.5 * (nu + 1)));
}

// Parameters: y, nu, mu, sigma, all autodiff scalars.
struct AllScalars {
  template <class T>
  auto operator()(const T& x) const {
    return varia::student_t_lpdf(x(0), x(1), x(2), x(3));
  }
};

// Parameters: y[0..2] (autodiff vector) with data nu, autodiff mu and log sigma.
struct VectorYDataNu {
  template <class T>
  auto operator()(const T& x) const {
    return varia::student_t_lpdf(x.head(3), 4.0, x(3), varia::exp(x(4)));
  }
};

// Parameters: log nu[0..2] over a wide range and sigma[0..2] (autodiff vectors) against data y
// and a data location.
struct LogNuVectorSigma {
  Eigen::VectorXd y = Eigen::Vector3d(-0.7, 2.5, 40.0);
  template <class T>
  auto operator()(const T& x) const {
    return varia::student_t_lpdf(y, varia::exp(x.head(3)), 0.3, x.tail(3));
  }
};

// Parameters: nu (autodiff scalar) against data y, mu and sigma.
struct ScalarNuDataRest {
  Eigen::VectorXd y = Eigen::Vector3d(0.1, -3.0, 12.0);
  Eigen::VectorXd mu = Eigen::Vector3d(0.0, 1.0, -1.0);
  template <class T>
  auto operator()(const T& x) const {
    return varia::student_t_lpdf(y, x(0), mu, 2.0);
  }
};

}  // namespace

TEST_CASE("student_t_lpdf of doubles matches references") {
  CHECK(varia::student_t_lpdf(1.5, 1.0, 0.5, 2.0) ==
        Approx(student_t_reference(1.5, 1, 0.5, 2.0)).epsilon(1e-14));
  CHECK(varia::student_t_lpdf(-0.4, 3.0, 0.5, 0.7) ==
        Approx(student_t_reference(-0.4, 3, 0.5, 0.7)).epsilon(1e-14));

  // /usr/bin/python3 -c "from scipy import stats; print(repr(stats.t.logpdf([-3.0, 0.2, 1.5,
  // 40.0], [0.5, 3.0, 25.0, 2.0], loc=0.4, scale=1.7).tolist()))"
  const double scipy[] = {-3.4890796099758443, -1.5407231008296018, -1.67547739688227,
                          -9.980749461090463};
  const Eigen::Vector4d y(-3.0, 0.2, 1.5, 40.0);
  const Eigen::Vector4d nu(0.5, 3.0, 25.0, 2.0);
  for (int i = 0; i < 4; ++i) {
    CHECK(varia::student_t_lpdf(y(i), nu(i), 0.4, 1.7) == Approx(scipy[i]).epsilon(1e-14));
  }
  CHECK(varia::student_t_lpdf(y, nu, 0.4, 1.7) ==
        Approx(scipy[0] + scipy[1] + scipy[2] + scipy[3]).epsilon(1e-14));
}

TEST_CASE("student_t_lpdf at large nu and far tails") {
  // The density in 50 digits:
  // /usr/bin/python3 -c "from mpmath import mp, mpf, loggamma, log, pi; mp.dps = 50;
  // t = lambda y, nu, mu, s: loggamma((mpf(nu) + 1)/2) - loggamma(mpf(nu)/2) - log(mpf(nu)*pi)/2
  // - log(mpf(s)) - (mpf(nu) + 1)/2*log(1 + ((mpf(y) - mpf(mu))/mpf(s))**2/mpf(nu));
  // print([mp.nstr(t(*a), 17) for a in [(1.3, 1e8, 0.2, 0.9), (0.5, 40, 0, 2), (2.0, 1e15, 0, 1),
  // ('1e200', 3, 0, 1)]])"
  CHECK(varia::student_t_lpdf(1.3, 1e8, 0.2, 0.9) == Approx(-1.5604916021840969).epsilon(1e-15));
  CHECK(varia::student_t_lpdf(0.5, 40.0, 0.0, 2.0) == Approx(-1.6503413148328357).epsilon(1e-15));
  CHECK(varia::student_t_lpdf(2.0, 1e15, 0.0, 1.0) == Approx(-2.918938533204671).epsilon(1e-15));
  CHECK(varia::student_t_lpdf(1e200, 3.0, 0.0, 1.0) == Approx(-1840.8717386675238).epsilon(1e-15));
  // At nu = 1e8 the difference from the normal density is about (z^4 - 2 z^2 - 1) / (4 nu).
  const double z = (1.3 - 0.2) / 0.9;
  CHECK(varia::student_t_lpdf(1.3, 1e8, 0.2, 0.9) - varia::normal_lpdf(1.3, 0.2, 0.9) ==
        Approx((z * z * z * z - 2.0 * z * z - 1.0) / 4e8).epsilon(1e-6));
}

TEST_CASE("student_t_lpdf gradient with all scalars autodiff") {
  Eigen::MatrixXd points = varia::test::uniform_points(4, 30, -4.0, 4.0);
  points.row(1) = varia::test::uniform_points(1, 30, 0.3, 60.0, 21u);
  points.row(3) = varia::test::uniform_points(1, 30, 0.2, 5.0, 22u);
  varia::test::expect_ad(AllScalars{}, points);
}

TEST_CASE("student_t_lpdf gradient with vector y and data nu") {
  varia::test::expect_ad(VectorYDataNu{}, varia::test::uniform_points(5, 30, -3.0, 3.0));
}

TEST_CASE("student_t_lpdf gradient over extreme nu") {
  Eigen::MatrixXd points = varia::test::uniform_points(6, 30, -3.0, 20.0);
  points.bottomRows(3) = varia::test::uniform_points(3, 30, 0.1, 4.0, 23u);
  varia::test::expect_ad(LogNuVectorSigma{}, points);
}

TEST_CASE("student_t_lpdf gradient with scalar nu and data rest") {
  varia::test::expect_ad(ScalarNuDataRest{}, varia::test::uniform_points(1, 30, 0.1, 100.0));
}

TEST_CASE("student_t_lpdf gives NaN for invalid autodiff values") {
  const auto [zero_nu, gradient] =
      varia::value_and_gradient(AllScalars{}, Eigen::Vector4d(1.0, 0.0, 0.0, 1.0));
  CHECK(std::isnan(zero_nu));
  const auto [negative_sigma, unused] =
      varia::value_and_gradient(AllScalars{}, Eigen::Vector4d(1.0, 3.0, 0.0, -1.0));
  CHECK(std::isnan(negative_sigma));
}

TEST_CASE("student_t_lpdf rejects invalid data") {
  CHECK_THROWS_WITH(varia::student_t_lpdf(0.0, Eigen::Vector2d(3.0, 0.0), 0.0, 1.0),
                    "varia::student_t_lpdf: nu[1] is 0.000000, but must be positive and finite");
  CHECK_THROWS_WITH(varia::student_t_lpdf(0.0, 3.0, 0.0, -1.0),
                    "varia::student_t_lpdf: sigma is -1.000000, but must be positive and finite");
  CHECK_THROWS_WITH(varia::student_t_lpdf(std::nan(""), 3.0, 0.0, 1.0),
                    "varia::student_t_lpdf: y is nan, but must be not NaN");
  CHECK_THROWS_AS(
      varia::student_t_lpdf(Eigen::VectorXd::Zero(2), 3.0, Eigen::VectorXd::Zero(3), 1.0),
      std::invalid_argument);
}
