#include <varia/math/abs_min_max.hpp>

#include <cmath>
#include <limits>

#include "support/catch.hpp"
#include "support/gradient_check.hpp"

namespace {

struct AbsMinMax {
  template <class T>
  auto operator()(const T& x) const {
    return varia::abs(x(0)) + 2.0 * varia::fmin(x(0), x(1)) + 3.0 * varia::fmax(x(1), 0.5);
  }
};

struct AbsMinMaxVectors {
  template <class T>
  auto operator()(const T& x) const {
    if constexpr (varia::ad::VectorExpression<T>) {
      using varia::ad::sum;
      return sum(varia::abs(x)) + sum(varia::fmin(x.head(2), x.tail(2))) +
             sum(varia::fmax(x, x(0)));
    } else {
      return varia::abs(x).sum() + varia::fmin(x.head(2), x.tail(2)).sum() +
             varia::fmax(x, x(0)).sum();
    }
  }
};

struct MinOfSelf {
  template <class T>
  auto operator()(const T& x) const {
    return varia::fmin(x(0), x(0)) + varia::fmax(x(0), x(0));
  }
};

// Random points at least 0.05 away from the kinks of abs, fmin and fmax: from 0 and from each
// other (coordinate 0 of the vector test is compared with itself, which is differentiable).
Eigen::MatrixXd points_away_from_kinks(Eigen::Index dimension, Eigen::Index count) {
  const Eigen::MatrixXd candidates = varia::test::uniform_points(dimension, 20 * count, -2.0, 2.0);
  Eigen::MatrixXd points(dimension, count);
  Eigen::Index kept = 0;
  for (Eigen::Index s = 0; s < candidates.cols() && kept < count; ++s) {
    const Eigen::VectorXd x = candidates.col(s);
    bool far = (x.array().abs() > 0.05).all() && (x.array() - 0.5).abs().minCoeff() > 0.05;
    for (Eigen::Index i = 0; i < dimension; ++i) {
      for (Eigen::Index j = 0; j < i; ++j) {
        far = far && std::abs(x(i) - x(j)) > 0.05;
      }
    }
    if (far) {
      points.col(kept++) = x;
    }
  }
  REQUIRE(kept == count);
  return points;
}

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

struct MinWithNaN {
  template <class T>
  auto operator()(const T& x) const {
    return varia::fmin(x(0), not_a_number);
  }
};

struct Abs {
  template <class T>
  auto operator()(const T& x) const {
    return varia::abs(x(0));
  }
};

}  // namespace

TEST_CASE("fmin and fmax follow std for NaN") {
  CHECK(varia::fmin(not_a_number, 1.0) == 1.0);
  CHECK(varia::fmax(2.0, not_a_number) == 2.0);
  Eigen::ArrayXd a(3);
  Eigen::ArrayXd b(3);
  a << not_a_number, 1.0, 3.0;
  b << 2.0, not_a_number, -1.0;
  const Eigen::ArrayXd smaller = varia::fmin(a, b);
  const Eigen::ArrayXd larger = varia::fmax(a, b);
  CHECK(smaller(0) == 2.0);
  CHECK(smaller(1) == 1.0);
  CHECK(smaller(2) == -1.0);
  CHECK(larger(0) == 2.0);
  CHECK(larger(1) == 1.0);
  CHECK(larger(2) == 3.0);
  CHECK(varia::abs(-2.5) == 2.5);
}

TEST_CASE("abs fmin fmax gradients match finite differences") {
  varia::test::expect_ad(AbsMinMax{}, points_away_from_kinks(2, 40));
  varia::test::expect_ad(AbsMinMaxVectors{}, points_away_from_kinks(4, 30));
}

TEST_CASE("fmin and fmax of ties share the adjoint") {
  Eigen::VectorXd x(1);
  x << 0.7;
  const auto [value, gradient] = varia::value_and_gradient(MinOfSelf{}, x);
  CHECK(value == 1.4);
  CHECK(gradient(0) == 2.0);
}

TEST_CASE("fmin gradient goes to the number when the other argument is NaN") {
  Eigen::VectorXd x(1);
  x << 0.25;
  const auto [value, gradient] = varia::value_and_gradient(MinWithNaN{}, x);
  CHECK(value == 0.25);
  CHECK(gradient(0) == 1.0);
}

TEST_CASE("abs gradient is zero at zero") {
  Eigen::VectorXd x(1);
  x << 0.0;
  const auto [value, gradient] = varia::value_and_gradient(Abs{}, x);
  CHECK(value == 0.0);
  CHECK(gradient(0) == 0.0);
}
