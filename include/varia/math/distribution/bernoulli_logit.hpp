// The Bernoulli log mass with a logit parameter, as one fused node with analytic partials.
#pragma once

#include <cmath>

#include <Eigen/Core>

#include <varia/ad/scalar.hpp>
#include <varia/ad/tape.hpp>
#include <varia/math/logistic.hpp>
#include <varia/math/operands.hpp>

namespace varia {

/// log Bernoulli(y | inv_logit(eta)) summed over elements: sum_i y_i eta_i - log1p_exp(eta_i).
/// y is data (a 0 or 1, or an Eigen vector of them, of any arithmetic type); eta is a double,
/// an Eigen vector, an autodiff scalar or an autodiff vector. exp(-|eta|) is computed once per
/// entry and serves both the value and the partial y - inv_logit(eta).
/// Throws std::domain_error when an outcome is not 0 or 1 or data eta is NaN, and
/// std::invalid_argument when vector sizes differ.
template <DensityArgument Y, DensityArgument T>
auto bernoulli_logit_lpmf(const Y& y, const T& eta) {
  constexpr const char* function = "varia::bernoulli_logit_lpmf";
  static_assert(!detail::is_autodiff<Y>(), "varia::bernoulli_logit_lpmf: y must be data");
  detail::check_data(function, "y", y, "0 or 1", [](double v) { return v == 0.0 || v == 1.0; });
  detail::check_data(function, "eta", eta, "not NaN", [](double v) { return !std::isnan(v); });
  const Eigen::Index n = detail::common_size(function, y, eta);

  if constexpr (!detail::any_autodiff<T>()) {
    const auto eta_values = detail::data_array(eta, n);
    return (detail::data_array(y, n) * eta_values).sum() -
           detail::Log1pExpRule::value(eta_values).sum();
  } else {
    constexpr int W = detail::lanes_of_all<T>();
    const detail::Operand<W, Y> y_operand(y, n);
    const detail::Operand<W, T> eta_operand(eta, n);

    const auto eta_flat = eta_operand.flat();
    const auto e = detail::evaluate_in_arena(detail::exp_negative_abs(eta_flat));
    const Eigen::Array<double, W, 1> value = detail::sum_per_lane<W>(
        y_operand.flat() * eta_flat - eta_flat.max(0.0) - detail::log1p_small(e), n);

    ad::Tape& t = ad::tape();
    double* result_value = t.uninitialized(W);
    double* result_adjoint = t.zeros(W);
    Eigen::Map<Eigen::Array<double, W, 1>> result_map(result_value);
    result_map = value;
    t.on_backward([y_operand, eta_operand, e, n, result_adjoint] {
      const auto g = detail::repeat_per_element<W>(result_adjoint, n);
      eta_operand.add_adjoint(g *
                              (y_operand.flat() - detail::logistic_from(eta_operand.flat(), e)));
    });
    return ad::Scalar<W>(result_value, result_adjoint);
  }
}

}  // namespace varia
