#include <varia/math/distribution/bernoulli_logit.hpp>
#include <varia/math/logistic.hpp>

#include <cmath>
#include <limits>

#include "support/catch.hpp"
#include "support/gradient_check.hpp"

namespace {

// The Bernoulli-logit log mass of one outcome with the standard library's log1p, as an
// independent reference.
double bernoulli_logit_reference(double y, double eta) {
  return y * eta - (std::max(eta, 0.0) + std::log1p(std::exp(-std::abs(eta))));
}

// Logistic regression likelihood over 300 rows: more than one block of entries at one lane, and
// a partial last block at 16 lanes.
struct LogisticLikelihood {
  Eigen::MatrixXd x = varia::test::uniform_points(300, 3, -2.0, 2.0, 11);
  Eigen::VectorXd y =
      (varia::test::uniform_points(300, 1, 0.0, 1.0, 12).array() < 0.4).cast<double>().matrix();
  // With doubles, x * beta is an Eigen product expression, which the density evaluates once.
  template <class T>
  auto operator()(const T& beta) const {
    return varia::bernoulli_logit_lpmf(y, x * beta);
  }
};

// A scalar logit shared by a vector of outcomes.
struct SharedLogit {
  Eigen::VectorXd y = Eigen::Vector4d(1.0, 0.0, 0.0, 1.0);
  template <class T>
  auto operator()(const T& x) const {
    return varia::bernoulli_logit_lpmf(y, x(0) * 3.0);
  }
};

// Two outcomes with their own logits.
struct TwoOutcomes {
  Eigen::Vector2d y = Eigen::Vector2d(1.0, 0.0);
  template <class T>
  auto operator()(const T& eta) const {
    return varia::bernoulli_logit_lpmf(y, eta);
  }
};

}  // namespace

TEST_CASE("bernoulli_logit_lpmf of doubles matches log1p") {
  for (double eta : {-800.0, -40.0, -5.0, -0.3, 0.0, 1e-9, 0.7, 12.0, 40.0, 800.0}) {
    for (double y : {0.0, 1.0}) {
      INFO("eta " << eta << ", y " << y);
      const double expected = bernoulli_logit_reference(y, eta);
      CHECK(varia::bernoulli_logit_lpmf(y, eta) == Approx(expected).epsilon(1e-15).margin(1e-300));
      const Eigen::VectorXd etas = Eigen::VectorXd::Constant(3, eta);
      CHECK(varia::bernoulli_logit_lpmf(Eigen::VectorXd::Constant(3, y), etas) ==
            Approx(3.0 * expected).epsilon(1e-15).margin(1e-300));
    }
  }
}

TEST_CASE("log1p_small and logistic_from agree with the standard library") {
  // e = exp(-|x|) covers [0, 1], including values below rounding of 1 + e and subnormals.
  Eigen::ArrayXd e(12);
  e << 0.0, 4.9e-324, 5.6e-309, 1e-300, 1e-17, 1.1e-16, 3e-16, 1e-10, 1e-3, 0.25, 0.7, 1.0;
  const Eigen::ArrayXd result = varia::detail::log1p_small(e);
  for (Eigen::Index i = 0; i < e.size(); ++i) {
    INFO("e = " << e(i));
    const double expected = std::log1p(e(i));
    // A few ulps, relative; the subnormal and zero inputs must come back exactly.
    CHECK(std::abs(result(i) - expected) <=
          4.0 * std::numeric_limits<double>::epsilon() * expected);
  }
  Eigen::ArrayXd x(7);
  x << -750.0, -30.0, -1.0, 0.0, 1.0, 30.0, 750.0;
  const Eigen::ArrayXd logistic =
      varia::detail::logistic_from(x, Eigen::ArrayXd(varia::detail::exp_negative_abs(x)));
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    INFO("x = " << x(i));
    const double expected = 1.0 / (1.0 + std::exp(-x(i)));
    // Eigen's vectorized exp gives about 5.6e-309 instead of 0 below -709: an absolute floor.
    CHECK(std::abs(logistic(i) - expected) <=
          2.0 * std::numeric_limits<double>::epsilon() * expected + 1e-300);
  }
}

TEST_CASE("bernoulli_logit_lpmf gradient with a vector of logits") {
  varia::test::expect_ad(LogisticLikelihood{}, varia::test::uniform_points(3, 30, -1.0, 1.0));
}

TEST_CASE("bernoulli_logit_lpmf gradient with a shared scalar logit") {
  varia::test::expect_ad(SharedLogit{}, varia::test::uniform_points(1, 30, -3.0, 3.0));
}

TEST_CASE("bernoulli_logit_lpmf gradient is y - inv_logit(eta) at extreme logits") {
  // At |eta| = 800 exp(-|eta|) underflows (or nearly), and the exact partials are 0 or +-1.
  for (double eta : {-800.0, 800.0}) {
    const auto [value, gradient] =
        varia::value_and_gradient(TwoOutcomes{}, Eigen::VectorXd::Constant(2, eta));
    INFO("eta " << eta);
    CHECK(value ==
          Approx(bernoulli_logit_reference(1.0, eta) + bernoulli_logit_reference(0.0, eta)));
    const double logistic = eta > 0.0 ? 1.0 : 0.0;
    CHECK(std::abs(gradient(0) - (1.0 - logistic)) <= 1e-300);
    CHECK(std::abs(gradient(1) - (0.0 - logistic)) <= 1e-300);
  }
}

TEST_CASE("bernoulli_logit_lpmf rejects invalid data") {
  const Eigen::Vector2d y(0.0, 2.0);
  CHECK_THROWS_WITH(varia::bernoulli_logit_lpmf(y, 0.5),
                    "varia::bernoulli_logit_lpmf: y[1] is 2.000000, but must be 0 or 1");
  CHECK_THROWS_AS(varia::bernoulli_logit_lpmf(Eigen::VectorXd(Eigen::Vector2d(0.0, 1.0)),
                                              Eigen::VectorXd::Zero(3)),
                  std::invalid_argument);
}
