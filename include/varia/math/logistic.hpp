// The logistic function and its stable logarithms: inv_logit, log_sigmoid, log1p_exp.
// All three are built on e = exp(-|x|) in (0, 1], which never overflows.
#pragma once

#include <algorithm>
#include <cmath>

#include <Eigen/Core>

#include <varia/math/apply.hpp>

namespace varia {
namespace detail {

/// log(1 + e) for e in [0, 1], vectorizable, with one division: with u = 1 + e rounded,
/// log1p(e) = log(u) - ((u - 1) - e) / u up to O(ulp^2), because u - 1 is exact and (u - 1) - e
/// is the rounding error of u (the first term of log1p's expansion around u; Goldberg 1991,
/// "What every computer scientist should know about floating-point arithmetic"). When u == 1 it
/// gives e. Eigen vectorizes log but not log1p. Pass an evaluated e: it is read three times.
template <class E>
auto log1p_small(const Eigen::ArrayBase<E>& e) {
  const auto u = 1.0 + e.derived();
  return u.log() - ((u - 1.0) - e.derived()) / u;
}

/// exp(-|x|), the common factor of the logistic functions.
template <class X>
auto exp_negative_abs(const Eigen::ArrayBase<X>& x) {
  return (-x.derived().abs()).exp();
}

/// The logistic function 1 / (1 + exp(-x)) from x and e = exp(-|x|), with one division:
/// 1 / (1 + e) for x >= 0 and e / (1 + e) otherwise.
template <class X, class E>
auto logistic_from(const Eigen::ArrayBase<X>& x, const Eigen::ArrayBase<E>& e) {
  return (x.derived() >= 0.0).select(1.0, e.derived()) / (1.0 + e.derived());
}

template <class X>
using array_like_t = Eigen::Array<double, X::RowsAtCompileTime, X::ColsAtCompileTime>;

inline double logistic_scalar(double x) {
  const double e = std::exp(-std::abs(x));
  return x >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}

struct InvLogitRule {
  static double value(double x) { return logistic_scalar(x); }
  template <class X>
  static auto value(const Eigen::ArrayBase<X>& x) {
    const array_like_t<X> e = exp_negative_abs(x);
    return array_like_t<X>(logistic_from(x, e));
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
    // exp(-|x|) is evaluated once: an unevaluated expression would take it once per use.
    const array_like_t<X> e = exp_negative_abs(x);
    return array_like_t<X>(x.derived().max(0.0) + log1p_small(e));
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
    const array_like_t<X> e = exp_negative_abs(x);
    return array_like_t<X>(x.derived().min(0.0) - log1p_small(e));
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
