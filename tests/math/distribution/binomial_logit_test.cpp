#include <varia/math/distribution/binomial_logit.hpp>

#include <cmath>
#include <stdexcept>

#include "support/catch.hpp"
#include "support/gradient_check.hpp"

namespace {

// The binomial log mass written out with scalar operations, as an independent reference: the
// mass C(N, n) p^n (1 - p)^(N - n) with p = 1 / (1 + exp(-alpha)).
double binomial_reference(int n, int trials, double alpha) {
  double coefficient = 1.0;
  for (int k = 1; k <= n; ++k) {
    coefficient = coefficient * (trials - n + k) / k;
  }
  const double p = 1.0 / (1.0 + std::exp(-alpha));
  return std::log(coefficient * std::pow(p, n) * std::pow(1.0 - p, trials - n));
}

// Parameters: a scalar logit against vectors of successes and trials.
struct ScalarLogit {
  Eigen::VectorXi n = Eigen::Vector4i(0, 3, 7, 20);
  Eigen::VectorXi trials = Eigen::Vector4i(5, 10, 7, 40);
  template <class T>
  auto operator()(const T& x) const {
    return varia::binomial_logit_lpmf(n, trials, x(0));
  }
};

// Parameters: logits alpha[0..3] with a scalar number of trials.
struct VectorLogit {
  Eigen::VectorXi n = Eigen::Vector4i(0, 2, 9, 12);
  template <class T>
  auto operator()(const T& x) const {
    return varia::binomial_logit_lpmf(n, 12, x);
  }
};

}  // namespace

TEST_CASE("binomial_logit_lpmf of doubles matches references") {
  CHECK(varia::binomial_logit_lpmf(3, 8, 0.4) == Approx(binomial_reference(3, 8, 0.4)));
  CHECK(varia::binomial_logit_lpmf(0, 0, 2.5) == 0.0);

  // /usr/bin/python3 -c "from scipy import stats, special; print(repr(stats.binom.logpmf([0, 3,
  // 7, 20], [5, 10, 7, 40], special.expit([-2.0, 0.3, 1.5, -0.1])).tolist()))"
  const double scipy[] = {-0.6346400552148624, -2.8560607019032247, -1.4098929458792668,
                          -2.126459609692416};
  const Eigen::Vector4i n(0, 3, 7, 20);
  const Eigen::Vector4i trials(5, 10, 7, 40);
  const Eigen::Vector4d alpha(-2.0, 0.3, 1.5, -0.1);
  for (int i = 0; i < 4; ++i) {
    CHECK(varia::binomial_logit_lpmf(n(i), trials(i), alpha(i)) == Approx(scipy[i]).epsilon(1e-14));
  }
  CHECK(varia::binomial_logit_lpmf(n, trials, alpha) ==
        Approx(scipy[0] + scipy[1] + scipy[2] + scipy[3]).epsilon(1e-14));
}

TEST_CASE("binomial_logit_lpmf is accurate at extreme logits") {
  // log C(N, n) - n log(1 + exp(-alpha)) - (N - n) log(1 + exp(alpha)) in 40 digits:
  // /usr/bin/python3 -c "from mpmath import mp, log, exp, binomial; mp.dps = 40;
  // print([mp.nstr(log(binomial(N, n)) - n*log(1 + exp(-a)) - (N - n)*log(1 + exp(a)), 17) for
  // n, N, a in [(3, 10, 800), (3, 10, -800)]])"
  CHECK(varia::binomial_logit_lpmf(3, 10, 800.0) == Approx(-5595.212508257218).epsilon(1e-15));
  CHECK(varia::binomial_logit_lpmf(3, 10, -800.0) == Approx(-2395.212508257218).epsilon(1e-15));
  CHECK(varia::binomial_logit_lpmf(0, 10, -800.0) == 0.0);
  CHECK(varia::binomial_logit_lpmf(10, 10, 800.0) == 0.0);
}

TEST_CASE("binomial_logit_lpmf gradient with a scalar logit") {
  varia::test::expect_ad(ScalarLogit{}, varia::test::uniform_points(1, 30, -8.0, 8.0));
}

TEST_CASE("binomial_logit_lpmf gradient with vector logits") {
  varia::test::expect_ad(VectorLogit{}, varia::test::uniform_points(4, 30, -6.0, 6.0));
}

TEST_CASE("binomial_logit_lpmf gradient at extreme logits") {
  Eigen::MatrixXd points(4, 28);
  points.row(0) = Eigen::RowVectorXd::LinSpaced(28, -800.0, -30.0);
  points.row(1) = Eigen::RowVectorXd::LinSpaced(28, 30.0, 800.0);
  points.row(2) = Eigen::RowVectorXd::LinSpaced(28, 800.0, -800.0);
  points.row(3) = Eigen::RowVectorXd::LinSpaced(28, -40.0, 40.0);
  varia::test::expect_ad(VectorLogit{}, points);
  // The partials n - N inv_logit(alpha) reach their limits n - N and n exactly.
  const auto [value, gradient] =
      varia::value_and_gradient(VectorLogit{}, Eigen::Vector4d(800.0, -800.0, 800.0, -800.0));
  CHECK(std::isfinite(value));
  CHECK(gradient(0) == -12.0);
  CHECK(gradient(1) == 2.0);
  CHECK(gradient(2) == -3.0);
  CHECK(gradient(3) == 12.0);
}

TEST_CASE("binomial_logit_lpmf rejects invalid data") {
  CHECK_THROWS_WITH(varia::binomial_logit_lpmf(Eigen::Vector2i(1, 4), 3, 0.0),
                    "varia::binomial_logit_lpmf: n[1] is 4.000000, but must be at most N, which "
                    "is 3.000000");
  CHECK_THROWS_WITH(
      varia::binomial_logit_lpmf(1, -3, 0.0),
      "varia::binomial_logit_lpmf: N is -3.000000, but must be a nonnegative integer");
  CHECK_THROWS_WITH(varia::binomial_logit_lpmf(0.5, 3, 0.0),
                    "varia::binomial_logit_lpmf: n is 0.500000, but must be a nonnegative integer");
  CHECK_THROWS_WITH(varia::binomial_logit_lpmf(1, 3, std::nan("")),
                    "varia::binomial_logit_lpmf: alpha is nan, but must be not NaN");
  CHECK_THROWS_AS(
      varia::binomial_logit_lpmf(Eigen::VectorXi::Ones(2), Eigen::VectorXi::Ones(3), 0.0),
      std::invalid_argument);
}
