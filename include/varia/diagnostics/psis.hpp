// Pareto-smoothed importance sampling (PSIS) and its k-hat reliability diagnostic, after
// Vehtari, Simpson, Gelman, Yao and Gabry (2024), "Pareto smoothed importance sampling",
// Journal of Machine Learning Research 25(72).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Core>

#include <varia/diagnostics/generalized_pareto.hpp>
#include <varia/diagnostics/importance_sampling.hpp>

namespace varia {

/// Smallest tail that `psis` fits. The tail length reaches it at S = 21 draws, so with fewer
/// draws `psis` does not smooth.
inline constexpr Eigen::Index psis_min_tail_length = 5;

/// Returns the PSIS tail length M = ceil(min(S / 5, 3 sqrt(S))) for S independent draws.
/// Throws std::invalid_argument if draw_count < 1.
[[nodiscard]] inline Eigen::Index psis_tail_length(Eigen::Index draw_count) {
  if (draw_count < 1) {
    throw std::invalid_argument("varia::psis_tail_length: draw_count is " +
                                std::to_string(draw_count) + ", but must be at least 1");
  }
  const double count = static_cast<double>(draw_count);
  return static_cast<Eigen::Index>(std::ceil(std::min(count / 5.0, 3.0 * std::sqrt(count))));
}

/// Returns the largest k-hat at which PSIS estimates from S draws are reliable,
/// min(1 - 1 / log10(S), 0.7). Below S = 10 it is negative, and -inf at S = 1. Throws
/// std::invalid_argument if draw_count < 1.
[[nodiscard]] inline double psis_k_hat_threshold(Eigen::Index draw_count) {
  if (draw_count < 1) {
    throw std::invalid_argument("varia::psis_k_hat_threshold: draw_count is " +
                                std::to_string(draw_count) + ", but must be at least 1");
  }
  if (draw_count == 1) {
    return -std::numeric_limits<double>::infinity();
  }
  return std::min(1.0 - 1.0 / std::log10(static_cast<double>(draw_count)), 0.7);
}

/// Output of `psis`.
struct PsisResult {
  /// Smoothed log weights, normalized so that their exponentials sum to 1.
  Eigen::VectorXd log_weights;
  /// Estimated generalized Pareto shape of the importance ratios' upper tail. +inf when the tail
  /// could not be fitted, -inf when the tail is flat (see `psis`).
  double k_hat = std::numeric_limits<double>::infinity();
  /// Number of ratios replaced by generalized Pareto quantiles; 0 when nothing was smoothed.
  Eigen::Index tail_length = 0;
  /// `psis_k_hat_threshold(S)` for the S log ratios given.
  double k_hat_threshold = 0.0;
  /// Whether k_hat <= k_hat_threshold. Above 0.7 no S makes the estimates trustworthy.
  bool reliable = false;
};

namespace detail {

// Smooths the tail of `shifted` (log ratios minus their maximum) in place and returns k-hat and
// the smoothed length. `order` lists the S - M - 1 smaller indices first, then the threshold
// index, then the M tail indices sorted ascending.
struct TailSmoothing {
  double k_hat;
  Eigen::Index length;
};

inline TailSmoothing psis_smooth_tail(Eigen::VectorXd& shifted,
                                      const std::vector<Eigen::Index>& order,
                                      std::size_t tail_begin) {
  const double exp_threshold = std::exp(shifted(order[tail_begin - 1]));

  // Excesses over the threshold in ratio space. Tail ratios tied with the threshold have a zero
  // excess, which a continuous distribution cannot fit, so the fit uses the positive ones.
  // They form a suffix of the ascending tail.
  std::size_t fit_begin = tail_begin;
  while (fit_begin < order.size() && std::exp(shifted(order[fit_begin])) - exp_threshold <= 0.0) {
    ++fit_begin;
  }
  const std::size_t fit_count = order.size() - fit_begin;
  if (fit_count == 0) {
    // The M + 1 largest ratios are equal: the ratios are bounded by the threshold.
    return {-std::numeric_limits<double>::infinity(), 0};
  }
  if (fit_count < static_cast<std::size_t>(psis_min_tail_length)) {
    return {std::numeric_limits<double>::infinity(), 0};
  }

  Eigen::VectorXd excesses(static_cast<Eigen::Index>(fit_count));
  for (std::size_t j = 0; j < fit_count; ++j) {
    excesses(static_cast<Eigen::Index>(j)) =
        std::exp(shifted(order[fit_begin + j])) - exp_threshold;
  }
  const GeneralizedPareto fit = fit_generalized_pareto(excesses);

  // Weakly informative prior, as if 10 more tail draws had shape 0.5. The scale stays the one
  // estimated with the unshrunk shape, as ArviZ 0.23 (psislw) does.
  const double count = static_cast<double>(fit_count);
  const double k_hat = (count * fit.shape + 10.0 * 0.5) / (count + 10.0);
  if (!std::isfinite(k_hat) || !std::isfinite(fit.scale)) {
    // NOTE: not reached for positive finite excesses; kept so that no NaN weight can escape.
    return {std::numeric_limits<double>::infinity(), 0};
  }

  // Replace the j-th smallest tail ratio by the quantile at (j - 1/2) / n, capped at the largest
  // raw ratio, which is 0 after the shift. The quantiles increase with j, so the order of the
  // ratios is kept.
  for (std::size_t j = 0; j < fit_count; ++j) {
    const double probability = (static_cast<double>(j) + 0.5) / count;
    const double quantile = generalized_pareto_quantile(k_hat, fit.scale, probability);
    shifted(order[fit_begin + j]) = std::min(std::log(quantile + exp_threshold), 0.0);
  }
  return {k_hat, static_cast<Eigen::Index>(fit_count)};
}

}  // namespace detail

/// Pareto-smoothed importance sampling (Vehtari, Simpson, Gelman, Yao and Gabry, 2024, "Pareto
/// smoothed importance sampling", JMLR 25(72)) of S log importance ratios log p(x_s) - log q(x_s)
/// for independent draws x_s from q.
///
/// Fits a generalized Pareto distribution with `fit_generalized_pareto` to the excesses of the
/// M = `psis_tail_length(S)` largest ratios over the threshold, the largest ratio outside the
/// tail. k_hat is the fitted shape shrunk toward 0.5 as (M k + 5) / (M + 10). The M largest
/// ratios become the fitted quantiles at (j - 1/2) / M, j = 1..M, capped at the largest raw ratio,
/// and the weights are normalized. All arithmetic is in log space after subtracting the largest
/// log ratio, so log ratios of any finite size work. A log ratio of -inf is a zero weight.
/// Tail ratios tied with the threshold have a zero excess and are left out of the fit, so with
/// ties the fitted tail, and M in the formulas above, is shorter (`tail_length` reports it).
///
/// Cases without a fit, whose log_weights are the normalized raw log ratios:
/// - S < 21, where M < `psis_min_tail_length`: k_hat = +inf and not reliable.
/// - 1 to 4 tail ratios above the threshold: k_hat = +inf and not reliable, since those few
///   ratios dominate.
/// - No tail ratio above the threshold (for example all ratios equal): the ratios are bounded,
///   so k_hat = -inf and reliable.
///
/// Throws std::invalid_argument if log_ratios is empty, contains NaN or +inf, or is -inf
/// everywhere.
[[nodiscard]] inline PsisResult psis(const Eigen::Ref<const Eigen::VectorXd>& log_ratios) {
  const double largest = detail::check_log_weights(log_ratios, "psis", "log_ratios");
  const Eigen::Index draw_count = log_ratios.size();

  PsisResult result;
  result.k_hat_threshold = psis_k_hat_threshold(draw_count);
  Eigen::VectorXd shifted = log_ratios.array() - largest;

  const Eigen::Index tail_length = psis_tail_length(draw_count);
  if (tail_length >= psis_min_tail_length) {
    // Partial sort: the M + 1 largest (tail and threshold) go last, and only the tail is sorted.
    std::vector<Eigen::Index> order(static_cast<std::size_t>(draw_count));
    std::iota(order.begin(), order.end(), Eigen::Index{0});
    const auto by_ratio = [&shifted](Eigen::Index a, Eigen::Index b) {
      return shifted(a) < shifted(b);
    };
    const auto tail_begin = static_cast<std::size_t>(draw_count - tail_length);
    const auto threshold_position = order.begin() + static_cast<std::ptrdiff_t>(tail_begin) - 1;
    std::nth_element(order.begin(), threshold_position, order.end(), by_ratio);
    std::sort(threshold_position + 1, order.end(), by_ratio);

    const detail::TailSmoothing smoothing = detail::psis_smooth_tail(shifted, order, tail_begin);
    result.k_hat = smoothing.k_hat;
    result.tail_length = smoothing.length;
  }

  // Normalize by subtracting log sum exp, computed relative to the largest smoothed entry.
  const double smoothed_largest = shifted.maxCoeff();
  const double log_sum =
      smoothed_largest + std::log((shifted.array() - smoothed_largest).exp().sum());
  result.log_weights = shifted.array() - log_sum;
  result.reliable = result.k_hat <= result.k_hat_threshold;
  return result;
}

}  // namespace varia
