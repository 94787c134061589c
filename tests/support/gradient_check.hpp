// Shared derivative checks for tests: varia's gradients against finite differences of the same
// function evaluated with doubles, and lanes against separate single-point evaluations.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <string>

#include <Eigen/Core>

#include <varia/ad/gradient.hpp>

#include "support/catch.hpp"

namespace varia::test {

/// Central finite difference of f along coordinate i, with one Richardson extrapolation step
/// (error O(h^4)). `step` is relative to max(1, |x_i|).
template <class F>
double finite_difference(const F& f, const Eigen::VectorXd& x, Eigen::Index i, double step) {
  const double h = step * std::max(1.0, std::abs(x(i)));
  auto central = [&](double width) {
    Eigen::VectorXd plus = x;
    Eigen::VectorXd minus = x;
    plus(i) += width;
    minus(i) -= width;
    return (static_cast<double>(f(plus)) - static_cast<double>(f(minus))) / (2.0 * width);
  };
  return (4.0 * central(h / 2.0) - central(h)) / 3.0;
}

/// Returns whether `actual` is within `tolerance` of `expected`, relative to max(1, |expected|).
/// Two infinities of the same sign agree.
inline bool close(double actual, double expected, double tolerance) {
  if (std::isinf(expected) || std::isinf(actual)) {
    return actual == expected;
  }
  return std::abs(actual - expected) <= tolerance * std::max(1.0, std::abs(expected));
}

inline std::string describe(const Eigen::VectorXd& x) {
  std::ostringstream out;
  out.precision(17);
  out << x.transpose();
  return out.str();
}

/// Checks f's value against its double evaluation and its gradient against finite differences
/// at x.
template <class F>
void check_gradient(const F& f, const Eigen::VectorXd& x, double tolerance = 1e-6,
                    double step = 1e-3) {
  Eigen::VectorXd gradient;
  const double value = varia::value_and_gradient(f, x, gradient);
  INFO("x = " << describe(x));
  const double expected_value = static_cast<double>(f(x));
  INFO("value " << value << ", double evaluation " << expected_value);
  CHECK(close(value, expected_value, 1e-12));
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const double expected = finite_difference(f, x, i, step);
    INFO("coordinate " << i << ": gradient " << gradient(i) << ", finite difference " << expected);
    CHECK(close(gradient(i), expected, tolerance));
  }
}

/// Checks that the lanes driver gives the same values and gradients as separate single-point
/// evaluations at each column of `points`.
template <class F>
void check_lanes(const F& f, const Eigen::MatrixXd& points, double tolerance = 1e-12) {
  Eigen::VectorXd values;
  Eigen::MatrixXd gradients;
  varia::value_and_gradient_lanes(f, points, values, gradients);
  REQUIRE(values.size() == points.cols());
  Eigen::VectorXd gradient;
  for (Eigen::Index s = 0; s < points.cols(); ++s) {
    const Eigen::VectorXd x = points.col(s);
    const double value = varia::value_and_gradient(f, x, gradient);
    INFO("point " << s << ": x = " << describe(x));
    CHECK(close(values(s), value, tolerance));
    for (Eigen::Index i = 0; i < x.size(); ++i) {
      INFO("coordinate " << i << ": lanes " << gradients(i, s) << ", single " << gradient(i));
      CHECK(close(gradients(i, s), gradient(i), tolerance));
    }
  }
}

/// Both checks at every column of `points`; lanes with 16 full lanes and a padded remainder
/// are covered when there are more than 26 points.
template <class F>
void expect_ad(const F& f, const Eigen::MatrixXd& points, double tolerance = 1e-6,
               double step = 1e-3) {
  for (Eigen::Index s = 0; s < points.cols(); ++s) {
    check_gradient(f, Eigen::VectorXd(points.col(s)), tolerance, step);
  }
  check_lanes(f, points);
}

/// Random points for expect_ad: `count` columns of `dimension` values uniform in [low, high],
/// from a fixed seed.
inline Eigen::MatrixXd uniform_points(Eigen::Index dimension, Eigen::Index count, double low,
                                      double high, unsigned seed = 20261204u) {
  std::srand(seed);
  Eigen::MatrixXd unit = (Eigen::MatrixXd::Random(dimension, count).array() + 1.0) / 2.0;
  return (low + (high - low) * unit.array()).matrix();
}

}  // namespace varia::test
