#include <varia/math/power.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "support/catch.hpp"
#include "support/gradient_check.hpp"

namespace {

struct PowBoth {
  template <class T>
  auto operator()(const T& x) const {
    return varia::pow(x(0), x(1));
  }
};

struct PowMixed {
  template <class T>
  auto operator()(const T& x) const {
    return varia::pow(x(0), 2.5) + varia::pow(1.7, x(1)) + varia::sqrt(x(0)) * varia::square(x(1));
  }
};

struct PowVectors {
  template <class T>
  auto operator()(const T& x) const {
    if constexpr (varia::ad::VectorExpression<T>) {
      using varia::ad::sum;
      const auto head = x.head(2);
      const auto tail = x.tail(2);
      return sum(varia::pow(head, tail)) + sum(varia::pow(head, x(2))) +
             sum(varia::pow(1.3, tail)) + sum(varia::pow(tail, 3.0));
    } else {
      const Eigen::ArrayXd head = x.head(2).array();
      const Eigen::ArrayXd tail = x.tail(2).array();
      return varia::pow(head, tail).sum() + varia::pow(head, x(2)).sum() +
             varia::pow(1.3, tail).sum() + varia::pow(tail, 3.0).sum();
    }
  }
};

Eigen::VectorXd point(double a, double b) {
  Eigen::VectorXd x(2);
  x << a, b;
  return x;
}

struct Sqrt {
  template <class T>
  auto operator()(const T& x) const {
    return varia::sqrt(x(0));
  }
};

}  // namespace

TEST_CASE("pow of doubles matches std::pow") {
  CHECK(varia::pow(2.0, 10.0) == 1024.0);
  CHECK(varia::pow(0.0, -1.0) == std::numeric_limits<double>::infinity());
  CHECK(varia::pow(0.0, 0.0) == 1.0);
  CHECK(varia::pow(-2.0, 3.0) == -8.0);
  CHECK(std::isnan(varia::pow(-2.0, 0.5)));
  CHECK(varia::sqrt(2.0) == std::sqrt(2.0));
  CHECK(varia::square(-3.0) == 9.0);
}

TEST_CASE("pow of arrays matches std::pow") {
  Eigen::ArrayXd base(5);
  Eigen::ArrayXd exponent(5);
  base << 0.5, 2.0, 10.0, 1e-3, 0.0;
  exponent << 3.0, -1.5, 0.3, 7.0, 2.0;
  const Eigen::ArrayXd result = varia::pow(base, exponent);
  for (Eigen::Index i = 0; i < base.size(); ++i) {
    CHECK(varia::test::close(result(i), std::pow(base(i), exponent(i)), 1e-15));
  }
  const Eigen::ArrayXd different = Eigen::ArrayXd::Zero(3);
  CHECK_THROWS_AS(varia::pow(base, different), std::invalid_argument);
}

TEST_CASE("pow gradient matches finite differences") {
  varia::test::expect_ad(PowBoth{}, varia::test::uniform_points(2, 40, 0.1, 4.0));
  varia::test::expect_ad(PowMixed{}, varia::test::uniform_points(2, 40, 0.1, 4.0));
}

TEST_CASE("pow of vectors matches finite differences") {
  varia::test::expect_ad(PowVectors{}, varia::test::uniform_points(4, 30, 0.2, 3.0));
}

TEST_CASE("pow gradient at base zero") {
  // d/da a^b at a = 0: b a^(b-1), i.e. 0 for b = 2, 1 for b = 1, 0 for b = 0. d/db is 0 where the
  // value is 0.
  const auto [square_value, square_gradient] =
      varia::value_and_gradient(PowBoth{}, point(0.0, 2.0));
  CHECK(square_value == 0.0);
  CHECK(square_gradient(0) == 0.0);
  CHECK(square_gradient(1) == 0.0);
  const auto [linear_value, linear_gradient] =
      varia::value_and_gradient(PowBoth{}, point(0.0, 1.0));
  CHECK(linear_gradient(0) == 1.0);
  CHECK(linear_gradient(1) == 0.0);
  const auto [constant_value, constant_gradient] =
      varia::value_and_gradient(PowBoth{}, point(0.0, 0.0));
  CHECK(constant_value == 1.0);
  CHECK(constant_gradient(0) == 0.0);
}

TEST_CASE("pow gradient at a negative base") {
  // (-2)^3 = -8: d/da = 3 * 4 = 12; d/db does not exist (NaN).
  const auto [value, gradient] = varia::value_and_gradient(PowBoth{}, point(-2.0, 3.0));
  CHECK(value == -8.0);
  CHECK(gradient(0) == 12.0);
  CHECK(std::isnan(gradient(1)));
}

TEST_CASE("sqrt gradient is infinite at zero") {
  Eigen::VectorXd zero(1);
  zero << 0.0;
  const auto [value, gradient] = varia::value_and_gradient(Sqrt{}, zero);
  CHECK(value == 0.0);
  CHECK(gradient(0) == std::numeric_limits<double>::infinity());
}
