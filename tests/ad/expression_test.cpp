#include <varia/ad/expression.hpp>
#include <varia/ad/gradient.hpp>
#include <varia/math/exp_log.hpp>

#include <cmath>

#include "support/catch.hpp"
#include "support/gradient_check.hpp"

namespace {

// Every arithmetic operator, with doubles on either side, fused into one expression.
struct Arithmetic {
  template <class T>
  auto operator()(const T& x) const {
    return (x(0) + x(1)) * (x(2) - 1.5) / (2.0 + x(0) * x(0)) - x(1) / x(2) + 3.0 * x(0) - (-x(2)) +
           (+x(1)) - 0.5;
  }
};

// Compound assignment records one node per statement.
struct Accumulate {
  template <class T>
  auto operator()(const T& x) const {
    varia::scalar_t<T> total = 1.0;
    for (Eigen::Index i = 0; i < x.size(); ++i) {
      total += x(i) * x(i);
      total *= 0.5;
      total -= x(i);
      total /= 1.5 + 0.1 * static_cast<double>(i);
    }
    return total;
  }
};

// The same variable used in many places, and a deep chain of operations.
struct Reuse {
  template <class T>
  auto operator()(const T& x) const {
    using Scalar = varia::scalar_t<T>;
    const Scalar a = x(0) * x(1);
    Scalar chain = varia::exp(a) * a + a / (1.0 + a * a);
    for (int i = 0; i < 5; ++i) {
      chain = chain * 0.9 + x(0);
    }
    return chain;
  }
};

}  // namespace

TEST_CASE("arithmetic operators match finite differences") {
  varia::test::expect_ad(Arithmetic{}, varia::test::uniform_points(3, 30, 0.5, 2.0));
}

TEST_CASE("compound assignment matches finite differences") {
  varia::test::expect_ad(Accumulate{}, varia::test::uniform_points(6, 30, -2.0, 2.0));
}

TEST_CASE("reused subexpressions match finite differences") {
  varia::test::expect_ad(Reuse{}, varia::test::uniform_points(2, 30, -1.0, 1.0));
}

TEST_CASE("arithmetic gradient matches the closed form") {
  // f = x0 * x1 / x2 has gradient (x1 / x2, x0 / x2, -x0 x1 / x2^2).
  auto f = [](const auto& x) { return x(0) * x(1) / x(2); };
  const Eigen::Vector3d x(1.5, -2.0, 4.0);
  const auto [value, gradient] = varia::value_and_gradient(f, x);
  CHECK(value == -0.75);
  CHECK(gradient(0) == -0.5);
  CHECK(gradient(1) == 0.375);
  CHECK(gradient(2) == 0.1875);
}

TEST_CASE("one-lane scalar is shared by all lanes") {
  // A constant function of x: the result is x-independent, so the gradient is zero, and a
  // Scalar<1> mixed with Scalar<16> broadcasts its value.
  auto f = [](const auto& x) {
    using Scalar = std::remove_cvref_t<decltype(x(0))>;
    if constexpr (Scalar::lanes > 1) {
      const varia::ad::Scalar<1> shared(2.5);
      return Scalar(x(0) * shared);
    } else {
      return Scalar(x(0) * 2.5);
    }
  };
  varia::test::check_lanes(f, varia::test::uniform_points(1, 16, -1.0, 1.0));
}
