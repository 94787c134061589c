// tanh, the hyperbolic tangent, with its derivative rule.
#pragma once

#include <cmath>

#include <Eigen/Core>

#include <varia/math/apply.hpp>
#include <varia/math/exp_log.hpp>

namespace varia {
namespace detail {

struct TanhRule {
  static double value(double x) { return std::tanh(x); }
  // Vectorizable (Eigen 3.4 vectorizes tanh for float only): tanh x = y / (y + 2) with
  // y = expm1(2x), after clamping x to [-20, 20], outside which tanh x rounds to +-1.
  template <class X>
  static auto value(const Eigen::ArrayBase<X>& x) {
    const auto y = expm1_array(2.0 * x.derived().max(-20.0).min(20.0));
    return y / (y + 2.0);
  }
  // 1 / cosh^2 x = 4u / (1 + u)^2 with u = e^(-2|x|). The form 1 - tanh^2 x from the cached
  // value would lose the relative accuracy as tanh x approaches +-1.
  template <class X, class V>
  static auto derivative(const X& x, const V&) {
    const auto u = (-2.0 * x.abs()).exp();
    return 4.0 * u / (1.0 + u).square();
  }
};

}  // namespace detail

/// The hyperbolic tangent, elementwise.
template <class T>
auto tanh(const T& x) {
  return detail::apply_unary<detail::TanhRule>(x);
}

}  // namespace varia
