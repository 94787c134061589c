// abs, fmin and fmax, with their derivative rules.
#pragma once

#include <cmath>

#include <Eigen/Core>

#include <varia/math/apply.hpp>

namespace varia {
namespace detail {

/// An array of the shape of x with every coefficient equal to c.
template <class X>
auto constant_like(const X& x, double c) {
  return X::PlainObject::Constant(x.rows(), x.cols(), c);
}

struct AbsRule {
  static double value(double x) { return std::abs(x); }
  template <class X>
  static auto value(const Eigen::ArrayBase<X>& x) {
    return x.derived().abs();
  }
  // sign(x), taken as 0 at x = 0 and for NaN.
  template <class X, class V>
  static auto derivative(const X& x, const V&) {
    return (x > 0.0).select(constant_like(x, 1.0),
                            (x < 0.0).select(constant_like(x, -1.0), constant_like(x, 0.0)));
  }
};

/// The share of the adjoint that goes to an argument equal to `chosen`: all of it when only
/// this argument equals the value, half at a tie, none when the other argument was chosen
/// (including when this one is NaN).
template <class A, class B, class V>
auto selection_weight(const A& chosen, const B& other, const V& value) {
  return (value == chosen)
      .select((value == other).select(constant_like(value, 0.5), constant_like(value, 1.0)),
              constant_like(value, 0.0));
}

struct FminRule {
  static double value(double a, double b) { return std::fmin(a, b); }
  // Eigen's default min has an unspecified result for NaN; PropagateNumbers matches std::fmin.
  template <class A, class B>
  static auto value(const Eigen::ArrayBase<A>& a, const Eigen::ArrayBase<B>& b) {
    return a.derived().binaryExpr(
        b.derived(), Eigen::internal::scalar_min_op<double, double, Eigen::PropagateNumbers>());
  }
  template <class G, class A, class B, class V>
  static auto left_adjoint(const G& g, const A& a, const B& b, const V& value) {
    return g * selection_weight(a, b, value);
  }
  template <class G, class A, class B, class V>
  static auto right_adjoint(const G& g, const A& a, const B& b, const V& value) {
    return g * selection_weight(b, a, value);
  }
};

struct FmaxRule {
  static double value(double a, double b) { return std::fmax(a, b); }
  template <class A, class B>
  static auto value(const Eigen::ArrayBase<A>& a, const Eigen::ArrayBase<B>& b) {
    return a.derived().binaryExpr(
        b.derived(), Eigen::internal::scalar_max_op<double, double, Eigen::PropagateNumbers>());
  }
  template <class G, class A, class B, class V>
  static auto left_adjoint(const G& g, const A& a, const B& b, const V& value) {
    return g * selection_weight(a, b, value);
  }
  template <class G, class A, class B, class V>
  static auto right_adjoint(const G& g, const A& a, const B& b, const V& value) {
    return g * selection_weight(b, a, value);
  }
};

}  // namespace detail

/// |x|, elementwise. Its derivative is sign(x), and 0 at x = 0.
template <class T>
auto abs(const T& x) {
  return detail::apply_unary<detail::AbsRule>(x);
}

/// The smaller argument, elementwise, as std::fmin: a NaN argument loses to a number. The
/// adjoint goes to the chosen argument, half to each at a tie, so fmin(x, x) has derivative 1.
/// Throws std::invalid_argument when two vectors or Eigen objects differ in size.
template <class A, class B>
auto fmin(const A& a, const B& b) {
  return detail::apply_binary<detail::FminRule>("varia::fmin", a, b);
}

/// The larger argument, elementwise, as std::fmax; derivatives as for fmin.
template <class A, class B>
auto fmax(const A& a, const B& b) {
  return detail::apply_binary<detail::FmaxRule>("varia::fmax", a, b);
}

}  // namespace varia
