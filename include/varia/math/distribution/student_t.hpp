// The Student t log density as one fused node with analytic partials.
#pragma once

#include <cmath>
#include <limits>
#include <type_traits>

#include <Eigen/Core>

#include <varia/ad/scalar.hpp>
#include <varia/ad/tape.hpp>
#include <varia/math/distribution/cauchy.hpp>
#include <varia/math/operands.hpp>
#include <varia/math/special.hpp>

namespace varia {
namespace detail {

// For x >= 15, lgamma(x + 1/2) - lgamma(x) - log(x) / 2 and its derivative are taken from their
// asymptotic series (from Stirling's series for lgamma; the coefficients were checked against
// 50-digit mpmath), whose first omitted terms are below 5e-16 there. Below 15 the direct
// difference loses at most about 1e-14 to cancellation.
inline constexpr double gamma_ratio_series_start = 15.0;

/// lgamma(x + 1/2) - lgamma(x) - log(x) / 2 for x > 0: it tends to -1 / (8x), where the direct
/// difference would cancel.
inline double log_gamma_half_ratio(double x) {
  if (x >= gamma_ratio_series_start) {
    const double w = 1.0 / (x * x);
    return -(1.0 / 8.0 -
             w * (1.0 / 192.0 - w * (1.0 / 640.0 - w * (17.0 / 14336.0 - w * 31.0 / 18432.0)))) /
           x;
  }
  return std::lgamma(x + 0.5) - std::lgamma(x) - 0.5 * std::log(x);
}

/// Returns the derivative of log_gamma_half_ratio, digamma(x + 1/2) - digamma(x) - 1 / (2x).
inline double log_gamma_half_ratio_derivative(double x) {
  if (x >= gamma_ratio_series_start) {
    const double w = 1.0 / (x * x);
    return w * (1.0 / 8.0 -
                w * (1.0 / 64.0 - w * (1.0 / 128.0 - w * (17.0 / 2048.0 - w * 31.0 / 2048.0))));
  }
  return digamma_scalar(x + 0.5) - digamma_scalar(x) - 0.5 / x;
}

}  // namespace detail

/// log StudentT(y | nu, mu, sigma) summed over elements, with nu degrees of freedom:
/// sum_i lgamma((nu_i + 1) / 2) - lgamma(nu_i / 2) - log(nu_i pi) / 2 - log sigma_i
/// - (nu_i + 1) / 2 log(1 + z_i^2 / nu_i) with z_i = (y_i - mu_i) / sigma_i. Each argument is a
/// double, an Eigen vector, an autodiff scalar or an autodiff vector; scalars are broadcast over
/// the vectors' elements. For large nu the gamma-function ratio comes from its asymptotic series
/// instead of a difference of lgamma values that cancel, so at nu = 1e8 the difference from the
/// normal density (about 1e-8) is resolved to rounding. z_i^2 / nu_i is never formed, so large
/// z_i do not overflow.
/// Returns a double when no argument is autodiff, else an autodiff scalar (one tape node).
/// Throws std::domain_error when data y is NaN, data mu is not finite or data nu or sigma is not
/// positive and finite, and std::invalid_argument when vector sizes differ. An autodiff
/// nu <= 0 or sigma <= 0 gives NaN in that lane.
template <DensityArgument Y, DensityArgument N, DensityArgument M, DensityArgument S>
auto student_t_lpdf(const Y& y, const N& nu, const M& mu, const S& sigma) {
  constexpr const char* function = "varia::student_t_lpdf";
  detail::check_data(function, "y", y, "not NaN", [](double v) { return !std::isnan(v); });
  detail::check_data(function, "nu", nu, "positive and finite",
                     [](double v) { return v > 0.0 && std::isfinite(v); });
  detail::check_data(function, "mu", mu, "finite", [](double v) { return std::isfinite(v); });
  detail::check_data(function, "sigma", sigma, "positive and finite",
                     [](double v) { return v > 0.0 && std::isfinite(v); });
  const Eigen::Index n = detail::common_size(function, y, nu, mu, sigma);
  constexpr double half_log_two_pi = 0.91893853320467274178;  // log(2 pi) / 2
  // In terms of x = nu / 2 the normalizing constant is log_gamma_half_ratio(x) - log(2 pi) / 2.
  auto gamma_ratio = [](double degrees) { return detail::log_gamma_half_ratio(0.5 * degrees); };

  if constexpr (!detail::any_autodiff<Y, N, M, S>()) {
    const auto nu_values = detail::data_array(nu, n);
    const auto sigma_values = detail::data_array(sigma, n);
    const auto u =
        (detail::data_array(y, n) - detail::data_array(mu, n)) / (sigma_values * nu_values.sqrt());
    return (nu_values.unaryExpr(gamma_ratio) - sigma_values.log() -
            0.5 * (nu_values + 1.0) * detail::log1p_square(u))
               .sum() -
           static_cast<double>(n) * half_log_two_pi;
  } else {
    constexpr int W = detail::lanes_of_all<Y, N, M, S>();
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    const detail::Operand<W, Y> y_operand(y, n);
    const detail::Operand<W, N> nu_operand(nu, n);
    const detail::Operand<W, M> mu_operand(mu, n);
    const detail::Operand<W, S> sigma_operand(sigma, n);

    const auto nu_flat = nu_operand.flat();
    const auto sigma_flat = sigma_operand.flat();
    // u = z / sqrt(nu), so that log(1 + z^2 / nu) = log(1 + u^2) and z^2 is never formed.
    const auto u = detail::evaluate_in_arena((y_operand.flat() - mu_operand.flat()) /
                                             (sigma_flat * nu_flat.sqrt()));
    const auto log1p_u_squared = detail::evaluate_in_arena(detail::log1p_square(u));
    const auto terms = -sigma_flat.log() - 0.5 * (nu_flat + 1.0) * log1p_u_squared;
    const auto valid = nu_flat > 0.0 && sigma_flat > 0.0;
    Eigen::Array<double, W, 1> value;
    if constexpr (decltype(nu_operand)::is_autodiff) {
      value = detail::sum_per_lane<W>(valid.select(terms + nu_flat.unaryExpr(gamma_ratio), nan), n);
    } else {
      // With data nu, the gamma-function ratio is taken once per element rather than per lane.
      value = detail::sum_per_lane<W>(valid.select(terms, nan), n) +
              detail::data_array(nu, n).unaryExpr(gamma_ratio).sum();
    }
    value -= static_cast<double>(n) * half_log_two_pi;

    ad::Tape& t = ad::tape();
    double* result_value = t.uninitialized(W);
    double* result_adjoint = t.zeros(W);
    Eigen::Map<Eigen::Array<double, W, 1>> result_map(result_value);
    result_map = value;
    t.on_backward([=] {
      const auto g = detail::repeat_per_element<W>(result_adjoint, n);
      const auto nu_values = nu_operand.flat();
      const auto sigma_values = sigma_operand.flat();
      // q = u / (1 + u^2); then d/dy = -(nu + 1) q / (sigma sqrt(nu)), and u q = u^2 / (1 + u^2)
      // lies in [0, 1).
      const auto q = detail::evaluate_in_arena(detail::over_one_plus_square(u));
      if constexpr (decltype(y_operand)::is_autodiff || decltype(mu_operand)::is_autodiff) {
        const auto scaled = detail::evaluate_in_arena(g * (nu_values + 1.0) * q /
                                                      (sigma_values * nu_values.sqrt()));
        if constexpr (decltype(y_operand)::is_autodiff) {
          y_operand.add_adjoint(-scaled);
        }
        if constexpr (decltype(mu_operand)::is_autodiff) {
          mu_operand.add_adjoint(scaled);
        }
      }
      if constexpr (decltype(sigma_operand)::is_autodiff) {
        sigma_operand.add_adjoint(g * ((nu_values + 1.0) * u * q - 1.0) / sigma_values);
      }
      if constexpr (decltype(nu_operand)::is_autodiff) {
        auto ratio_derivative = [](double degrees) {
          return 0.5 * detail::log_gamma_half_ratio_derivative(0.5 * degrees);
        };
        nu_operand.add_adjoint(g * (nu_values.unaryExpr(ratio_derivative) - 0.5 * log1p_u_squared +
                                    0.5 * (nu_values + 1.0) / nu_values * u * q));
      }
    });
    return ad::Scalar<W>(result_value, result_adjoint);
  }
}

}  // namespace varia
