// The normal log density as one fused node with analytic partials.
#pragma once

#include <cmath>
#include <numbers>

#include <Eigen/Core>

#include <varia/ad/scalar.hpp>
#include <varia/ad/tape.hpp>
#include <varia/math/operands.hpp>

namespace varia {

/// log N(y | mu, sigma) summed over elements: sum_i -(y_i - mu_i)^2 / (2 sigma_i^2)
/// - log sigma_i - log(2 pi) / 2. Each argument is a double, an Eigen vector, an autodiff
/// scalar or an autodiff vector; scalars are broadcast over the vectors' elements.
/// Returns a double when no argument is autodiff, else an autodiff scalar (one tape node).
/// Throws std::domain_error when data sigma is not positive and finite or data y or mu is NaN,
/// and std::invalid_argument when vector sizes differ. An autodiff sigma <= 0 gives NaN in
/// that lane.
template <DensityArgument Y, DensityArgument M, DensityArgument S>
auto normal_lpdf(const Y& y, const M& mu, const S& sigma) {
  constexpr const char* function = "varia::normal_lpdf";
  detail::check_data(function, "y", y, "not NaN", [](double v) { return !std::isnan(v); });
  detail::check_data(function, "mu", mu, "finite", [](double v) { return std::isfinite(v); });
  detail::check_data(function, "sigma", sigma, "positive and finite",
                     [](double v) { return v > 0.0 && std::isfinite(v); });
  const Eigen::Index n = detail::common_size(function, y, mu, sigma);
  constexpr double half_log_two_pi = 0.91893853320467274178;  // log(2 pi) / 2

  if constexpr (!detail::any_autodiff<Y, M, S>()) {
    const auto sigma_values = detail::data_array(sigma, n);
    const auto z = (detail::data_array(y, n) - detail::data_array(mu, n)) / sigma_values;
    return -0.5 * z.square().sum() - sigma_values.log().sum() -
           static_cast<double>(n) * half_log_two_pi;
  } else {
    constexpr int W = detail::lanes_of_all<Y, M, S>();
    const detail::Operand<W, Y> y_operand(y, n);
    const detail::Operand<W, M> mu_operand(mu, n);
    const detail::Operand<W, S> sigma_operand(sigma, n);

    // With a constant sigma, log sigma is taken once instead of once per element.
    const auto z =
        detail::evaluate_in_arena((y_operand.flat() - mu_operand.flat()) / sigma_operand.flat());
    Eigen::Array<double, W, 1> value;
    if constexpr (detail::Operand<W, S>::is_constant_scalar) {
      value = detail::sum_per_lane<W>(-0.5 * z.square(), n) -
              static_cast<double>(n) * (std::log(sigma_operand.constant()) + half_log_two_pi);
    } else {
      value = detail::sum_per_lane<W>(-0.5 * z.square() - sigma_operand.flat().log(), n) -
              static_cast<double>(n) * half_log_two_pi;
    }

    ad::Tape& t = ad::tape();
    double* result_value = t.uninitialized(W);
    double* result_adjoint = t.zeros(W);
    Eigen::Map<Eigen::Array<double, W, 1>> result_map(result_value);
    result_map = value;
    t.on_backward([y_operand, mu_operand, sigma_operand, z, n, result_adjoint] {
      const auto g = detail::repeat_per_element<W>(result_adjoint, n);
      const auto scaled = detail::evaluate_in_arena(g * z / sigma_operand.flat());
      if constexpr (decltype(y_operand)::is_autodiff) {
        y_operand.add_adjoint(-scaled);
      }
      if constexpr (decltype(mu_operand)::is_autodiff) {
        mu_operand.add_adjoint(scaled);
      }
      if constexpr (decltype(sigma_operand)::is_autodiff) {
        sigma_operand.add_adjoint(scaled * z - g / sigma_operand.flat());
      }
    });
    return ad::Scalar<W>(result_value, result_adjoint);
  }
}

}  // namespace varia
