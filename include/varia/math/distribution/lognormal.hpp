// The lognormal log density as one fused node with analytic partials.
#pragma once

#include <cmath>
#include <limits>

#include <Eigen/Core>

#include <varia/ad/scalar.hpp>
#include <varia/ad/tape.hpp>
#include <varia/math/operands.hpp>

namespace varia {

/// log LogNormal(y | mu, sigma) summed over elements: sum_i -(log y_i - mu_i)^2 / (2 sigma_i^2)
/// - log sigma_i - log y_i - log(2 pi) / 2. Each argument is a double, an Eigen vector, an
/// autodiff scalar or an autodiff vector; scalars are broadcast over the vectors' elements.
/// Returns a double when no argument is autodiff, else an autodiff scalar (one tape node). A y
/// of 0 has density 0 and gives -infinity.
/// Throws std::domain_error when data y is negative or NaN, data mu is not finite or data sigma
/// is not positive and finite, and std::invalid_argument when vector sizes differ. An autodiff
/// y < 0 or sigma <= 0 gives NaN in that lane.
template <DensityArgument Y, DensityArgument M, DensityArgument S>
auto lognormal_lpdf(const Y& y, const M& mu, const S& sigma) {
  constexpr const char* function = "varia::lognormal_lpdf";
  detail::check_data(function, "y", y, "nonnegative", [](double v) { return v >= 0.0; });
  detail::check_data(function, "mu", mu, "finite", [](double v) { return std::isfinite(v); });
  detail::check_data(function, "sigma", sigma, "positive and finite",
                     [](double v) { return v > 0.0 && std::isfinite(v); });
  const Eigen::Index n = detail::common_size(function, y, mu, sigma);
  constexpr double half_log_two_pi = 0.91893853320467274178;  // log(2 pi) / 2
  constexpr double infinity = std::numeric_limits<double>::infinity();

  if constexpr (!detail::any_autodiff<Y, M, S>()) {
    const auto y_values = detail::data_array(y, n);
    if ((y_values == 0.0).any()) {
      return -infinity;
    }
    const auto log_y = y_values.log();
    const auto sigma_values = detail::data_array(sigma, n);
    const auto z = (log_y - detail::data_array(mu, n)) / sigma_values;
    return (-0.5 * z.square() - sigma_values.log() - log_y).sum() -
           static_cast<double>(n) * half_log_two_pi;
  } else {
    constexpr int W = detail::lanes_of_all<Y, M, S>();
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    const detail::Operand<W, Y> y_operand(y, n);
    const detail::Operand<W, M> mu_operand(mu, n);
    const detail::Operand<W, S> sigma_operand(sigma, n);

    const auto y_flat = y_operand.flat();
    const auto sigma_flat = sigma_operand.flat();
    const auto log_y = detail::evaluate_in_arena(y_flat.log());
    const auto z = detail::evaluate_in_arena((log_y - mu_operand.flat()) / sigma_flat);
    // A y of 0 has log y = -infinity, where the formula would give infinity - infinity.
    const auto terms =
        (y_flat == 0.0)
            .select(-infinity,
                    (sigma_flat > 0.0).select(-0.5 * z.square() - sigma_flat.log() - log_y, nan));
    const Eigen::Array<double, W, 1> value =
        detail::sum_per_lane<W>(terms, n) - static_cast<double>(n) * half_log_two_pi;

    ad::Tape& t = ad::tape();
    double* result_value = t.uninitialized(W);
    double* result_adjoint = t.zeros(W);
    Eigen::Map<Eigen::Array<double, W, 1>> result_map(result_value);
    result_map = value;
    t.on_backward([=] {
      const auto g = detail::repeat_per_element<W>(result_adjoint, n);
      const auto scaled = detail::evaluate_in_arena(g * z / sigma_operand.flat());
      if constexpr (decltype(y_operand)::is_autodiff) {
        y_operand.add_adjoint(-(g + scaled) / y_operand.flat());
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
