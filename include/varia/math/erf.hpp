// erf, the standard normal CDF Phi, and log Phi, stable far in the lower tail.
#pragma once

#include <cmath>
#include <numbers>

#include <Eigen/Core>

#include <varia/math/apply.hpp>

namespace varia {
namespace detail {

inline constexpr double sqrt_half = std::numbers::sqrt2 / 2.0;

// 1 / sqrt(2 pi).
inline constexpr double inv_sqrt_two_pi = std::numbers::inv_sqrtpi * sqrt_half;

/// Below this x, log Phi(x) uses the asymptotic expansion. Above it, erfc(-x / sqrt 2) > 1e-89
/// is computed to a relative error of about x^2 ulp by std::erfc.
inline constexpr double log_phi_tail_start = -20.0;

/// S(x) - 1 for the asymptotic series of the normal tail,
///   Phi(x) = phi(x) / (-x) * S(x),  S(x) = 1 + sum_k (-1)^k (2k - 1)!! / x^(2k)
/// (Abramowitz and Stegun, 1964, Handbook of Mathematical Functions, 26.2.12), for
/// x <= -20, where twelve terms leave an error below 1e-19.
inline double normal_tail_series(double x) {
  const double w = 1.0 / (x * x);
  double term = 1.0;
  double sum = 0.0;
  for (int k = 1; k <= 12; ++k) {
    term *= -static_cast<double>(2 * k - 1) * w;
    sum += term;
  }
  return sum;
}

inline double log_phi_scalar(double x) {
  if (x > 0.0) {
    return std::log1p(-0.5 * std::erfc(x * sqrt_half));
  }
  if (x > log_phi_tail_start) {
    return std::log(0.5 * std::erfc(-x * sqrt_half));
  }
  // log phi(x) - log(-x) + log S(x); also reached by NaN, which it returns.
  return -0.5 * x * x - std::log(-x) + std::log(inv_sqrt_two_pi) +
         std::log1p(normal_tail_series(x));
}

/// d/dx log Phi(x) = phi(x) / Phi(x), from x and the cached log Phi(x).
inline double log_phi_derivative_scalar(double x, double log_phi) {
  if (x > log_phi_tail_start) {
    return inv_sqrt_two_pi * std::exp(-0.5 * x * x - log_phi);
  }
  // phi / Phi = -x / S(x): the exponent above would cancel catastrophically for large |x|.
  return -x / (1.0 + normal_tail_series(x));
}

struct ErfRule {
  static double value(double x) { return std::erf(x); }
  // NOTE: Eigen 3.4 vectorizes erf for float only, so the array version calls std::erf per
  // element; the same holds for Phi and log Phi below, which need erfc.
  template <class X>
  static auto value(const Eigen::ArrayBase<X>& x) {
    return x.derived().unaryExpr([](double xi) { return std::erf(xi); });
  }
  template <class X, class V>
  static auto derivative(const X& x, const V&) {
    return (2.0 * std::numbers::inv_sqrtpi) * (-x.square()).exp();
  }
};

struct PhiRule {
  static double value(double x) { return 0.5 * std::erfc(-x * sqrt_half); }
  template <class X>
  static auto value(const Eigen::ArrayBase<X>& x) {
    return x.derived().unaryExpr([](double xi) { return value(xi); });
  }
  template <class X, class V>
  static auto derivative(const X& x, const V&) {
    return inv_sqrt_two_pi * (-0.5 * x.square()).exp();
  }
};

struct LogPhiRule {
  static double value(double x) { return log_phi_scalar(x); }
  template <class X>
  static auto value(const Eigen::ArrayBase<X>& x) {
    return x.derived().unaryExpr([](double xi) { return log_phi_scalar(xi); });
  }
  template <class X, class V>
  static auto derivative(const X& x, const V& value) {
    return x.binaryExpr(
        value, [](double xi, double log_phi) { return log_phi_derivative_scalar(xi, log_phi); });
  }
};

}  // namespace detail

/// The error function, elementwise, as std::erf. The derivative is 2 / sqrt(pi) e^(-x^2).
template <class T>
auto erf(const T& x) {
  return detail::apply_unary<detail::ErfRule>(x);
}

/// The standard normal CDF Phi(x) = erfc(-x / sqrt 2) / 2, elementwise. Through erfc it keeps its
/// relative accuracy in the lower tail until it underflows below x = -38.5; use log_Phi there.
template <class T>
auto Phi(const T& x) {  // NOLINT(readability-identifier-naming): the standard symbol
  return detail::apply_unary<detail::PhiRule>(x);
}

/// log Phi(x), elementwise, finite and accurate for all finite x: log1p(-erfc(x / sqrt 2) / 2)
/// for x > 0, log(erfc(-x / sqrt 2) / 2) on (-20, 0], and the asymptotic expansion
/// -x^2/2 - log(-x) - log(2 pi)/2 + log(1 - 1/x^2 + 3/x^4 - ...) below. The derivative
/// phi(x) / Phi(x) is computed from the cached value, or as -x / (1 - 1/x^2 + ...) below -20.
template <class T>
auto log_Phi(const T& x) {  // NOLINT(readability-identifier-naming): the standard symbol
  return detail::apply_unary<detail::LogPhiRule>(x);
}

}  // namespace varia
