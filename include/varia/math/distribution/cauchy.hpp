// The Cauchy log density as one fused node with analytic partials.
#pragma once

#include <cmath>
#include <limits>
#include <numbers>

#include <Eigen/Core>

#include <varia/ad/scalar.hpp>
#include <varia/ad/tape.hpp>
#include <varia/math/operands.hpp>

namespace varia {
namespace detail {

/// log(1 + u^2), elementwise and without overflow for large |u|: for |u| > 1 it is computed as
/// 2 log|u| + log1p(1 / u^2).
template <class U>
auto log1p_square(const Eigen::ArrayBase<U>& u) {
  const auto a = u.derived().abs();
  return (a <= 1.0).select(a.square().log1p(), 2.0 * a.log() + a.square().inverse().log1p());
}

/// u / (1 + u^2), elementwise and without overflow for large |u|: for |u| > 1 it is computed as
/// 1 / (u + 1 / u).
template <class U>
auto over_one_plus_square(const Eigen::ArrayBase<U>& u) {
  const auto& x = u.derived();
  return (x.abs() <= 1.0).select(x / (1.0 + x.square()), (x + x.inverse()).inverse());
}

}  // namespace detail

/// log Cauchy(y | mu, sigma) summed over elements: sum_i -log(pi) - log sigma_i
/// - log(1 + z_i^2) with z_i = (y_i - mu_i) / sigma_i. Each argument is a double, an Eigen
/// vector, an autodiff scalar or an autodiff vector; scalars are broadcast over the vectors'
/// elements. Returns a double when no argument is autodiff, else an autodiff scalar (one tape
/// node). Throws std::domain_error when data y is NaN, data mu is not finite or data sigma is
/// not positive and finite, and std::invalid_argument when vector sizes differ. An autodiff
/// sigma <= 0 gives NaN in that lane.
template <DensityArgument Y, DensityArgument M, DensityArgument S>
auto cauchy_lpdf(const Y& y, const M& mu, const S& sigma) {
  constexpr const char* function = "varia::cauchy_lpdf";
  detail::check_data(function, "y", y, "not NaN", [](double v) { return !std::isnan(v); });
  detail::check_data(function, "mu", mu, "finite", [](double v) { return std::isfinite(v); });
  detail::check_data(function, "sigma", sigma, "positive and finite",
                     [](double v) { return v > 0.0 && std::isfinite(v); });
  const Eigen::Index n = detail::common_size(function, y, mu, sigma);
  const double log_pi = std::log(std::numbers::pi);

  if constexpr (!detail::any_autodiff<Y, M, S>()) {
    const auto sigma_values = detail::data_array(sigma, n);
    const auto z = (detail::data_array(y, n) - detail::data_array(mu, n)) / sigma_values;
    return -(sigma_values.log() + detail::log1p_square(z)).sum() - static_cast<double>(n) * log_pi;
  } else {
    constexpr int W = detail::lanes_of_all<Y, M, S>();
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    const detail::Operand<W, Y> y_operand(y, n);
    const detail::Operand<W, M> mu_operand(mu, n);
    const detail::Operand<W, S> sigma_operand(sigma, n);

    const auto sigma_flat = sigma_operand.flat();
    const auto z = detail::evaluate_in_arena((y_operand.flat() - mu_operand.flat()) / sigma_flat);
    const Eigen::Array<double, W, 1> value =
        detail::sum_per_lane<W>(
            (sigma_flat > 0.0).select(-sigma_flat.log() - detail::log1p_square(z), nan), n) -
        static_cast<double>(n) * log_pi;

    ad::Tape& t = ad::tape();
    double* result_value = t.uninitialized(W);
    double* result_adjoint = t.zeros(W);
    Eigen::Map<Eigen::Array<double, W, 1>> result_map(result_value);
    result_map = value;
    t.on_backward([=] {
      const auto g = detail::repeat_per_element<W>(result_adjoint, n);
      // d/dy = -2 z / (sigma (1 + z^2)), and d/dmu is its negative.
      const auto scaled = detail::evaluate_in_arena(2.0 * g * detail::over_one_plus_square(z) /
                                                    sigma_operand.flat());
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
