// lgamma, digamma and trigamma: the log-gamma function and its first two derivatives.
#pragma once

#include <cmath>
#include <limits>
#include <numbers>
#include <type_traits>

#include <Eigen/Core>

#include <varia/math/apply.hpp>

namespace varia {
namespace detail {

// psi(x) and psi'(x) for x > 0 use the recurrences psi(x) = psi(x + 10) - sum_k 1/(x + k) and
// psi'(x) = psi'(x + 10) + sum_k 1/(x + k)^2 (k = 0, ..., 9), always ten steps so that the array
// versions vectorize without branches, then the asymptotic series at z = x + 10 >= 10
// (Abramowitz and Stegun, 1964, Handbook of Mathematical Functions, 6.3.18 and 6.4.12), whose
// first omitted term is below 1e-17 there. The absolute error is about 1e-15; near the positive
// root of psi, x = 1.4616..., the relative error grows accordingly.
inline constexpr int polygamma_shift = 10;

/// psi(z) - log(z) for z >= 10: -1/(2z) - sum_k B_2k / (2k z^2k) for k = 1, ..., 8.
template <class Z>
auto digamma_series(const Z& z) {
  const auto w = z.inverse();
  const auto w2 = w * w;
  const auto tail =
      w2 * (1.0 / 12 -
            w2 * (1.0 / 120 -
                  w2 * (1.0 / 252 -
                        w2 * (1.0 / 240 -
                              w2 * (1.0 / 132 - w2 * (691.0 / 32760 -
                                                      w2 * (1.0 / 12 - w2 * 3617.0 / 8160)))))));
  return -0.5 * w - tail;
}

/// psi'(z) for z >= 10: 1/z + 1/(2z^2) + sum_k B_2k / z^(2k+1) for k = 1, ..., 9.
template <class Z>
auto trigamma_series(const Z& z) {
  const auto w = z.inverse();
  const auto w2 = w * w;
  const auto tail =
      1.0 / 6 -
      w2 * (1.0 / 30 -
            w2 * (1.0 / 42 -
                  w2 * (1.0 / 30 -
                        w2 * (5.0 / 66 -
                              w2 * (691.0 / 2730 -
                                    w2 * (7.0 / 6 - w2 * (3617.0 / 510 - w2 * 43867.0 / 798)))))));
  return w * (1.0 + w * (0.5 + w * tail));
}

/// psi(x) for x >= 0 (and -inf at 0), for an Eigen array; vectorizes.
template <class X>
auto digamma_positive(const Eigen::ArrayBase<X>& x) {
  using Plain = typename X::PlainObject;
  // The clamp keeps a + b finite at x = +inf, and a b overflows to +inf, so the sum is 0 there.
  const auto clamped = x.derived().min(1e300);
  Plain sum = Plain::Zero(x.rows(), x.cols());
  for (int k = 0; k < polygamma_shift; k += 2) {
    // 1/a + 1/b as (a + b)/(ab) halves the divisions.
    const auto a = clamped + static_cast<double>(k);
    const auto b = clamped + static_cast<double>(k + 1);
    sum += (a + b) / (a * b);
  }
  const Plain z = x.derived() + static_cast<double>(polygamma_shift);
  return Plain(z.log() + digamma_series(z) - sum);
}

/// psi'(x) for x >= 0 (and +inf at 0), for an Eigen array; vectorizes.
template <class X>
auto trigamma_positive(const Eigen::ArrayBase<X>& x) {
  using Plain = typename X::PlainObject;
  Plain sum = Plain::Zero(x.rows(), x.cols());
  for (int k = 0; k < polygamma_shift; ++k) {
    sum += (x.derived() + static_cast<double>(k)).square().inverse();
  }
  const Plain z = x.derived() + static_cast<double>(polygamma_shift);
  return Plain(trigamma_series(z) + sum);
}

/// Distance from x to the nearest integer, in [-0.5, 0.5]: pi x and pi r have the same cot and
/// sin^2, and pi r is free of the rounding of pi x for large |x|.
inline double distance_to_integer(double x) {
  return x - std::nearbyint(x);
}

inline double digamma_scalar(double x) {
  if (x < 0.0) {
    // Reflection: psi(x) = psi(1 - x) - pi cot(pi x); NaN at the poles x = -1, -2, ...
    const double r = distance_to_integer(x);
    if (r == 0.0) {
      return std::numeric_limits<double>::quiet_NaN();
    }
    return digamma_scalar(1.0 - x) - std::numbers::pi / std::tan(std::numbers::pi * r);
  }
  return digamma_positive(Eigen::Array<double, 1, 1>::Constant(x))(0);
}

inline double trigamma_scalar(double x) {
  if (x < 0.0) {
    // Reflection: psi'(x) = pi^2 / sin^2(pi x) - psi'(1 - x); +inf at the poles.
    const double s = std::sin(std::numbers::pi * distance_to_integer(x));
    return std::numbers::pi * std::numbers::pi / (s * s) - trigamma_scalar(1.0 - x);
  }
  return trigamma_positive(Eigen::Array<double, 1, 1>::Constant(x))(0);
}

/// The array versions: the vectorized positive branch everywhere, then the elements below zero
/// replaced by the scalar reflection.
// NOTE: they return evaluated arrays, so on an autodiff vector (dynamic size) each call allocates
// its temporaries on the heap rather than in the tape's arena.
template <class X>
auto digamma_array(const Eigen::ArrayBase<X>& x) {
  auto result = digamma_positive(x);
  if ((x.derived() < 0.0).any()) {
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
      for (Eigen::Index i = 0; i < x.rows(); ++i) {
        if (x(i, j) < 0.0) {
          result(i, j) = digamma_scalar(x(i, j));
        }
      }
    }
  }
  return result;
}

template <class X>
auto trigamma_array(const Eigen::ArrayBase<X>& x) {
  auto result = trigamma_positive(x);
  if ((x.derived() < 0.0).any()) {
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
      for (Eigen::Index i = 0; i < x.rows(); ++i) {
        if (x(i, j) < 0.0) {
          result(i, j) = trigamma_scalar(x(i, j));
        }
      }
    }
  }
  return result;
}

struct LgammaRule {
  static double value(double x) { return std::lgamma(x); }
  // NOTE: Eigen 3.4 has no vectorized lgamma for double, so the array version calls std::lgamma
  // per element. glibc's lgamma also writes the global signgam, so concurrent calls race on it
  // (the returned values are unaffected).
  template <class X>
  static auto value(const Eigen::ArrayBase<X>& x) {
    return x.derived().unaryExpr([](double xi) { return std::lgamma(xi); });
  }
  template <class X, class V>
  static auto derivative(const X& x, const V&) {
    return digamma_array(x);
  }
};

struct DigammaRule {
  static double value(double x) { return digamma_scalar(x); }
  template <class X>
  static auto value(const Eigen::ArrayBase<X>& x) {
    return digamma_array(x);
  }
  template <class X, class V>
  static auto derivative(const X& x, const V&) {
    return trigamma_array(x);
  }
};

}  // namespace detail

/// log |Gamma(x)|, elementwise, as std::lgamma: +inf at the poles x = 0, -1, -2, ..., and finite
/// for the other negative x. The derivative is digamma(x).
template <class T>
auto lgamma(const T& x) {
  return detail::apply_unary<detail::LgammaRule>(x);
}

/// The digamma function psi(x) = d/dx log Gamma(x), elementwise: -inf at 0 (the limit from the
/// right), NaN at the other poles x = -1, -2, ... and at -inf, +inf at +inf. Negative x use the
/// reflection formula. The derivative is trigamma(x). The array and autodiff versions vectorize for
/// x >= 0.
template <class T>
auto digamma(const T& x) {
  return detail::apply_unary<detail::DigammaRule>(x);
}

/// The trigamma function psi'(x), elementwise, for doubles and Eigen objects: +inf at the poles
/// x = 0, -1, -2, ... It has no derivative rule, so it does not accept autodiff arguments.
template <class T>
auto trigamma(const T& x) {
  static_assert(std::is_arithmetic_v<std::remove_cvref_t<T>> || ad::EigenDense<T>,
                "varia::trigamma accepts doubles and Eigen objects only, because it has no "
                "derivative rule; it serves as the derivative of varia::digamma");
  if constexpr (std::is_arithmetic_v<std::remove_cvref_t<T>>) {
    return detail::trigamma_scalar(static_cast<double>(x));
  } else if constexpr (ad::EigenArray<T>) {
    return detail::trigamma_array(x);
  } else {
    return detail::trigamma_array(x.array()).matrix().eval();
  }
}

}  // namespace varia
