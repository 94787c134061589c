// The Bernoulli log mass with a logit parameter, as one fused node with analytic partials.
#pragma once

#include <algorithm>
#include <cmath>
#include <type_traits>

#include <Eigen/Core>

#include <varia/ad/scalar.hpp>
#include <varia/ad/tape.hpp>
#include <varia/math/logistic.hpp>
#include <varia/math/operands.hpp>

namespace varia {

namespace detail {

/// The Bernoulli-logit terms y eta - log1p_exp(eta) of flat entries, their sum per lane, and the
/// partials y - inv_logit(eta), from one exp, one log and one division per entry. With
/// e = exp(-|eta|) and u = 1 + e rounded, inverse = 1 / u gives the logistic, 1 / u for
/// eta >= 0 and e / u otherwise, and log1p(e) = log(u) - ((u - 1) - e) / u up to O(ulp^2):
/// u - 1 is exact and (u - 1) - e is the rounding error of u, so the correction is the first
/// term of log1p's expansion around u (Goldberg 1991, "What every computer scientist should
/// know about floating-point arithmetic"). Eigen vectorizes log but not log1p. The entries are
/// processed in blocks that stay in the L1 cache.
template <int W, class EtaOperand, class YValues>
Eigen::Array<double, W, 1> bernoulli_logit_pass(EtaOperand& eta_operand, const YValues& y,
                                                Eigen::Index n) {
  constexpr Eigen::Index block_entries = 256;
  constexpr Eigen::Index block_rows = block_entries / W > 0 ? block_entries / W : 1;
  constexpr Eigen::Index buffer_size = block_rows * W;
  using Buffer = Eigen::Array<double, buffer_size, 1>;
  Buffer y_buffer;
  Buffer e_buffer;
  Buffer inverse_buffer;
  Buffer term_buffer;
  const auto eta_flat = eta_operand.flat();
  Eigen::Array<double, W, 1> value = Eigen::Array<double, W, 1>::Zero();
  for (Eigen::Index first = 0; first < n; first += block_rows) {
    const Eigen::Index rows = std::min(block_rows, n - first);
    const Eigen::Index m = rows * W;
    const auto x = eta_flat.segment(first * W, m);
    auto y_lanes = y_buffer.head(m);
    if constexpr (std::is_arithmetic_v<YValues>) {
      y_lanes.setConstant(static_cast<double>(y));
    } else {
      for (Eigen::Index r = 0; r < rows; ++r) {
        y_lanes.template segment<W>(r * W).setConstant(static_cast<double>(y(first + r)));
      }
    }
    auto e = e_buffer.head(m);
    auto inverse = inverse_buffer.head(m);
    auto terms = term_buffer.head(m);
    e = (-x.abs()).exp();
    inverse = (1.0 + e).inverse();
    terms = y_lanes * x - x.max(0.0) - ((1.0 + e).log() - (((1.0 + e) - 1.0) - e) * inverse);
    value += sum_rows_per_lane<W>(terms, rows);
    eta_operand.set_partials(first, rows, y_lanes - (x >= 0.0).select(inverse, e * inverse));
  }
  return value;
}

}  // namespace detail

/// log Bernoulli(y | inv_logit(eta)) summed over elements: sum_i y_i eta_i - log1p_exp(eta_i).
/// y is data (a 0 or 1, or an Eigen vector of them, of any arithmetic type); eta is a double,
/// an Eigen vector, an autodiff scalar or an autodiff vector. exp(-|eta|) is computed once per
/// entry and serves both the value and the partial y - inv_logit(eta).
/// Throws std::domain_error when an outcome is not 0 or 1 or data eta is NaN, and
/// std::invalid_argument when vector sizes differ.
template <DensityArgument Y, DensityArgument T>
auto bernoulli_logit_lpmf(const Y& y_argument, const T& eta_argument) {
  constexpr const char* function = "varia::bernoulli_logit_lpmf";
  static_assert(!detail::is_autodiff<Y>(), "varia::bernoulli_logit_lpmf: y must be data");
  const auto& y = detail::evaluate_data(y_argument);
  const auto& eta = detail::evaluate_data(eta_argument);
  using EtaData = std::remove_cvref_t<decltype(eta)>;
  detail::check_data(function, "y", y, "0 or 1", [](double v) { return v == 0.0 || v == 1.0; });
  detail::check_data(function, "eta", eta, "not NaN", [](double v) { return !std::isnan(v); });
  const Eigen::Index n = detail::common_size(function, y, eta);

  if constexpr (!detail::any_autodiff<EtaData>()) {
    const auto eta_values = detail::data_array(eta, n);
    return (detail::data_array(y, n) * eta_values).sum() -
           detail::Log1pExpRule::value(eta_values).sum();
  } else {
    constexpr int W = detail::lanes_of_all<EtaData>();
    detail::LaneOperand<W, EtaData> eta_operand(eta, n);
    const Eigen::Array<double, W, 1> value = detail::bernoulli_logit_pass<W>(eta_operand, y, n);

    ad::Tape& t = ad::tape();
    double* result_value = t.uninitialized(W);
    double* result_adjoint = t.zeros(W);
    Eigen::Map<Eigen::Array<double, W, 1>> result_map(result_value);
    result_map = value;
    t.on_backward([eta_operand, result_adjoint] { eta_operand.backward(result_adjoint); });
    return ad::Scalar<W>(result_value, result_adjoint);
  }
}

}  // namespace varia
