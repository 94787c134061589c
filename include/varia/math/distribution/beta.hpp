// The beta log density as one fused node with analytic partials.
#pragma once

#include <cmath>
#include <limits>
#include <type_traits>

#include <Eigen/Core>

#include <varia/ad/scalar.hpp>
#include <varia/ad/tape.hpp>
#include <varia/math/distribution/gamma.hpp>
#include <varia/math/operands.hpp>
#include <varia/math/special.hpp>

namespace varia {
namespace detail {

/// sum_i log B(a_i, b_i) = lgamma(a_i) + lgamma(b_i) - lgamma(a_i + b_i) over data arguments
/// broadcast to `size` elements.
template <class A, class B>
double sum_log_beta_function(const A& a, const B& b, Eigen::Index size) {
  const auto a_values = data_array(a, size);
  const auto b_values = data_array(b, size);
  return (LgammaRule::value(a_values) + LgammaRule::value(b_values) -
          LgammaRule::value(a_values + b_values))
      .sum();
}

}  // namespace detail

/// log Beta(y | a, b) summed over elements: sum_i (a_i - 1) log y_i + (b_i - 1) log(1 - y_i)
/// - log B(a_i, b_i), with B(a, b) = Gamma(a) Gamma(b) / Gamma(a + b). Each argument is a
/// double, an Eigen vector, an autodiff scalar or an autodiff vector; scalars are broadcast over
/// the vectors' elements. The partials for a and b are log y - digamma(a) + digamma(a + b) and
/// log(1 - y) - digamma(b) + digamma(a + b). At y = 0 or 1 the log density is +-infinity, or
/// finite where the exponent a - 1 or b - 1 is 0.
/// Returns a double when no argument is autodiff, else an autodiff scalar (one tape node).
/// Throws std::domain_error when data y is outside [0, 1] or data a or b is not positive and
/// finite, and std::invalid_argument when vector sizes differ. An autodiff y outside [0, 1], or
/// a or b <= 0, gives NaN in that lane.
/// NOTE: log B(a, b) is a difference of lgamma values, so for large a and b its absolute error
/// is roughly 1e-16 lgamma(a + b) (an estimate: about 3e-9 at a = b = 1e6).
template <DensityArgument Y, DensityArgument A, DensityArgument B>
auto beta_lpdf(const Y& y, const A& a, const B& b) {
  constexpr const char* function = "varia::beta_lpdf";
  detail::check_data(function, "y", y, "in [0, 1]", [](double v) { return v >= 0.0 && v <= 1.0; });
  detail::check_data(function, "a", a, "positive and finite",
                     [](double v) { return v > 0.0 && std::isfinite(v); });
  detail::check_data(function, "b", b, "positive and finite",
                     [](double v) { return v > 0.0 && std::isfinite(v); });
  const Eigen::Index n = detail::common_size(function, y, a, b);

  if constexpr (!detail::any_autodiff<Y, A, B>()) {
    const auto y_values = detail::data_array(y, n);
    return (detail::times_log(detail::data_array(a, n) - 1.0, y_values.log()) +
            detail::times_log(detail::data_array(b, n) - 1.0, (-y_values).log1p()))
               .sum() -
           detail::sum_log_beta_function(a, b, n);
  } else {
    constexpr int W = detail::lanes_of_all<Y, A, B>();
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    const detail::Operand<W, Y> y_operand(y, n);
    const detail::Operand<W, A> a_operand(a, n);
    const detail::Operand<W, B> b_operand(b, n);

    const auto y_flat = y_operand.flat();
    const auto a_flat = a_operand.flat();
    const auto b_flat = b_operand.flat();
    const auto log_y = detail::evaluate_in_arena(y_flat.log());
    const auto log_one_minus_y = detail::evaluate_in_arena((-y_flat).log1p());
    const auto terms =
        detail::times_log(a_flat - 1.0, log_y) + detail::times_log(b_flat - 1.0, log_one_minus_y);
    const auto valid = y_flat >= 0.0 && y_flat <= 1.0 && a_flat > 0.0 && b_flat > 0.0;
    constexpr bool parameters_autodiff =
        decltype(a_operand)::is_autodiff || decltype(b_operand)::is_autodiff;
    Eigen::Array<double, W, 1> value;
    if constexpr (parameters_autodiff) {
      value = detail::sum_per_lane<W>(valid.select(terms - detail::LgammaRule::value(a_flat) -
                                                       detail::LgammaRule::value(b_flat) +
                                                       detail::LgammaRule::value(a_flat + b_flat),
                                                   nan),
                                      n);
    } else {
      // With data a and b, log B(a, b) is taken once per element rather than once per lane.
      value = detail::sum_per_lane<W>(valid.select(terms, nan), n) -
              detail::sum_log_beta_function(a, b, n);
    }

    ad::Tape& t = ad::tape();
    double* result_value = t.uninitialized(W);
    double* result_adjoint = t.zeros(W);
    Eigen::Map<Eigen::Array<double, W, 1>> result_map(result_value);
    result_map = value;
    t.on_backward([=] {
      const auto g = detail::repeat_per_element<W>(result_adjoint, n);
      if constexpr (decltype(y_operand)::is_autodiff) {
        const auto a_minus_one = a_operand.flat() - 1.0;
        const auto b_minus_one = b_operand.flat() - 1.0;
        const auto y_values = y_operand.flat();
        y_operand.add_adjoint(g *
                              ((a_minus_one == 0.0).select(0.0, a_minus_one / y_values) -
                               (b_minus_one == 0.0).select(0.0, b_minus_one / (1.0 - y_values))));
      }
      if constexpr (parameters_autodiff) {
        const auto digamma_sum = detail::digamma_in_arena<W>(a_operand.flat() + b_operand.flat());
        if constexpr (decltype(a_operand)::is_autodiff) {
          const auto digamma_a = detail::digamma_in_arena<W>(a_operand.flat());
          a_operand.add_adjoint(g * (log_y - digamma_a + digamma_sum));
        }
        if constexpr (decltype(b_operand)::is_autodiff) {
          const auto digamma_b = detail::digamma_in_arena<W>(b_operand.flat());
          b_operand.add_adjoint(g * (log_one_minus_y - digamma_b + digamma_sum));
        }
      }
    });
    return ad::Scalar<W>(result_value, result_adjoint);
  }
}

}  // namespace varia
