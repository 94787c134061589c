// The exponential log density with a rate parameter, as one fused node with analytic partials.
#pragma once

#include <cmath>
#include <limits>

#include <Eigen/Core>

#include <varia/ad/scalar.hpp>
#include <varia/ad/tape.hpp>
#include <varia/math/operands.hpp>

namespace varia {

/// log Exponential(y | lambda) summed over elements: sum_i log lambda_i - lambda_i y_i, with
/// rate lambda. Each argument is a double, an Eigen vector, an autodiff scalar or an autodiff
/// vector; scalars are broadcast over the vectors' elements. Returns a double when no argument
/// is autodiff, else an autodiff scalar (one tape node).
/// Throws std::domain_error when data y is negative or NaN or data lambda is not positive and
/// finite, and std::invalid_argument when vector sizes differ. An autodiff y < 0 or
/// lambda <= 0 gives NaN in that lane.
template <DensityArgument Y, DensityArgument L>
auto exponential_lpdf(const Y& y, const L& lambda) {
  constexpr const char* function = "varia::exponential_lpdf";
  detail::check_data(function, "y", y, "nonnegative", [](double v) { return v >= 0.0; });
  detail::check_data(function, "lambda", lambda, "positive and finite",
                     [](double v) { return v > 0.0 && std::isfinite(v); });
  const Eigen::Index n = detail::common_size(function, y, lambda);

  if constexpr (!detail::any_autodiff<Y, L>()) {
    const auto lambda_values = detail::data_array(lambda, n);
    return (lambda_values.log() - lambda_values * detail::data_array(y, n)).sum();
  } else {
    constexpr int W = detail::lanes_of_all<Y, L>();
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    const detail::Operand<W, Y> y_operand(y, n);
    const detail::Operand<W, L> lambda_operand(lambda, n);

    const auto y_flat = y_operand.flat();
    const auto lambda_flat = lambda_operand.flat();
    const Eigen::Array<double, W, 1> value = detail::sum_per_lane<W>(
        (y_flat >= 0.0 && lambda_flat > 0.0).select(lambda_flat.log() - lambda_flat * y_flat, nan),
        n);

    ad::Tape& t = ad::tape();
    double* result_value = t.uninitialized(W);
    double* result_adjoint = t.zeros(W);
    Eigen::Map<Eigen::Array<double, W, 1>> result_map(result_value);
    result_map = value;
    t.on_backward([=] {
      const auto g = detail::repeat_per_element<W>(result_adjoint, n);
      if constexpr (decltype(y_operand)::is_autodiff) {
        y_operand.add_adjoint(-g * lambda_operand.flat());
      }
      if constexpr (decltype(lambda_operand)::is_autodiff) {
        lambda_operand.add_adjoint(g * (lambda_operand.flat().inverse() - y_operand.flat()));
      }
    });
    return ad::Scalar<W>(result_value, result_adjoint);
  }
}

}  // namespace varia
