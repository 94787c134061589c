// The binomial log mass with a logit parameter, as one fused node with analytic partials.
#pragma once

#include <cmath>
#include <stdexcept>
#include <string>
#include <type_traits>

#include <Eigen/Core>

#include <varia/ad/scalar.hpp>
#include <varia/ad/tape.hpp>
#include <varia/math/logistic.hpp>
#include <varia/math/operands.hpp>

namespace varia {
namespace detail {

/// Element i of a data argument as a double: the argument itself when it is a number.
template <class T>
double data_element(const T& argument, Eigen::Index i) {
  if constexpr (std::is_arithmetic_v<std::remove_cvref_t<T>>) {
    return static_cast<double>(argument);
  } else {
    return static_cast<double>(argument(i));
  }
}

/// Checks that every n_i <= N_i and returns sum_i log binomial(N_i, n_i), from log-gamma values.
template <class Successes, class Trials>
double sum_log_binomial_coefficients(const char* function, const Successes& n, const Trials& N,
                                     Eigen::Index size) {
  double total = 0.0;
  for (Eigen::Index i = 0; i < size; ++i) {
    const double successes = data_element(n, i);
    const double trials = data_element(N, i);
    if (successes > trials) {
      const std::string where = std::is_arithmetic_v<std::remove_cvref_t<Successes>>
                                    ? std::string("n")
                                    : "n[" + std::to_string(i) + "]";
      throw std::domain_error(std::string(function) + ": " + where + " is " +
                              std::to_string(successes) + ", but must be at most N, which is " +
                              std::to_string(trials));
    }
    total += std::lgamma(trials + 1.0) - std::lgamma(successes + 1.0) -
             std::lgamma(trials - successes + 1.0);
  }
  return total;
}

/// The terms n log(inv_logit(alpha)) + (N - n) log(1 - inv_logit(alpha)) - N log1p(e) without
/// the last part, from the identities log(inv_logit(alpha)) = min(alpha, 0) - log1p(e) and
/// log(1 - inv_logit(alpha)) = -max(alpha, 0) - log1p(e) with e = exp(-|alpha|). A count of 0
/// contributes 0 even where alpha is infinite.
template <class S, class T, class A>
auto binomial_logit_linear_terms(const Eigen::ArrayBase<S>& successes,
                                 const Eigen::ArrayBase<T>& trials,
                                 const Eigen::ArrayBase<A>& alpha) {
  const auto& n = successes.derived();
  const auto failures = trials.derived() - n;
  return (n == 0.0).select(0.0, n * alpha.derived().min(0.0)) -
         (failures == 0.0).select(0.0, failures * alpha.derived().max(0.0));
}

}  // namespace detail

/// log Binomial(n | N, inv_logit(alpha)) summed over elements: sum_i log binomial(N_i, n_i)
/// + n_i log(inv_logit(alpha_i)) + (N_i - n_i) log(1 - inv_logit(alpha_i)). n (successes) and
/// N (trials) are data: nonnegative integers, or Eigen vectors of them, of any arithmetic type.
/// alpha is a double, an Eigen vector, an autodiff scalar or an autodiff vector; scalars are
/// broadcast over the vectors' elements. Stable for any alpha: exp(-|alpha|) is computed once
/// per entry and serves both the value and the partial n - N inv_logit(alpha).
/// Returns a double when alpha is data, else an autodiff scalar (one tape node).
/// Throws std::domain_error when n or N is not a nonnegative integer, n exceeds N or data alpha
/// is NaN, and std::invalid_argument when vector sizes differ.
template <DensityArgument S, DensityArgument T, DensityArgument A>
auto binomial_logit_lpmf(const S& n, const T& N, const A& alpha) {
  constexpr const char* function = "varia::binomial_logit_lpmf";
  static_assert(!detail::is_autodiff<S>() && !detail::is_autodiff<T>(),
                "varia::binomial_logit_lpmf: the successes n and the trials N must be data");
  auto nonnegative_integer = [](double v) {
    return v >= 0.0 && v == std::floor(v) && std::isfinite(v);
  };
  detail::check_data(function, "n", n, "a nonnegative integer", nonnegative_integer);
  detail::check_data(function, "N", N, "a nonnegative integer", nonnegative_integer);
  detail::check_data(function, "alpha", alpha, "not NaN", [](double v) { return !std::isnan(v); });
  const Eigen::Index size = detail::common_size(function, n, N, alpha);
  const double log_coefficients = detail::sum_log_binomial_coefficients(function, n, N, size);

  if constexpr (!detail::any_autodiff<A>()) {
    const auto alpha_values = detail::data_array(alpha, size);
    const auto trials = detail::data_array(N, size);
    return log_coefficients +
           (detail::binomial_logit_linear_terms(detail::data_array(n, size), trials, alpha_values) -
            trials * detail::log1p_small(detail::exp_negative_abs(alpha_values)))
               .sum();
  } else {
    constexpr int W = detail::lanes_of_all<A>();
    const detail::Operand<W, S> n_operand(n, size);
    const detail::Operand<W, T> trials_operand(N, size);
    const detail::Operand<W, A> alpha_operand(alpha, size);

    const auto alpha_flat = alpha_operand.flat();
    const auto e = detail::evaluate_in_arena(detail::exp_negative_abs(alpha_flat));
    const Eigen::Array<double, W, 1> value =
        detail::sum_per_lane<W>(detail::binomial_logit_linear_terms(
                                    n_operand.flat(), trials_operand.flat(), alpha_flat) -
                                    trials_operand.flat() * detail::log1p_small(e),
                                size) +
        log_coefficients;

    ad::Tape& t = ad::tape();
    double* result_value = t.uninitialized(W);
    double* result_adjoint = t.zeros(W);
    Eigen::Map<Eigen::Array<double, W, 1>> result_map(result_value);
    result_map = value;
    t.on_backward([=] {
      const auto g = detail::repeat_per_element<W>(result_adjoint, size);
      alpha_operand.add_adjoint(
          g * (n_operand.flat() -
               trials_operand.flat() * detail::logistic_from(alpha_operand.flat(), e)));
    });
    return ad::Scalar<W>(result_value, result_adjoint);
  }
}

}  // namespace varia
