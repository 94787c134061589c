// exp, log, log1p, expm1: the exponential and the logarithm, with their derivative rules.
#pragma once

#include <cmath>
#include <limits>

#include <Eigen/Core>

#include <varia/math/apply.hpp>

namespace varia {
namespace detail {

struct ExpRule {
  static double value(double x) { return std::exp(x); }
  template <class X>
  static auto value(const Eigen::ArrayBase<X>& x) {
    return x.exp();
  }
  template <class X, class V>
  static auto derivative(const X&, const V& value) {
    return value;
  }
};

struct LogRule {
  static double value(double x) { return std::log(x); }
  template <class X>
  static auto value(const Eigen::ArrayBase<X>& x) {
    return x.log();
  }
  template <class X, class V>
  static auto derivative(const X& x, const V&) {
    return x.inverse();
  }
};

/// log(1 + x) for an Eigen array, vectorizable: with u = fl(1 + x), log1p(x) = log(u) + c / u to
/// first order in c = x - (u - 1), the rounding error of u, which is computed exactly. For
/// |x| below the rounding of 1 + x it returns x; at x = -1 it returns -inf, above -1 a relative
/// error of a few ulp. The clamps keep c finite at x = +inf and the division defined at u = 0.
template <class X>
auto log1p_array(const Eigen::ArrayBase<X>& x) {
  constexpr double largest = std::numeric_limits<double>::max();
  constexpr double smallest = std::numeric_limits<double>::min();
  const auto clamped = x.derived().min(largest);
  const auto correction = clamped - ((clamped + 1.0) - 1.0);
  return (x.derived() + 1.0).log() + correction / (clamped + 1.0).max(smallest);
}

/// e^x - 1 for an Eigen array, vectorizable: with u = fl(e^x), e^x - 1 = (u - 1) + u (x - log u)
/// to first order in the rounding error of u. The correction is weighted by 1 - |x| on
/// [-1, 1] and dropped outside, where u - 1 has no cancellation and the error of log u would
/// dominate. Relative error a few ulp; -1 at -inf, inf at inf.
template <class X>
auto expm1_array(const Eigen::ArrayBase<X>& x) {
  const auto clamped = x.derived().max(-1.0).min(1.0);
  const auto clamped_exp = clamped.exp();
  const auto correction = clamped_exp * (clamped - clamped_exp.log());
  return (x.derived().exp() - 1.0) + (1.0 - clamped.abs()) * correction;
}

struct Log1pRule {
  static double value(double x) { return std::log1p(x); }
  template <class X>
  static auto value(const Eigen::ArrayBase<X>& x) {
    return log1p_array(x);
  }
  template <class X, class V>
  static auto derivative(const X& x, const V&) {
    return (x + 1.0).inverse();
  }
};

struct Expm1Rule {
  static double value(double x) { return std::expm1(x); }
  template <class X>
  static auto value(const Eigen::ArrayBase<X>& x) {
    return expm1_array(x);
  }
  // e^x rather than the cached value + 1, which loses the relative accuracy for x << 0.
  template <class X, class V>
  static auto derivative(const X& x, const V&) {
    return x.exp();
  }
};

}  // namespace detail

/// e^x, elementwise.
template <class T>
auto exp(const T& x) {
  return detail::apply_unary<detail::ExpRule>(x);
}

/// The natural logarithm, elementwise: -inf at 0 and NaN below 0, as std::log.
template <class T>
auto log(const T& x) {
  return detail::apply_unary<detail::LogRule>(x);
}

/// log(1 + x), elementwise, with a relative error of a few ulp also for tiny |x|: -inf at -1 and
/// NaN below -1, as std::log1p.
template <class T>
auto log1p(const T& x) {
  return detail::apply_unary<detail::Log1pRule>(x);
}

/// e^x - 1, elementwise, with a relative error of a few ulp also for tiny |x|: -1 at -inf, as
/// std::expm1.
template <class T>
auto expm1(const T& x) {
  return detail::apply_unary<detail::Expm1Rule>(x);
}

}  // namespace varia
