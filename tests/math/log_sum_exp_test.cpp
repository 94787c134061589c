#include <varia/math/log_sum_exp.hpp>

#include <cmath>
#include <limits>
#include <numbers>

#include "support/catch.hpp"
#include "support/gradient_check.hpp"

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

struct Pairwise {
  template <class T>
  auto operator()(const T& x) const {
    return varia::log_sum_exp(x(0), x(1)) + varia::log_sum_exp(x(1), 0.3);
  }
};

struct WholeVector {
  template <class T>
  auto operator()(const T& x) const {
    return varia::log_sum_exp(x);
  }
};

struct PairwiseVectors {
  template <class T>
  auto operator()(const T& x) const {
    if constexpr (varia::ad::VectorExpression<T>) {
      return varia::ad::sum(varia::log_sum_exp(x.head(2), x.tail(2))) +
             varia::ad::sum(varia::log_sum_exp(x, x(0)));
    } else {
      return varia::log_sum_exp(x.head(2), x.tail(2)).sum() + varia::log_sum_exp(x, x(0)).sum();
    }
  }
};

// log(sum exp) evaluated naively in long double, for moderate arguments.
double naive(const Eigen::VectorXd& x) {
  long double sum = 0.0L;
  for (const double xi : x) {
    sum += std::exp(static_cast<long double>(xi));
  }
  return static_cast<double>(std::log(sum));
}

}  // namespace

TEST_CASE("pairwise log_sum_exp matches closed forms") {
  CHECK(varia::log_sum_exp(0.0, 0.0) == std::numbers::ln2);
  CHECK(varia::log_sum_exp(1000.0, 1000.0) == 1000.0 + std::numbers::ln2);
  CHECK(varia::log_sum_exp(-inf, -inf) == -inf);
  CHECK(varia::log_sum_exp(inf, inf) == inf);
  CHECK(varia::log_sum_exp(-inf, 2.0) == 2.0);
  CHECK(std::abs(varia::log_sum_exp(1.0, 2.0) - std::log(std::exp(1.0) + std::exp(2.0))) <=
        4e-16 * 2.4);
}

TEST_CASE("pairwise log_sum_exp of arrays matches doubles") {
  Eigen::ArrayXd a(7);
  Eigen::ArrayXd b(7);
  a << -inf, inf, -inf, 1000.0, -3.0, 0.5, 1e-20;
  b << -inf, inf, 4.0, 999.0, -700.0, 0.25, -1e-20;
  const Eigen::ArrayXd result = varia::log_sum_exp(a, b);
  for (Eigen::Index i = 0; i < a.size(); ++i) {
    INFO("a = " << a(i) << ", b = " << b(i));
    CHECK(varia::test::close(result(i), varia::log_sum_exp(a(i), b(i)), 4e-16));
  }
  Eigen::ArrayXd with_nan(2);
  with_nan << 1.0, std::numeric_limits<double>::quiet_NaN();
  CHECK(std::isnan(varia::log_sum_exp(with_nan, a.head(2))(1)));
  CHECK(std::isnan(varia::log_sum_exp(a.head(2), with_nan)(1)));
}

TEST_CASE("log_sum_exp of an Eigen vector") {
  Eigen::VectorXd x(4);
  x << 0.3, -1.2, 2.5, 0.0;
  CHECK(std::abs(varia::log_sum_exp(x) - naive(x)) <= 4e-16 * std::abs(naive(x)));
  CHECK(varia::log_sum_exp(Eigen::VectorXd::Constant(3, -inf)) == -inf);
  CHECK(varia::log_sum_exp(Eigen::VectorXd(0)) == -inf);
  CHECK(varia::log_sum_exp(Eigen::VectorXd::Constant(2, 800.0)) == 800.0 + std::numbers::ln2);
}

TEST_CASE("log_sum_exp gradients match finite differences") {
  varia::test::expect_ad(Pairwise{}, varia::test::uniform_points(2, 40, -20.0, 20.0));
  varia::test::expect_ad(WholeVector{}, varia::test::uniform_points(5, 30, -20.0, 20.0));
  // The default finite-difference step is relative to |x|, too coarse at x = 700.
  varia::test::expect_ad(WholeVector{}, varia::test::uniform_points(3, 30, 700.0, 720.0), 1e-6,
                         1e-6);
  varia::test::expect_ad(PairwiseVectors{}, varia::test::uniform_points(4, 30, -5.0, 5.0));
}

TEST_CASE("log_sum_exp of a vector of -inf is -inf") {
  Eigen::VectorXd x = Eigen::VectorXd::Constant(3, -inf);
  const auto [value, gradient] = varia::value_and_gradient(WholeVector{}, x);
  CHECK(value == -inf);
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    CHECK(gradient(i) == 1.0 / 3.0);
  }
}

TEST_CASE("log_sum_exp lanes with -inf and +inf") {
  // Lanes 0 and 1 are all -inf and contain +inf; the others are finite.
  Eigen::MatrixXd points = varia::test::uniform_points(3, 20, -2.0, 2.0);
  points.col(0).setConstant(-inf);
  points(1, 1) = inf;
  Eigen::VectorXd values;
  Eigen::MatrixXd gradients;
  varia::value_and_gradient_lanes(WholeVector{}, points, values, gradients);
  CHECK(values(0) == -inf);
  CHECK(values(1) == inf);
  CHECK(gradients(0, 0) == 1.0 / 3.0);
  CHECK(gradients(1, 1) == 1.0);
  CHECK(gradients(0, 1) == 0.0);
  for (Eigen::Index s = 2; s < points.cols(); ++s) {
    const Eigen::VectorXd x = points.col(s);
    CHECK(std::abs(values(s) - naive(x)) <= 1e-15 * std::max(1.0, std::abs(naive(x))));
    const Eigen::VectorXd softmax = (x.array() - naive(x)).exp().matrix();
    for (Eigen::Index i = 0; i < x.size(); ++i) {
      CHECK(std::abs(gradients(i, s) - softmax(i)) <= 1e-15);
    }
  }
}
