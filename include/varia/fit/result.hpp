// The outcome of varia::fit: the fitted family, the objective trace, counters, draws and
// summaries.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include <varia/family/family.hpp>
#include <varia/fit/options.hpp>
#include <varia/model/log_density.hpp>
#include <varia/random/counter_rng.hpp>

namespace varia {

/// The reason a fit stopped.
enum class StopReason {
  converged,        // the convergence rule fired
  iteration_limit,  // FitOptions::max_iterations was reached first
  diverged,         // FitOptions::max_consecutive_rejections steps in a row were rejected
};

inline std::string_view to_string(StopReason reason) {
  switch (reason) {
    case StopReason::converged:
      return "converged";
    case StopReason::iteration_limit:
      return "iteration_limit";
    case StopReason::diverged:
      return "diverged";
  }
  return "unknown";
}

/// Outcome of the Laplace initialization of varia::fit (see Initialization::laplace).
struct LaplaceOutcome {
  /// Whether the fit ran in whitened coordinates from the Laplace approximation.
  bool used = false;
  /// The map that was used, or the reason the fit started from the family as given.
  std::string message;
  /// L-BFGS iterations of the mode search (0 when it did not run).
  std::int64_t mode_search_iterations = 0;
  /// Model gradient evaluations of the mode search and the Hessian, also counted in
  /// FitResult::gradient_evaluations.
  std::int64_t gradient_evaluations = 0;
  /// log p at the end of the mode search (NaN when it did not run).
  double mode_log_density = std::numeric_limits<double>::quiet_NaN();
};

/// The outcome of varia::fit for family type Q.
template <Family Q>
struct FitResult {
  explicit FitResult(Q fitted) : family(std::move(fitted)) {}

  /// The fitted family, in the model's coordinates. Its parameters are the optimizer's reported
  /// point (the iterate average for averaging optimizers), mapped back from whitened coordinates
  /// when the Laplace initialization was used, and always finite: after a divergence they are
  /// the last accepted point.
  Q family;
  /// The objective estimate of each accepted step, in order. Rejected steps have no entry.
  std::vector<double> objective_trace;
  /// The objective estimates of the convergence rule at the reported parameters, one per
  /// FitOptions::evaluation_interval iterations.
  std::vector<double> evaluation_trace;
  StopReason stop_reason = StopReason::iteration_limit;
  /// Iterations run, rejected ones included.
  std::int64_t iterations = 0;
  /// Model gradient evaluations, one per sample evaluated (evaluations of the convergence rule
  /// and of the Laplace initialization included).
  std::int64_t gradient_evaluations = 0;
  /// Samples left out of a step because the log density or its gradient was not finite there.
  std::int64_t dropped_samples = 0;
  /// Steps rejected: too many dropped samples, or a non-finite objective, gradient or iterate.
  std::int64_t rejected_steps = 0;
  double wall_seconds = 0.0;
  std::string objective_name;
  std::string estimator_name;
  LaplaceOutcome laplace;

  /// Returns `count` draws from the fitted family in the unconstrained space (d x count, one
  /// column per draw), from the random stream of `seed`. Throws std::invalid_argument if
  /// count < 1.
  Eigen::MatrixXd draws(Eigen::Index count, std::uint64_t seed) const {
    if (count < 1) {
      detail::fit::throw_invalid_argument("varia::FitResult::draws", "count",
                                          detail::fit::format_value(count), "at least 1");
    }
    Eigen::MatrixXd base(family.base_dimension(), count);
    family.draw_base(CounterRng(seed), 0, base);
    Eigen::MatrixXd z;
    family.transform(base, z);
    return z;
  }
};

/// Returns `count` draws of the fitted approximation mapped to the model's constrained
/// parameters with varia::constrain (one column per draw, one row per name in
/// varia::parameter_names(model)). Throws std::invalid_argument if count < 1.
template <LogDensity M, Family Q>
Eigen::MatrixXd constrained_draws(const M& model, const FitResult<Q>& result, Eigen::Index count,
                                  std::uint64_t seed) {
  const Eigen::MatrixXd z = result.draws(count, seed);
  Eigen::MatrixXd out;
  for (Eigen::Index s = 0; s < count; ++s) {
    const Eigen::VectorXd constrained = varia::constrain(model, Eigen::VectorXd(z.col(s)));
    if (s == 0) {
      out.resize(constrained.size(), count);
    }
    out.col(s) = constrained;
  }
  return out;
}

/// Summary of one constrained parameter over draws from the fitted approximation.
struct ParameterSummary {
  std::string name;
  double mean = 0.0;
  double sd = 0.0;
  double q5 = 0.0;
  double q50 = 0.0;
  double q95 = 0.0;
};

namespace detail::fit {

/// Quantile of sorted values by linear interpolation between order statistics (the default,
/// "type 7", definition of R and NumPy).
inline double sorted_quantile(const std::vector<double>& sorted, double probability) {
  const double position = probability * static_cast<double>(sorted.size() - 1);
  const auto lower = static_cast<std::size_t>(std::floor(position));
  const std::size_t upper = std::min(lower + 1, sorted.size() - 1);
  const double fraction = position - static_cast<double>(lower);
  return sorted[lower] + fraction * (sorted[upper] - sorted[lower]);
}

}  // namespace detail::fit

/// Summarizes each constrained parameter over `count` draws of the fitted approximation: mean,
/// standard deviation (divisor count - 1) and the 5%, 50% and 95% quantiles. Throws
/// std::invalid_argument if count < 2.
template <LogDensity M, Family Q>
std::vector<ParameterSummary> summarize(const M& model, const FitResult<Q>& result,
                                        Eigen::Index count = 4000, std::uint64_t seed = 0) {
  if (count < 2) {
    detail::fit::throw_invalid_argument("varia::summarize", "count",
                                        detail::fit::format_value(count), "at least 2");
  }
  const Eigen::MatrixXd draws = constrained_draws(model, result, count, seed);
  const std::vector<std::string> names = varia::parameter_names(model);
  std::vector<ParameterSummary> summaries;
  std::vector<double> sorted(static_cast<std::size_t>(count));
  for (Eigen::Index i = 0; i < draws.rows(); ++i) {
    ParameterSummary summary;
    summary.name = i < static_cast<Eigen::Index>(names.size()) ? names[static_cast<std::size_t>(i)]
                                                               : "x[" + std::to_string(i + 1) + "]";
    const Eigen::VectorXd row = draws.row(i).transpose();
    summary.mean = row.mean();
    summary.sd =
        std::sqrt((row.array() - summary.mean).square().sum() / static_cast<double>(count - 1));
    std::copy(row.data(), row.data() + row.size(), sorted.begin());
    std::sort(sorted.begin(), sorted.end());
    summary.q5 = detail::fit::sorted_quantile(sorted, 0.05);
    summary.q50 = detail::fit::sorted_quantile(sorted, 0.50);
    summary.q95 = detail::fit::sorted_quantile(sorted, 0.95);
    summaries.push_back(std::move(summary));
  }
  return summaries;
}

}  // namespace varia
