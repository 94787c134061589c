// The normal log density as one fused node with analytic partials.
#pragma once

#include <cmath>
#include <numbers>
#include <type_traits>

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
auto normal_lpdf(const Y& y_argument, const M& mu_argument, const S& sigma_argument) {
  constexpr const char* function = "varia::normal_lpdf";
  const auto& y = detail::evaluate_data(y_argument);
  const auto& mu = detail::evaluate_data(mu_argument);
  const auto& sigma = detail::evaluate_data(sigma_argument);
  using YData = std::remove_cvref_t<decltype(y)>;
  using MData = std::remove_cvref_t<decltype(mu)>;
  using SData = std::remove_cvref_t<decltype(sigma)>;
  detail::check_data(function, "y", y, "not NaN", [](double v) { return !std::isnan(v); });
  detail::check_data(function, "mu", mu, "finite", [](double v) { return std::isfinite(v); });
  detail::check_data(function, "sigma", sigma, "positive and finite",
                     [](double v) { return v > 0.0 && std::isfinite(v); });
  const Eigen::Index n = detail::common_size(function, y, mu, sigma);
  constexpr double half_log_two_pi = 0.91893853320467274178;  // log(2 pi) / 2

  if constexpr (!detail::any_autodiff<YData, MData, SData>()) {
    const auto difference = detail::data_array(y, n) - detail::data_array(mu, n);
    if constexpr (std::is_arithmetic_v<SData>) {
      // A scalar sigma: one division and one log in all.
      const double scale = static_cast<double>(sigma);
      return -0.5 * difference.square().sum() / (scale * scale) -
             static_cast<double>(n) * (std::log(scale) + half_log_two_pi);
    } else {
      const auto sigma_values = detail::data_array(sigma, n);
      return -0.5 * (difference / sigma_values).square().sum() - sigma_values.log().sum() -
             static_cast<double>(n) * half_log_two_pi;
    }
  } else {
    constexpr int W = detail::lanes_of_all<YData, MData, SData>();
    using YOperand = detail::LaneOperand<W, YData>;
    using MOperand = detail::LaneOperand<W, MData>;
    using SOperand = detail::LaneOperand<W, SData>;
    YOperand y_operand(y, n);
    MOperand mu_operand(mu, n);
    SOperand sigma_operand(sigma, n);
    const auto count = static_cast<Eigen::Index>(n * W);

    ad::Tape& t = ad::tape();
    Eigen::Map<Eigen::ArrayXd> z(t.uninitialized(static_cast<std::size_t>(count)), count);
    Eigen::Array<double, W, 1> value;
    if constexpr (SOperand::is_autodiff) {
      const auto sigma_flat = sigma_operand.flat();
      z = (y_operand.flat() - mu_operand.flat()) / sigma_flat;
      value = detail::sum_rows_per_lane<W>(-0.5 * z.square() - sigma_flat.log(), n) -
              static_cast<double>(n) * half_log_two_pi;
      // d/dsigma = (z^2 - 1) / sigma, and d/dmu = -d/dy = z / sigma.
      sigma_operand.set_partials(0, n, (z.square() - 1.0) / sigma_flat);
      if constexpr (YOperand::is_autodiff || MOperand::is_autodiff) {
        z /= sigma_flat;
      }
    } else {
      // Data sigma: its logs are summed once over the n elements, not per lane.
      double log_sigma_sum = 0.0;
      if constexpr (SOperand::is_constant_scalar) {
        const double scale = sigma_operand.constant();
        z = (y_operand.flat() - mu_operand.flat()) * (1.0 / scale);
        log_sigma_sum = static_cast<double>(n) * std::log(scale);
      } else {
        const auto sigma_values = detail::data_array(sigma, n);
        log_sigma_sum = sigma_values.log().sum();
        z = (y_operand.flat() - mu_operand.flat()) / sigma_operand.flat();
      }
      value = detail::sum_rows_per_lane<W>(-0.5 * z.square(), n) -
              (log_sigma_sum + static_cast<double>(n) * half_log_two_pi);
      if constexpr (YOperand::is_autodiff || MOperand::is_autodiff) {
        if constexpr (SOperand::is_constant_scalar) {
          z *= 1.0 / sigma_operand.constant();
        } else {
          z /= sigma_operand.flat();
        }
      }
    }
    // z now contains z / sigma where y or mu needs it.
    y_operand.set_partials(0, n, -z);
    mu_operand.set_partials(0, n, z);

    double* result_value = t.uninitialized(W);
    double* result_adjoint = t.zeros(W);
    Eigen::Map<Eigen::Array<double, W, 1>> result_map(result_value);
    result_map = value;
    t.on_backward([=] {
      y_operand.backward(result_adjoint);
      mu_operand.backward(result_adjoint);
      sigma_operand.backward(result_adjoint);
    });
    return ad::Scalar<W>(result_value, result_adjoint);
  }
}

}  // namespace varia
