// log_sum_exp: log(e^a + e^b) of two arguments, and log(sum_i e^(x_i)) of a vector, without
// overflow or underflow.
#pragma once

#include <cmath>
#include <limits>
#include <numbers>

#include <Eigen/Core>

#include <varia/ad/lanes.hpp>
#include <varia/ad/tape.hpp>
#include <varia/ad/vector.hpp>
#include <varia/math/apply.hpp>
#include <varia/math/exp_log.hpp>

namespace varia {
namespace detail {

/// x with +-inf replaced by +-max double, so that differences of equal infinities are 0.
template <class X>
auto clamp_infinities(const X& x) {
  constexpr double largest = std::numeric_limits<double>::max();
  return x.max(-largest).min(largest);
}

/// log(e^a + e^b) = max(a, b) + log1p(e^(-|a - b|)). The derivatives are the weights
/// e^a / (e^a + e^b) = 1 / (1 + e^(b - a)) and 1 / (1 + e^(a - b)); where a and b are the same
/// infinity, the difference is taken as 0, so the value is that infinity and each weight is 1/2.
struct LogSumExpRule {
  static double value(double a, double b) {
    if (a == b) {
      return a + std::numbers::ln2;  // also +-inf for two equal infinities
    }
    const double larger = std::fmax(a, b);
    return larger + std::log1p(std::exp(-std::abs(a - b)));
  }
  template <class A, class B>
  static auto value(const Eigen::ArrayBase<A>& a, const Eigen::ArrayBase<B>& b) {
    // The left operand of Eigen's max propagates NaN, so NaN in b reaches the result through
    // the difference.
    const auto difference = clamp_infinities(a.derived()) - clamp_infinities(b.derived());
    return a.derived().max(b.derived()) + log1p_array((-difference.abs()).exp());
  }
  template <class G, class A, class B, class V>
  static auto left_adjoint(const G& g, const A& a, const B& b, const V&) {
    return g / (1.0 + (clamp_infinities(b) - clamp_infinities(a)).exp());
  }
  template <class G, class A, class B, class V>
  static auto right_adjoint(const G& g, const A& a, const B& b, const V&) {
    return g / (1.0 + (clamp_infinities(a) - clamp_infinities(b)).exp());
  }
};

/// log(sum_i e^(x_i)) over the coefficients of x, with the maximum m factored out:
/// m + log(sum_i e^(x_i - m)). An infinite maximum is returned directly (Eigen's vectorized exp
/// maps -inf to a tiny positive number rather than 0, so it must not reach the sum): -inf when all
/// coefficients are -inf or there are none, +inf when one is +inf, and NaN when one is NaN.
template <class X>
double log_sum_exp_of(const X& x) {
  if (x.size() == 0) {
    return -std::numeric_limits<double>::infinity();
  }
  const double maximum = x.maxCoeff();
  if (std::isinf(maximum)) {
    return x.hasNaN() ? std::numeric_limits<double>::quiet_NaN() : maximum;
  }
  return maximum + std::log((x.array() - maximum).exp().sum());
}

}  // namespace detail

/// log(e^a + e^b), elementwise and without overflow; a and b are each a double, an autodiff
/// scalar expression, an autodiff vector or an Eigen object. log_sum_exp(-inf, -inf) is -inf.
/// Throws std::invalid_argument when two vectors or Eigen objects differ in size.
template <class A, class B>
auto log_sum_exp(const A& a, const B& b) {
  return detail::apply_binary<detail::LogSumExpRule>("varia::log_sum_exp", a, b);
}

/// log(sum_i e^(x_i)) over the coefficients of an Eigen object: -inf when all are -inf or there
/// are none, +inf when one is +inf, NaN when one is NaN.
template <class Derived>
double log_sum_exp(const Eigen::DenseBase<Derived>& x) {
  return detail::log_sum_exp_of(x.derived());
}

/// log(sum_i e^(v_i)) of an autodiff vector, per lane, recorded as one tape node. The gradient
/// is the softmax e^(v_i - value). In a lane whose value is +-inf, the adjoint is shared equally
/// by the elements equal to that value (all elements when all are -inf).
template <int W>
ad::Scalar<W> log_sum_exp(const ad::Vector<W>& vector) {
  ad::Tape& t = ad::tape();
  double* value = t.uninitialized(W);
  double* adjoint = t.zeros(W);
  Eigen::Map<ad::Lanes<W>> result(value);
  for (Eigen::Index j = 0; j < W; ++j) {
    result(j) = detail::log_sum_exp_of(vector.value().col(j));
  }
  t.on_backward([vector, value, adjoint] {
    const Eigen::Map<const Eigen::Matrix<double, 1, W>> lse(value);
    const Eigen::Map<const Eigen::Matrix<double, 1, W>> g(adjoint);
    if (lse.allFinite()) {
      vector.adjoint().array() +=
          (vector.value().rowwise() - lse).array().exp().rowwise() * g.array();
      return;
    }
    for (Eigen::Index j = 0; j < W; ++j) {
      auto column = vector.value().col(j).array();
      if (std::isfinite(lse(j))) {
        vector.adjoint().col(j).array() += g(j) * (column - lse(j)).exp();
      } else if (!std::isnan(lse(j))) {
        const auto equal = (column == lse(j)).template cast<double>();
        const double count = equal.sum();
        vector.adjoint().col(j).array() += (g(j) / count) * equal;
      } else {
        vector.adjoint().col(j).array() += std::numeric_limits<double>::quiet_NaN();
      }
    }
  });
  return ad::Scalar<W>(value, adjoint);
}

}  // namespace varia
