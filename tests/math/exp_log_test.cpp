#include <varia/math/exp_log.hpp>

#include <cmath>
#include <limits>

#include "support/catch.hpp"
#include "support/gradient_check.hpp"

namespace {

struct ExpOfSum {
  template <class T>
  auto operator()(const T& x) const {
    return varia::exp(x(0) + 2.0 * x(1));
  }
};

struct LogOfProduct {
  template <class T>
  auto operator()(const T& x) const {
    return varia::log(x(0) * x(1));
  }
};

struct Expm1 {
  template <class T>
  auto operator()(const T& x) const {
    return varia::expm1(x(0));
  }
};

}  // namespace

TEST_CASE("exp and log of doubles match std") {
  CHECK(varia::exp(0.7) == std::exp(0.7));
  CHECK(varia::log(0.7) == std::log(0.7));
  CHECK(varia::log(0.0) == -std::numeric_limits<double>::infinity());
}

TEST_CASE("exp gradient matches finite differences") {
  varia::test::expect_ad(ExpOfSum{}, varia::test::uniform_points(2, 30, -3.0, 3.0));
}

TEST_CASE("log gradient matches finite differences") {
  varia::test::expect_ad(LogOfProduct{}, varia::test::uniform_points(2, 30, 0.1, 5.0));
}

namespace {

struct Log1pExpm1 {
  template <class T>
  auto operator()(const T& x) const {
    return varia::log1p(x(0)) * varia::expm1(x(1));
  }
};

struct Log1pExpm1Sum {
  template <class T>
  auto operator()(const T& x) const {
    if constexpr (varia::ad::VectorExpression<T>) {
      return varia::ad::sum(varia::log1p(x)) + varia::ad::sum(varia::expm1(x));
    } else {
      return varia::log1p(x).sum() + varia::expm1(x).sum();
    }
  }
};

// Arguments from -1 to 1e300, tiny ones of both signs included.
Eigen::ArrayXd log1p_arguments() {
  Eigen::ArrayXd x(20);
  x << -1.0, -0.9999999999999999, -0.75, -0.3, -1e-5, -1e-10, -1e-17, -1e-300, 0.0, 1e-300, 1e-17,
      1e-12, 1e-10, 3e-8, 0.01, 0.5, 1.0, 7.0, 1e10, 1e300;
  return x;
}

}  // namespace

TEST_CASE("log1p and expm1 of tiny arguments match their series") {
  for (const double x : {1e-10, -1e-10, 1e-13, -3e-12, 1e-200}) {
    INFO("x = " << x);
    const double log1p_series = x - x * x / 2.0 + x * x * x / 3.0;
    const double expm1_series = x + x * x / 2.0 + x * x * x / 6.0;
    CHECK(std::abs(varia::log1p(x) - log1p_series) <= 2e-16 * std::abs(x));
    CHECK(std::abs(varia::expm1(x) - expm1_series) <= 2e-16 * std::abs(x));
  }
  CHECK(varia::log1p(1e-17) == 1e-17);
  CHECK(varia::expm1(-1e-17) == -1e-17);
}

TEST_CASE("vectorized log1p matches std::log1p") {
  const Eigen::ArrayXd x = log1p_arguments();
  const Eigen::ArrayXd result = varia::log1p(x);
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const double expected = std::log1p(x(i));
    INFO("x = " << x(i) << ", log1p " << result(i) << ", std::log1p " << expected);
    if (std::isinf(expected)) {
      CHECK(result(i) == expected);
    } else {
      CHECK(std::abs(result(i) - expected) <= 4.5e-16 * std::abs(expected));
    }
  }
  const double inf = std::numeric_limits<double>::infinity();
  Eigen::ArrayXd special(3);
  special << inf, -2.0, std::numeric_limits<double>::quiet_NaN();
  const Eigen::ArrayXd special_result = varia::log1p(special);
  CHECK(special_result(0) == inf);
  CHECK(std::isnan(special_result(1)));
  CHECK(std::isnan(special_result(2)));
}

TEST_CASE("vectorized expm1 matches std::expm1") {
  Eigen::ArrayXd x(19);
  x << -std::numeric_limits<double>::infinity(), -745.0, -40.0, -1.5, -1.0, -0.999, -0.3, -1e-5,
      -1e-10, -1e-300, 0.0, 1e-300, 1e-12, 3e-8, 0.5, 0.999, 1.0, 20.0, 709.0;
  const Eigen::ArrayXd result = varia::expm1(x);
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const double expected = std::expm1(x(i));
    INFO("x = " << x(i) << ", expm1 " << result(i) << ", std::expm1 " << expected);
    CHECK(std::abs(result(i) - expected) <= 4.5e-16 * std::abs(expected));
  }
  Eigen::ArrayXd special(2);
  special << std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN();
  const Eigen::ArrayXd special_result = varia::expm1(special);
  CHECK(special_result(0) == std::numeric_limits<double>::infinity());
  CHECK(std::isnan(special_result(1)));
}

TEST_CASE("log1p and expm1 gradients match finite differences") {
  varia::test::expect_ad(Log1pExpm1{}, varia::test::uniform_points(2, 40, -0.9, 3.0));
  varia::test::expect_ad(Log1pExpm1Sum{}, varia::test::uniform_points(3, 30, -0.5, 2.0));
}

TEST_CASE("expm1 gradient keeps its accuracy far below zero") {
  Eigen::VectorXd x(1);
  x << -40.0;
  const auto [value, gradient] = varia::value_and_gradient(Expm1{}, x);
  CHECK(std::abs(gradient(0) - std::exp(-40.0)) <= 1e-15 * std::exp(-40.0));
}
