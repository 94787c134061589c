// The Poisson log mass with a log-rate parameter, as one fused node with analytic partials.
#pragma once

#include <cmath>
#include <type_traits>

#include <Eigen/Core>

#include <varia/ad/scalar.hpp>
#include <varia/ad/tape.hpp>
#include <varia/math/operands.hpp>

namespace varia {
namespace detail {

/// sum_i log(n_i!) over the data counts, broadcast to `size` elements.
template <class N>
double sum_log_factorial(const N& counts, Eigen::Index size) {
  if constexpr (std::is_arithmetic_v<std::remove_cvref_t<N>>) {
    return static_cast<double>(size) * std::lgamma(static_cast<double>(counts) + 1.0);
  } else {
    double total = 0.0;
    for (Eigen::Index i = 0; i < counts.size(); ++i) {
      total += std::lgamma(static_cast<double>(counts(i)) + 1.0);
    }
    return total;
  }
}

/// n alpha, taken as 0 when n is 0 whatever alpha is, so that alpha = -infinity with no event
/// gives log mass 0.
template <class N, class A>
auto count_times_log_rate(const Eigen::ArrayBase<N>& counts, const Eigen::ArrayBase<A>& alpha) {
  return (counts.derived() == 0.0).select(0.0, counts.derived() * alpha.derived());
}

}  // namespace detail

/// log Poisson(n | exp(alpha)) summed over elements: sum_i n_i alpha_i - exp(alpha_i)
/// - log(n_i!). n is data: a count, or an Eigen vector of them, of any arithmetic type. alpha
/// is a double, an Eigen vector, an autodiff scalar or an autodiff vector. Scalars are
/// broadcast over the vectors' elements. The log rate keeps the mass accurate where the rate
/// exp(alpha) underflows (alpha = -800 gives n alpha) or is large (alpha = 50).
/// Returns a double when alpha is data, else an autodiff scalar (one tape node).
/// Throws std::domain_error when a count is not a nonnegative integer or data alpha is NaN, and
/// std::invalid_argument when vector sizes differ.
template <DensityArgument N, DensityArgument A>
auto poisson_log_lpmf(const N& n, const A& alpha) {
  constexpr const char* function = "varia::poisson_log_lpmf";
  static_assert(!detail::is_autodiff<N>(), "varia::poisson_log_lpmf: the counts n must be data");
  detail::check_data(function, "n", n, "a nonnegative integer",
                     [](double v) { return v >= 0.0 && v == std::floor(v) && std::isfinite(v); });
  detail::check_data(function, "alpha", alpha, "not NaN", [](double v) { return !std::isnan(v); });
  const Eigen::Index size = detail::common_size(function, n, alpha);
  const double log_factorials = detail::sum_log_factorial(n, size);

  if constexpr (!detail::any_autodiff<A>()) {
    const auto alpha_values = detail::data_array(alpha, size);
    return (detail::count_times_log_rate(detail::data_array(n, size), alpha_values) -
            alpha_values.exp())
               .sum() -
           log_factorials;
  } else {
    constexpr int W = detail::lanes_of_all<A>();
    const detail::Operand<W, N> n_operand(n, size);
    const detail::Operand<W, A> alpha_operand(alpha, size);

    const auto alpha_flat = alpha_operand.flat();
    const auto rate = detail::evaluate_in_arena(alpha_flat.exp());
    const Eigen::Array<double, W, 1> value =
        detail::sum_per_lane<W>(detail::count_times_log_rate(n_operand.flat(), alpha_flat) - rate,
                                size) -
        log_factorials;

    ad::Tape& t = ad::tape();
    double* result_value = t.uninitialized(W);
    double* result_adjoint = t.zeros(W);
    Eigen::Map<Eigen::Array<double, W, 1>> result_map(result_value);
    result_map = value;
    t.on_backward([=] {
      const auto g = detail::repeat_per_element<W>(result_adjoint, size);
      alpha_operand.add_adjoint(g * (n_operand.flat() - rate));
    });
    return ad::Scalar<W>(result_value, result_adjoint);
  }
}

}  // namespace varia
