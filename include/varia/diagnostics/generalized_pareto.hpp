// The generalized Pareto distribution and the Zhang-Stephens estimate of its parameters.
#pragma once

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Core>

namespace varia {
namespace detail {

// Formats `value` for error messages: default stream precision, so -0.2 prints as "-0.2".
inline std::string format_number(double value) {
  std::ostringstream stream;
  stream << value;
  return stream.str();
}

// Quantile of the generalized Pareto distribution, without argument checks.
inline double generalized_pareto_quantile(double shape, double scale, double probability) {
  const double log_survival = std::log1p(-probability);
  if (shape == 0.0) {
    return -scale * log_survival;
  }
  return scale / shape * std::expm1(-shape * log_survival);
}

// Zhang and Stephens' profile log-likelihood n (log(-theta / k) - k - 1), where
// k = mean(log1p(-theta x)), for theta < 1 / max(x). At theta = 0 the limit -theta / k -> 1 /
// mean(x) and k -> 0 is used.
inline double generalized_pareto_profile_log_likelihood(double theta,
                                                        const std::vector<double>& sorted) {
  const double n = static_cast<double>(sorted.size());
  double shape_sum = 0.0;
  double excess_sum = 0.0;
  for (const double x : sorted) {
    shape_sum += std::log1p(-theta * x);
    excess_sum += x;
  }
  const double shape = shape_sum / n;
  if (shape == 0.0) {
    return n * (-std::log(excess_sum / n) - 1.0);
  }
  return n * (std::log(-theta / shape) - shape - 1.0);
}

}  // namespace detail

/// Generalized Pareto distribution with location 0: P(X > x) = (1 + shape x / scale)^(-1 / shape)
/// for x >= 0 (and x < -scale / shape when shape < 0), and exp(-x / scale) when shape = 0.
/// Pareto-smoothed importance sampling calls the shape k.
struct GeneralizedPareto {
  double shape = 0.0;
  double scale = 1.0;

  /// Returns the quantile scale / shape ((1 - probability)^(-shape) - 1), or
  /// -scale log(1 - probability) when shape = 0. Throws std::invalid_argument unless
  /// probability is in [0, 1].
  [[nodiscard]] double quantile(double probability) const {
    if (!(probability >= 0.0 && probability <= 1.0)) {
      throw std::invalid_argument("varia::GeneralizedPareto::quantile: probability is " +
                                  detail::format_number(probability) + ", but must be in [0, 1]");
    }
    return detail::generalized_pareto_quantile(shape, scale, probability);
  }
};

/// Estimates the generalized Pareto shape and scale from positive excesses with the empirical
/// Bayes method of Zhang and Stephens (2009, "A new and efficient estimation method for the
/// generalized Pareto distribution", Technometrics 51(3)).
///
/// With n excesses x sorted ascending and theta = -shape / scale, the estimator takes the
/// posterior mean of theta over the grid theta_j = 1 / x_(n) + (1 - sqrt(m / (j - 1/2))) /
/// (3 x_(floor(n/4 + 1/2))), j = 1..m, m = 30 + floor(sqrt(n)), weighted by the profile
/// likelihood, and then shape = mean(log(1 - theta x)), scale = -shape / theta. The shape is
/// returned as estimated, without the prior shrinkage that `psis` adds.
///
/// Throws std::invalid_argument if there are fewer than 2 excesses (the grid needs a first
/// quartile) or any excess is not finite and positive.
[[nodiscard]] inline GeneralizedPareto fit_generalized_pareto(
    const Eigen::Ref<const Eigen::VectorXd>& excesses) {
  const Eigen::Index n = excesses.size();
  if (n < 2) {
    throw std::invalid_argument("varia::fit_generalized_pareto: excesses has " + std::to_string(n) +
                                " elements, but must have at least 2");
  }
  for (Eigen::Index i = 0; i < n; ++i) {
    const double x = excesses(i);
    if (!(std::isfinite(x) && x > 0.0)) {
      throw std::invalid_argument("varia::fit_generalized_pareto: excesses(" + std::to_string(i) +
                                  ") is " + detail::format_number(x) +
                                  ", but must be finite and positive");
    }
  }
  std::vector<double> sorted(excesses.begin(), excesses.end());
  std::sort(sorted.begin(), sorted.end());

  const double count = static_cast<double>(n);
  const auto grid_size = static_cast<std::size_t>(30.0 + std::floor(std::sqrt(count)));
  const auto quartile_index = static_cast<std::size_t>(std::floor(count / 4.0 + 0.5)) - 1;
  const double first_quartile = sorted[quartile_index];
  const double largest = sorted.back();

  std::vector<double> thetas(grid_size);
  std::vector<double> log_likelihoods(grid_size);
  for (std::size_t j = 0; j < grid_size; ++j) {
    const double position = static_cast<double>(j) + 0.5;  // j - 1/2 for the 1-based j
    thetas[j] = 1.0 / largest + (1.0 - std::sqrt(static_cast<double>(grid_size) / position)) /
                                    (3.0 * first_quartile);
    log_likelihoods[j] = detail::generalized_pareto_profile_log_likelihood(thetas[j], sorted);
  }

  // Posterior mean of theta: the grid weights are the normalized likelihoods, computed after
  // subtracting the largest log-likelihood so that exp cannot overflow.
  const double max_log_likelihood =
      *std::max_element(log_likelihoods.begin(), log_likelihoods.end());
  double weight_sum = 0.0;
  double weighted_theta_sum = 0.0;
  for (std::size_t j = 0; j < grid_size; ++j) {
    const double weight = std::exp(log_likelihoods[j] - max_log_likelihood);
    weight_sum += weight;
    weighted_theta_sum += weight * thetas[j];
  }
  const double theta = weighted_theta_sum / weight_sum;

  double log_sum = 0.0;
  double excess_sum = 0.0;
  for (const double x : sorted) {
    log_sum += std::log1p(-theta * x);
    excess_sum += x;
  }
  const double shape = log_sum / count;
  if (theta == 0.0) {
    // The exponential limit: shape -> 0 and scale -> mean(x).
    return GeneralizedPareto{0.0, excess_sum / count};
  }
  return GeneralizedPareto{shape, -shape / theta};
}

}  // namespace varia
