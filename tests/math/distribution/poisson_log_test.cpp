#include <varia/math/distribution/poisson_log.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "support/catch.hpp"
#include "support/gradient_check.hpp"

namespace {

// The Poisson log mass written out with scalar operations, as an independent reference: the
// mass lambda^n exp(-lambda) / n! with lambda = exp(alpha).
double poisson_reference(int n, double alpha) {
  double factorial = 1.0;
  for (int k = 2; k <= n; ++k) {
    factorial *= k;
  }
  const double rate = std::exp(alpha);
  return std::log(std::pow(rate, n) * std::exp(-rate) / factorial);
}

// Parameters: a scalar log rate broadcast over integer counts.
struct ScalarLogRate {
  Eigen::VectorXi n = Eigen::Vector4i(0, 1, 4, 17);
  template <class T>
  auto operator()(const T& x) const {
    return varia::poisson_log_lpmf(n, x(0));
  }
};

// Parameters: log rates alpha[0..3], one per count.
struct VectorLogRate {
  Eigen::VectorXi n = Eigen::Vector4i(0, 3, 12, 250);
  template <class T>
  auto operator()(const T& x) const {
    return varia::poisson_log_lpmf(n, x);
  }
};

// Parameters: log rates alpha, one per element, against a count of 2.
struct ScalarCount {
  template <class T>
  auto operator()(const T& x) const {
    return varia::poisson_log_lpmf(2, x);
  }
};

}  // namespace

TEST_CASE("poisson_log_lpmf of doubles matches references") {
  CHECK(varia::poisson_log_lpmf(3, 0.7) == Approx(poisson_reference(3, 0.7)));
  CHECK(varia::poisson_log_lpmf(0, -2.0) == Approx(-std::exp(-2.0)));

  // /usr/bin/python3 -c "from scipy import stats; import numpy as np;
  // print(repr(stats.poisson.logpmf([0, 1, 4, 60], np.exp(np.array([-1.3, 0.0, 1.2,
  // 4.1]))).tolist()))"
  const double scipy[] = {-0.2725317930340126, -1.0, -1.6981707530844932, -2.9684610210336047};
  const Eigen::Vector4i n(0, 1, 4, 60);
  const Eigen::Vector4d alpha(-1.3, 0.0, 1.2, 4.1);
  // At n = 60 the terms 246, -60.3 and -188.6 cancel to -2.97, so a relative error of 1e-16 in
  // each gives 1e-14 in the sum, both here and in SciPy; the tolerance is 1e-13.
  for (int i = 0; i < 4; ++i) {
    CHECK(varia::poisson_log_lpmf(n(i), alpha(i)) == Approx(scipy[i]).epsilon(1e-13));
  }
  CHECK(varia::poisson_log_lpmf(n, alpha) ==
        Approx(scipy[0] + scipy[1] + scipy[2] + scipy[3]).epsilon(1e-13));
}

TEST_CASE("poisson_log_lpmf is accurate at extreme log rates") {
  // n alpha - exp(alpha) - log(n!) in 40 digits:
  // /usr/bin/python3 -c "from mpmath import mp, exp, loggamma; mp.dps = 40;
  // print([mp.nstr(n*a - exp(a) - loggamma(n+1), 17) for n, a in [(3, -800), (7, 50)]])"
  CHECK(varia::poisson_log_lpmf(3, -800.0) == Approx(-2401.7917594692281).epsilon(1e-15));
  CHECK(varia::poisson_log_lpmf(0, -800.0) == 0.0);
  CHECK(varia::poisson_log_lpmf(7, 50.0) == Approx(-5.1847055285870725e+21).epsilon(1e-15));
  constexpr double infinity = std::numeric_limits<double>::infinity();
  CHECK(varia::poisson_log_lpmf(0, -infinity) == 0.0);
  CHECK(varia::poisson_log_lpmf(1, -infinity) == -infinity);
}

TEST_CASE("poisson_log_lpmf gradient with a scalar log rate") {
  varia::test::expect_ad(ScalarLogRate{}, varia::test::uniform_points(1, 30, -6.0, 6.0));
}

TEST_CASE("poisson_log_lpmf gradient with vector log rates") {
  varia::test::expect_ad(VectorLogRate{}, varia::test::uniform_points(4, 30, -5.0, 7.0));
}

TEST_CASE("poisson_log_lpmf gradient at extreme log rates") {
  // One log rate per run, so that exp(50) does not swamp the finite differences of the others.
  const Eigen::MatrixXd very_negative = Eigen::RowVectorXd::LinSpaced(28, -800.0, -700.0);
  const Eigen::MatrixXd large = Eigen::RowVectorXd::LinSpaced(28, 30.0, 50.0);
  const Eigen::MatrixXd moderate = Eigen::RowVectorXd::LinSpaced(28, -50.0, 0.0);
  varia::test::expect_ad(ScalarCount{}, very_negative);
  varia::test::expect_ad(ScalarCount{}, large);
  varia::test::expect_ad(ScalarCount{}, moderate);
  const auto [value, gradient] =
      varia::value_and_gradient(ScalarCount{}, Eigen::Vector3d(-800.0, 50.0, 0.0));
  CHECK(gradient(0) == 2.0);
  CHECK(gradient(1) == Approx(2.0 - std::exp(50.0)).epsilon(1e-15));
  CHECK(gradient(2) == Approx(1.0).epsilon(1e-15));
}

TEST_CASE("poisson_log_lpmf rejects invalid data") {
  CHECK_THROWS_WITH(
      varia::poisson_log_lpmf(Eigen::Vector2i(1, -2), 0.0),
      "varia::poisson_log_lpmf: n[1] is -2.000000, but must be a nonnegative integer");
  CHECK_THROWS_WITH(varia::poisson_log_lpmf(1.5, 0.0),
                    "varia::poisson_log_lpmf: n is 1.500000, but must be a nonnegative integer");
  CHECK_THROWS_WITH(varia::poisson_log_lpmf(1, std::nan("")),
                    "varia::poisson_log_lpmf: alpha is nan, but must be not NaN");
  CHECK_THROWS_AS(varia::poisson_log_lpmf(Eigen::VectorXi::Ones(2), Eigen::VectorXd::Zero(3)),
                  std::invalid_argument);
}
