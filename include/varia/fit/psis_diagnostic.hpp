// A Pareto-smoothed importance sampling check of a fitted approximation.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

#include <Eigen/Core>

#include <varia/ad/gradient.hpp>
#include <varia/diagnostics/importance_sampling.hpp>
#include <varia/diagnostics/psis.hpp>
#include <varia/family/family.hpp>
#include <varia/fit/options.hpp>
#include <varia/fit/result.hpp>
#include <varia/model/log_density.hpp>
#include <varia/random/counter_rng.hpp>

namespace varia {

/// Outcome of psis_diagnostic.
struct PsisDiagnostic {
  /// Pareto k-hat of the importance ratios p / q. Above k_hat_threshold (at most 0.7) the
  /// approximation is not to be trusted for expectations, and importance sampling cannot fix it.
  double k_hat = std::numeric_limits<double>::infinity();
  /// min(1 - 1 / log10(S), 0.7) for S draws.
  double k_hat_threshold = 0.0;
  /// Whether k_hat <= k_hat_threshold.
  bool reliable = false;
  /// Importance-sampling effective sample size (sum w)^2 / sum w^2 of the raw ratios, in [1, S].
  double effective_sample_size = 0.0;
  /// Draws whose log density was not finite; they count as zero weights.
  Eigen::Index non_finite_draws = 0;
  /// Log importance ratios log p(z_s) - log q(z_s) of the draws.
  Eigen::VectorXd log_ratios;
};

/// Checks how far to trust an approximation q of the target `model` (Yao, Vehtari, Simpson and
/// Gelman 2018, "Yes, but did it work?: evaluating variational inference"): draws `draw_count`
/// samples from q with `seed`, computes log p - log q and returns the PSIS k-hat (varia::psis)
/// and the importance-sampling effective sample size. A draw where log p is NaN or -inf counts as
/// a zero weight. Throws std::invalid_argument if draw_count < 1, if the dimensions of model and
/// family differ, or if log p is not finite at any draw.
template <LogDensity M, Family Q>
PsisDiagnostic psis_diagnostic(const M& model, const Q& family, Eigen::Index draw_count = 1000,
                               std::uint64_t seed = 0) {
  if (draw_count < 1) {
    detail::fit::throw_invalid_argument("varia::psis_diagnostic", "draw_count",
                                        detail::fit::format_value(draw_count), "at least 1");
  }
  const auto model_dimension = static_cast<Eigen::Index>(model.dimension());
  if (family.dimension() != model_dimension) {
    detail::fit::throw_invalid_argument(
        "varia::psis_diagnostic", "the family's dimension",
        detail::fit::format_value(family.dimension()),
        "the model's dimension, " + detail::fit::format_value(model_dimension));
  }
  Eigen::MatrixXd base(family.base_dimension(), draw_count);
  family.draw_base(CounterRng(seed), 0, base);
  Eigen::MatrixXd z;
  family.transform(base, z);
  Eigen::VectorXd log_p;
  Eigen::MatrixXd gradients;
  value_and_gradient_lanes(model, z, log_p, gradients);
  Eigen::VectorXd log_q;
  family.log_density(z, log_q);

  PsisDiagnostic diagnostic;
  diagnostic.log_ratios = log_p - log_q;
  for (Eigen::Index s = 0; s < draw_count; ++s) {
    if (!std::isfinite(log_p(s))) {
      ++diagnostic.non_finite_draws;
      diagnostic.log_ratios(s) = -std::numeric_limits<double>::infinity();
    }
  }
  if (diagnostic.non_finite_draws == draw_count) {
    detail::fit::throw_invalid_argument("varia::psis_diagnostic",
                                        "the number of draws with a "
                                        "finite log density",
                                        "0", "at least 1");
  }
  const PsisResult smoothed = psis(diagnostic.log_ratios);
  diagnostic.k_hat = smoothed.k_hat;
  diagnostic.k_hat_threshold = smoothed.k_hat_threshold;
  diagnostic.reliable = smoothed.reliable;
  diagnostic.effective_sample_size = importance_sampling_ess(diagnostic.log_ratios);
  return diagnostic;
}

/// psis_diagnostic of a fit's family.
template <LogDensity M, Family Q>
PsisDiagnostic psis_diagnostic(const M& model, const FitResult<Q>& result,
                               Eigen::Index draw_count = 1000, std::uint64_t seed = 0) {
  return psis_diagnostic(model, result.family, draw_count, seed);
}

}  // namespace varia
