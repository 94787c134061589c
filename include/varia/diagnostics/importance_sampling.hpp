// Importance-sampling effective sample size and importance-weighted means and standard deviations.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>

#include <Eigen/Core>

#include <varia/diagnostics/generalized_pareto.hpp>

namespace varia {
namespace detail {

// Throws std::invalid_argument unless log_weights is non-empty, has no NaN or +inf entry and has
// at least one finite entry. Returns the largest entry.
inline double check_log_weights(const Eigen::Ref<const Eigen::VectorXd>& log_weights,
                                std::string_view function, std::string_view argument) {
  const std::string prefix = "varia::" + std::string(function) + ": " + std::string(argument);
  if (log_weights.size() == 0) {
    throw std::invalid_argument(prefix + " is empty, but must have at least one element");
  }
  double largest = -std::numeric_limits<double>::infinity();
  for (Eigen::Index i = 0; i < log_weights.size(); ++i) {
    const double value = log_weights(i);
    if (std::isnan(value) || value == std::numeric_limits<double>::infinity()) {
      throw std::invalid_argument(prefix + "(" + std::to_string(i) + ") is " +
                                  format_number(value) + ", but must be finite or -inf");
    }
    largest = std::max(largest, value);
  }
  if (largest == -std::numeric_limits<double>::infinity()) {
    throw std::invalid_argument(prefix +
                                " is -inf everywhere, but must have at least one finite entry");
  }
  return largest;
}

// Returns exp(log_weights - largest), so the largest weight is 1.
inline Eigen::VectorXd weights_relative_to_largest(
    const Eigen::Ref<const Eigen::VectorXd>& log_weights, double largest) {
  return (log_weights.array() - largest).exp().matrix();
}

}  // namespace detail

/// Computes the importance-sampling effective sample size (sum w)^2 / sum w^2 of the weights
/// w = exp(log_weights). The weights need not be normalized, and -inf means weight zero. The
/// result lies in [1, S]: S for equal weights, 1 when one weight is nonzero.
///
/// Throws std::invalid_argument if log_weights is empty, contains NaN or +inf, or is -inf
/// everywhere.
[[nodiscard]] inline double importance_sampling_ess(
    const Eigen::Ref<const Eigen::VectorXd>& log_weights) {
  const double largest =
      detail::check_log_weights(log_weights, "importance_sampling_ess", "log_weights");
  const Eigen::VectorXd weights = detail::weights_relative_to_largest(log_weights, largest);
  const double sum = weights.sum();
  return sum * sum / weights.squaredNorm();
}

/// Importance-weighted mean and standard deviation of each row of a d x S matrix of draws.
struct WeightedMoments {
  Eigen::VectorXd mean;  ///< sum_s w_s x_s / sum_s w_s, one entry per row
  Eigen::VectorXd sd;    ///< sqrt(sum_s w_s (x_s - mean)^2 / sum_s w_s), one entry per row
};

/// Computes importance-weighted means and standard deviations of draws (d x S, one column per
/// draw) with weights w = exp(log_weights), for example the `log_weights` of `psis`. The weights
/// need not be normalized, and -inf means weight zero. The standard deviation is the weighted
/// population one, without a small-sample correction.
///
/// Throws std::invalid_argument if draws does not have one column per log weight, if a draw is
/// not finite, or if log_weights is empty, contains NaN or +inf, or is -inf everywhere.
[[nodiscard]] inline WeightedMoments importance_weighted_moments(
    const Eigen::Ref<const Eigen::MatrixXd>& draws,
    const Eigen::Ref<const Eigen::VectorXd>& log_weights) {
  const double largest =
      detail::check_log_weights(log_weights, "importance_weighted_moments", "log_weights");
  if (draws.cols() != log_weights.size()) {
    throw std::invalid_argument(
        "varia::importance_weighted_moments: draws has " + std::to_string(draws.cols()) +
        " columns, but must have one per log weight (" + std::to_string(log_weights.size()) + ")");
  }
  for (Eigen::Index column = 0; column < draws.cols(); ++column) {
    for (Eigen::Index row = 0; row < draws.rows(); ++row) {
      if (!std::isfinite(draws(row, column))) {
        throw std::invalid_argument("varia::importance_weighted_moments: draws(" +
                                    std::to_string(row) + ", " + std::to_string(column) + ") is " +
                                    detail::format_number(draws(row, column)) +
                                    ", but must be finite");
      }
    }
  }
  Eigen::VectorXd weights = detail::weights_relative_to_largest(log_weights, largest);
  weights /= weights.sum();

  WeightedMoments moments;
  moments.mean = draws * weights;
  // Two passes: the variance uses deviations from the mean, which avoids the cancellation of
  // E[x^2] - E[x]^2.
  const Eigen::MatrixXd deviations = draws.colwise() - moments.mean;
  moments.sd = (deviations.array().square().matrix() * weights).cwiseSqrt();
  return moments;
}

}  // namespace varia
