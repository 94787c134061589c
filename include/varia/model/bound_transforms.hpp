// Transforms of scalars (and of vectors, element by element) to bounded intervals: positive,
// lower-bounded, upper-bounded and bounded. The constructions are those of the Stan Reference
// Manual, chapter "Constraint Transforms": one bound through exp, two bounds through the scaled
// inverse logit.
#pragma once

#include <cmath>
#include <string>

#include <Eigen/Core>

#include <varia/math/logistic.hpp>
#include <varia/model/transform_base.hpp>

namespace varia::transform {
namespace detail {

/// Throws std::invalid_argument unless the bound is finite.
inline double check_finite_bound(const char* function, const char* name, double bound) {
  if (!std::isfinite(bound)) {
    throw std::invalid_argument(std::string(function) + ": " + name + " is " +
                                format_number(bound) + ", but must be finite");
  }
  return bound;
}

/// The constant c in every coefficient of an array shaped like x.
template <class X>
auto constant_like(const Eigen::ArrayBase<X>& x, double c) {
  return X::PlainObject::Constant(x.rows(), x.cols(), c);
}

}  // namespace detail

/// y = exp(x), onto (0, inf). log|dy/dx| = x.
class Positive : public ElementwiseTransform<Positive> {
 public:
  template <class X>
  auto value(const Eigen::ArrayBase<X>& x) const {
    return x.derived().exp();
  }
  template <class X, class Y>
  auto derivative(const X&, const Y& y) const {
    return y;
  }
  template <class X>
  auto log_derivative(const Eigen::ArrayBase<X>& x) const {
    return x.derived();
  }
  template <class X>
  auto log_derivative_slope(const Eigen::ArrayBase<X>& x) const {
    return detail::constant_like(x, 1.0);
  }

  /// log(y); throws std::domain_error unless y > 0.
  double unconstrain_element(double y, const std::string& name) const {
    if (!(y > 0.0 && std::isfinite(y))) {
      detail::throw_outside_support("varia::transform::Positive::unconstrain", name, y,
                                    "positive and finite");
    }
    return std::log(y);
  }
};

/// y = lower + exp(x), onto (lower, inf). log|dy/dx| = x.
class LowerBounded : public ElementwiseTransform<LowerBounded> {
 public:
  /// Throws std::invalid_argument unless `lower` is finite.
  explicit LowerBounded(double lower)
      : lower_(detail::check_finite_bound("varia::transform::LowerBounded", "lower", lower)) {}

  double lower() const { return lower_; }

  template <class X>
  auto value(const Eigen::ArrayBase<X>& x) const {
    return lower_ + x.derived().exp();
  }
  template <class X, class Y>
  auto derivative(const X& x, const Y&) const {
    return x.exp();
  }
  template <class X>
  auto log_derivative(const Eigen::ArrayBase<X>& x) const {
    return x.derived();
  }
  template <class X>
  auto log_derivative_slope(const Eigen::ArrayBase<X>& x) const {
    return detail::constant_like(x, 1.0);
  }

  /// log(y - lower); throws std::domain_error unless lower < y < inf.
  double unconstrain_element(double y, const std::string& name) const {
    if (!(y > lower_ && std::isfinite(y))) {
      detail::throw_outside_support(
          "varia::transform::LowerBounded::unconstrain", name, y,
          "greater than the lower bound " + detail::format_number(lower_) + " and finite");
    }
    return std::log(y - lower_);
  }

 private:
  double lower_;
};

/// y = upper - exp(x), onto (-inf, upper). log|dy/dx| = x.
class UpperBounded : public ElementwiseTransform<UpperBounded> {
 public:
  /// Throws std::invalid_argument unless `upper` is finite.
  explicit UpperBounded(double upper)
      : upper_(detail::check_finite_bound("varia::transform::UpperBounded", "upper", upper)) {}

  double upper() const { return upper_; }

  template <class X>
  auto value(const Eigen::ArrayBase<X>& x) const {
    return upper_ - x.derived().exp();
  }
  template <class X, class Y>
  auto derivative(const X& x, const Y&) const {
    return -x.exp();
  }
  template <class X>
  auto log_derivative(const Eigen::ArrayBase<X>& x) const {
    return x.derived();
  }
  template <class X>
  auto log_derivative_slope(const Eigen::ArrayBase<X>& x) const {
    return detail::constant_like(x, 1.0);
  }

  /// log(upper - y); throws std::domain_error unless -inf < y < upper.
  double unconstrain_element(double y, const std::string& name) const {
    if (!(y < upper_ && std::isfinite(y))) {
      detail::throw_outside_support(
          "varia::transform::UpperBounded::unconstrain", name, y,
          "less than the upper bound " + detail::format_number(upper_) + " and finite");
    }
    return std::log(upper_ - y);
  }

 private:
  double upper_;
};

/// y = lower + (upper - lower) inv_logit(x), onto (lower, upper). With w = upper - lower,
/// log|dy/dx| = log w + log_sigmoid(x) + log_sigmoid(-x) = log w - |x| - 2 log(1 + exp(-|x|)),
/// finite for every finite x. For x > 0 the value is computed as upper - w inv_logit(-x), which
/// keeps the distance to the nearer bound accurate.
class Bounded : public ElementwiseTransform<Bounded> {
 public:
  /// Throws std::invalid_argument unless both bounds are finite and lower < upper.
  Bounded(double lower, double upper)
      : lower_(detail::check_finite_bound("varia::transform::Bounded", "lower", lower)),
        upper_(detail::check_finite_bound("varia::transform::Bounded", "upper", upper)) {
    if (!(lower_ < upper_)) {
      throw std::invalid_argument(
          "varia::transform::Bounded: lower is " + detail::format_number(lower_) +
          " and upper is " + detail::format_number(upper_) + ", but lower must be less than upper");
    }
  }

  double lower() const { return lower_; }
  double upper() const { return upper_; }

  template <class X>
  auto value(const Eigen::ArrayBase<X>& x) const {
    const double width = upper_ - lower_;
    // With e = exp(-|x|): inv_logit(-|x|) = e / (1 + e).
    const auto e = (-x.derived().abs()).exp();
    const auto small_part = width * e / (1.0 + e);
    return (x.derived() > 0.0).select(upper_ - small_part, lower_ + small_part);
  }
  template <class X, class Y>
  auto derivative(const X& x, const Y&) const {
    // w inv_logit(x) inv_logit(-x) = w e / (1 + e)^2 with e = exp(-|x|).
    const auto e = (-x.abs()).exp();
    return (upper_ - lower_) * e / (1.0 + e).square();
  }
  template <class X>
  auto log_derivative(const Eigen::ArrayBase<X>& x) const {
    const auto e = (-x.derived().abs()).exp();
    return std::log(upper_ - lower_) - x.derived().abs() - 2.0 * varia::detail::log1p_small(e);
  }
  template <class X>
  auto log_derivative_slope(const Eigen::ArrayBase<X>& x) const {
    // inv_logit(-x) - inv_logit(x) = -sign(x) (1 - e) / (1 + e) with e = exp(-|x|).
    const auto e = (-x.derived().abs()).exp();
    const auto magnitude = (1.0 - e) / (1.0 + e);
    return (x.derived() > 0.0).select(-magnitude, magnitude);
  }

  /// log(y - lower) - log(upper - y); throws std::domain_error unless lower < y < upper.
  double unconstrain_element(double y, const std::string& name) const {
    if (!(y > lower_ && y < upper_)) {
      detail::throw_outside_support("varia::transform::Bounded::unconstrain", name, y,
                                    "strictly between the bounds " + detail::format_number(lower_) +
                                        " and " + detail::format_number(upper_));
    }
    return std::log(y - lower_) - std::log(upper_ - y);
  }

 private:
  double lower_;
  double upper_;
};

}  // namespace varia::transform
