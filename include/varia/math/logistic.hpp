// The logistic function and its stable logarithms: inv_logit, log_sigmoid, log1p_exp.
// All three are built on e = exp(-|x|) in (0, 1], which never overflows.
#pragma once

#include <algorithm>
#include <cmath>

#include <Eigen/Core>

#include <varia/math/apply.hpp>

namespace varia {
namespace detail {

/// log(1 + e) for e in [0, 1], vectorizable: with u = 1 + e rounded, log(u) * e / (u - 1) is
/// accurate to a few ulps (Goldberg 1991, "What every computer scientist should know about
/// floating-point arithmetic", theorem 4); u == 1 means e is below rounding, and log1p(e) = e.
template <class E>
auto log1p_small(const Eigen::ArrayBase<E>& e) {
  const auto u = 1.0 + e.derived();
  return (u == 1.0).select(e.derived(), u.log() * e.derived() / (u - 1.0));
}

/// exp(-|x|), the common factor of the logistic functions.
template <class X>
auto exp_negative_abs(const Eigen::ArrayBase<X>& x) {
  return (-x.derived().abs()).exp();
}

/// The logistic function 1 / (1 + exp(-x)) from x and e = exp(-|x|).
template <class X, class E>
auto logistic_from(const Eigen::ArrayBase<X>& x, const Eigen::ArrayBase<E>& e) {
  return (x.derived() >= 0.0).select(1.0 / (1.0 + e.derived()), e.derived() / (1.0 + e.derived()));
}

inline double logistic_scalar(double x) {
  const double e = std::exp(-std::abs(x));
  return x >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}

struct InvLogitRule {
  static double value(double x) { return logistic_scalar(x); }
  template <class X>
  static auto value(const Eigen::ArrayBase<X>& x) {
    const Eigen::Array<double, X::RowsAtCompileTime, X::ColsAtCompileTime> e = exp_negative_abs(x);
    return logistic_from(x, e).eval();
  }
  template <class X, class V>
  static auto derivative(const X&, const V& value) {
    return value * (1.0 - value);
  }
};

struct Log1pExpRule {
  static double value(double x) { return std::max(x, 0.0) + std::log1p(std::exp(-std::abs(x))); }
  template <class X>
  static auto value(const Eigen::ArrayBase<X>& x) {
    return x.derived().max(0.0) + log1p_small(exp_negative_abs(x));
  }
  template <class X, class V>
  static auto derivative(const X& x, const V&) {
    return InvLogitRule::value(x);
  }
};

struct LogSigmoidRule {
  static double value(double x) { return std::min(x, 0.0) - std::log1p(std::exp(-std::abs(x))); }
  template <class X>
  static auto value(const Eigen::ArrayBase<X>& x) {
    return x.derived().min(0.0) - log1p_small(exp_negative_abs(x));
  }
  template <class X, class V>
  static auto derivative(const X& x, const V&) {
    return InvLogitRule::value(-x);
  }
};

}  // namespace detail

/// The logistic function 1 / (1 + exp(-x)), elementwise, without overflow for any x.
template <class T>
auto inv_logit(const T& x) {
  return detail::apply_unary<detail::InvLogitRule>(x);
}

/// log(1 + exp(x)) (softplus), elementwise: log1p_exp(800) is 800 and log1p_exp(-800) is
/// exp(-800), without overflow or cancellation.
template <class T>
auto log1p_exp(const T& x) {
  return detail::apply_unary<detail::Log1pExpRule>(x);
}

/// log(inv_logit(x)) = -log1p_exp(-x), elementwise and stable for any x.
template <class T>
auto log_sigmoid(const T& x) {
  return detail::apply_unary<detail::LogSigmoidRule>(x);
}

}  // namespace varia
