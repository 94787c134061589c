// sqrt, square and pow, with their derivative rules.
#pragma once

#include <cmath>

#include <Eigen/Core>

#include <varia/math/apply.hpp>

namespace varia {
namespace detail {

struct SqrtRule {
  static double value(double x) { return std::sqrt(x); }
  template <class X>
  static auto value(const Eigen::ArrayBase<X>& x) {
    return x.derived().sqrt();
  }
  template <class X, class V>
  static auto derivative(const X&, const V& value) {
    return 0.5 * value.inverse();
  }
};

struct SquareRule {
  static double value(double x) { return x * x; }
  template <class X>
  static auto value(const Eigen::ArrayBase<X>& x) {
    return x.derived().square();
  }
  template <class X, class V>
  static auto derivative(const X& x, const V&) {
    return 2.0 * x;
  }
};

/// a^b. d/da = b a^(b-1), computed as b a^b / a except at a = 0; it is 0 when b = 0 (a^0 = 1
/// everywhere). d/db = a^b log a, and 0 where a^b = 0 (a = 0 with b > 0, or underflow), because
/// a^b is 0 for all nearby b there. Where a derivative does not exist it is +-inf or NaN: d/db for
/// a < 0, d/da at a = 0 with 0 < b < 1, or d/db at a = 0 with b <= 0.
struct PowRule {
  static double value(double a, double b) { return std::pow(a, b); }
  template <class A, class B>
  static auto value(const Eigen::ArrayBase<A>& a, const Eigen::ArrayBase<B>& b) {
    return Eigen::pow(a.derived(), b.derived());
  }
  template <class G, class A, class B, class V>
  static auto left_adjoint(const G& g, const A& a, const B& b, const V& value) {
    // select evaluates only the chosen branch of each element, so pow runs at a = 0 only.
    const auto at_zero =
        (b == 0.0).select(B::PlainObject::Zero(b.rows(), b.cols()), b * Eigen::pow(a, b - 1.0));
    return g * (a == 0.0).select(at_zero, b * value / a);
  }
  template <class G, class A, class B, class V>
  static auto right_adjoint(const G& g, const A& a, const B&, const V& value) {
    return g *
           (value == 0.0).select(V::PlainObject::Zero(value.rows(), value.cols()), value * a.log());
  }
};

}  // namespace detail

/// The square root, elementwise: NaN below 0, as std::sqrt. The derivative is +inf at 0.
template <class T>
auto sqrt(const T& x) {
  return detail::apply_unary<detail::SqrtRule>(x);
}

/// x^2, elementwise.
template <class T>
auto square(const T& x) {
  return detail::apply_unary<detail::SquareRule>(x);
}

/// base^exponent, elementwise; each argument is a double, an autodiff scalar expression, an
/// autodiff vector or an Eigen object (see detail::apply_binary for the combinations). Values
/// follow std::pow, also at base 0 (+inf for a negative exponent, 1 for exponent 0) and for a
/// negative base (NaN unless the exponent is an integer). Derivatives: d/dbase =
/// exponent base^(exponent - 1), which is 0 for exponent 0; d/dexponent = base^exponent log(base),
/// which is 0 where the value is 0 and NaN for a negative base. Throws std::invalid_argument when
/// two vectors or Eigen objects differ in size.
template <class B, class E>
auto pow(const B& base, const E& exponent) {
  return detail::apply_binary<detail::PowRule>("varia::pow", base, exponent);
}

}  // namespace varia
