// The gamma log density with shape and rate parameters, as one fused node with analytic
// partials.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <type_traits>

#include <Eigen/Core>

#include <varia/ad/scalar.hpp>
#include <varia/ad/tape.hpp>
#include <varia/math/operands.hpp>
#include <varia/math/special.hpp>

namespace varia {
namespace detail {

/// digamma of a flat n x W array, evaluated W entries at a time into the arena: the fixed-size
/// blocks vectorize and make no heap allocation.
template <int W, class X>
Eigen::Map<const Eigen::ArrayXd> digamma_in_arena(const Eigen::ArrayBase<X>& x) {
  const auto input = evaluate_in_arena(x);
  double* output = ad::tape().uninitialized(static_cast<std::size_t>(input.size()));
  for (Eigen::Index start = 0; start < input.size(); start += W) {
    const Eigen::Map<const Eigen::Array<double, W, 1>> block(input.data() + start);
    Eigen::Map<Eigen::Array<double, W, 1>> result(output + start);
    result = digamma_array(block);
  }
  return Eigen::Map<const Eigen::ArrayXd>(output, input.size());
}

/// sum_i lgamma(x_i) over a data argument broadcast to `size` elements.
template <class T>
double sum_lgamma(const T& argument, Eigen::Index size) {
  if constexpr (std::is_arithmetic_v<std::remove_cvref_t<T>>) {
    return static_cast<double>(size) * std::lgamma(static_cast<double>(argument));
  } else {
    return LgammaRule::value(argument.derived().template cast<double>().array()).sum();
  }
}

/// c log(x) elementwise, taken as 0 where c is 0 so that a boundary x = 0 with exponent 0 gives
/// 0 rather than NaN.
template <class C, class L>
auto times_log(const Eigen::ArrayBase<C>& c, const Eigen::ArrayBase<L>& log_x) {
  return (c.derived() == 0.0).select(0.0, c.derived() * log_x.derived());
}

}  // namespace detail

/// log Gamma(y | alpha, beta) summed over elements, with shape alpha and rate beta:
/// sum_i alpha_i log beta_i - lgamma(alpha_i) + (alpha_i - 1) log y_i - beta_i y_i.
/// Each argument is a double, an Eigen vector, an autodiff scalar or an autodiff vector; scalars
/// are broadcast over the vectors' elements. The partial for alpha is log beta - digamma(alpha)
/// + log y. At y = 0 the density is +infinity for alpha < 1, beta for alpha = 1 and 0 for
/// alpha > 1, and the log density follows.
/// Returns a double when no argument is autodiff, else an autodiff scalar (one tape node).
/// Throws std::domain_error when data y is negative or NaN or data alpha or beta is not positive
/// and finite, and std::invalid_argument when vector sizes differ. An autodiff y < 0,
/// alpha <= 0 or beta <= 0 gives NaN in that lane.
template <DensityArgument Y, DensityArgument A, DensityArgument B>
auto gamma_lpdf(const Y& y, const A& alpha, const B& beta) {
  constexpr const char* function = "varia::gamma_lpdf";
  detail::check_data(function, "y", y, "nonnegative", [](double v) { return v >= 0.0; });
  detail::check_data(function, "alpha", alpha, "positive and finite",
                     [](double v) { return v > 0.0 && std::isfinite(v); });
  detail::check_data(function, "beta", beta, "positive and finite",
                     [](double v) { return v > 0.0 && std::isfinite(v); });
  const Eigen::Index n = detail::common_size(function, y, alpha, beta);

  if constexpr (!detail::any_autodiff<Y, A, B>()) {
    const auto alpha_values = detail::data_array(alpha, n);
    const auto beta_values = detail::data_array(beta, n);
    const auto y_values = detail::data_array(y, n);
    return (alpha_values * beta_values.log() +
            detail::times_log(alpha_values - 1.0, y_values.log()) - beta_values * y_values)
               .sum() -
           detail::sum_lgamma(alpha, n);
  } else {
    constexpr int W = detail::lanes_of_all<Y, A, B>();
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    const detail::Operand<W, Y> y_operand(y, n);
    const detail::Operand<W, A> alpha_operand(alpha, n);
    const detail::Operand<W, B> beta_operand(beta, n);

    const auto y_flat = y_operand.flat();
    const auto alpha_flat = alpha_operand.flat();
    const auto beta_flat = beta_operand.flat();
    const auto log_y = detail::evaluate_in_arena(y_flat.log());
    const auto terms = alpha_flat * beta_flat.log() + detail::times_log(alpha_flat - 1.0, log_y) -
                       beta_flat * y_flat;
    const auto valid = y_flat >= 0.0 && alpha_flat > 0.0 && beta_flat > 0.0;
    Eigen::Array<double, W, 1> value;
    if constexpr (decltype(alpha_operand)::is_autodiff) {
      value = detail::sum_per_lane<W>(
          valid.select(terms - detail::LgammaRule::value(alpha_flat), nan), n);
    } else {
      // With data alpha, lgamma is taken once per element rather than once per lane.
      value = detail::sum_per_lane<W>(valid.select(terms, nan), n) - detail::sum_lgamma(alpha, n);
    }

    ad::Tape& t = ad::tape();
    double* result_value = t.uninitialized(W);
    double* result_adjoint = t.zeros(W);
    Eigen::Map<Eigen::Array<double, W, 1>> result_map(result_value);
    result_map = value;
    t.on_backward([=] {
      const auto g = detail::repeat_per_element<W>(result_adjoint, n);
      if constexpr (decltype(y_operand)::is_autodiff) {
        const auto shape_minus_one = alpha_operand.flat() - 1.0;
        y_operand.add_adjoint(
            g * ((shape_minus_one == 0.0).select(0.0, shape_minus_one / y_operand.flat()) -
                 beta_operand.flat()));
      }
      if constexpr (decltype(alpha_operand)::is_autodiff) {
        const auto digamma_alpha = detail::digamma_in_arena<W>(alpha_operand.flat());
        alpha_operand.add_adjoint(g * (beta_operand.flat().log() - digamma_alpha + log_y));
      }
      if constexpr (decltype(beta_operand)::is_autodiff) {
        beta_operand.add_adjoint(g *
                                 (alpha_operand.flat() / beta_operand.flat() - y_operand.flat()));
      }
    });
    return ad::Scalar<W>(result_value, result_adjoint);
  }
}

}  // namespace varia
