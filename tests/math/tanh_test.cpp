#include <varia/math/tanh.hpp>

#include <cmath>
#include <limits>

#include "support/catch.hpp"
#include "support/gradient_check.hpp"

namespace {

struct Tanh {
  template <class T>
  auto operator()(const T& x) const {
    return varia::tanh(x(0));
  }
};

struct TanhSum {
  template <class T>
  auto operator()(const T& x) const {
    if constexpr (varia::ad::VectorExpression<T>) {
      return varia::ad::sum(varia::tanh(x));
    } else {
      return varia::tanh(x).sum();
    }
  }
};

}  // namespace

TEST_CASE("vectorized tanh matches std::tanh") {
  Eigen::ArrayXd x(16);
  x << -1e300, -25.0, -19.0, -3.0, -0.5, -1e-8, -1e-300, 0.0, 1e-300, 1e-12, 0.3, 1.0, 5.0, 18.5,
      21.0, std::numeric_limits<double>::infinity();
  const Eigen::ArrayXd result = varia::tanh(x);
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const double expected = std::tanh(x(i));
    INFO("x = " << x(i) << ", tanh " << result(i) << ", std::tanh " << expected);
    CHECK(std::abs(result(i) - expected) <= 4.5e-16 * std::abs(expected));
  }
  Eigen::ArrayXd not_a_number(1);
  not_a_number << std::numeric_limits<double>::quiet_NaN();
  CHECK(std::isnan(varia::tanh(not_a_number)(0)));
}

TEST_CASE("tanh gradient matches finite differences") {
  varia::test::expect_ad(Tanh{}, varia::test::uniform_points(1, 40, -6.0, 6.0));
  varia::test::expect_ad(TanhSum{}, varia::test::uniform_points(3, 30, -3.0, 3.0));
}

TEST_CASE("tanh gradient is accurate where tanh is near one") {
  for (const double x : {10.0, -15.0, 30.0}) {
    Eigen::VectorXd point(1);
    point << x;
    const auto [value, gradient] = varia::value_and_gradient(Tanh{}, point);
    const double expected = 1.0 / (std::cosh(x) * std::cosh(x));
    INFO("x = " << x << ", gradient " << gradient(0) << ", 1/cosh^2 " << expected);
    CHECK(std::abs(gradient(0) - expected) <= 1e-14 * expected);
  }
}
