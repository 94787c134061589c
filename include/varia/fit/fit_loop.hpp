// The fit loop: stochastic optimization of a variational objective.
#pragma once

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include <Eigen/Core>

#include <varia/ad/gradient.hpp>
#include <varia/estimator/estimator.hpp>
#include <varia/estimator/reparameterization.hpp>
#include <varia/family/family.hpp>
#include <varia/fit/averaged_adam.hpp>
#include <varia/fit/convergence.hpp>
#include <varia/fit/laplace.hpp>
#include <varia/fit/options.hpp>
#include <varia/fit/parts.hpp>
#include <varia/fit/progress.hpp>
#include <varia/fit/result.hpp>
#include <varia/fit/whitening.hpp>
#include <varia/model/log_density.hpp>
#include <varia/objective/elbo.hpp>
#include <varia/objective/objective.hpp>
#include <varia/optim/optimizer.hpp>
#include <varia/random/counter_rng.hpp>

namespace varia {
namespace detail::fit {

/// Returns whether every entry of the matrix is finite, in one pass.
inline bool all_finite(const Eigen::MatrixXd& matrix) {
  return (matrix.array() * 0.0).sum() == 0.0;
}

/// Copies the columns of `batch` whose log density and gradient are finite to the first columns
/// of `kept` and returns the number kept.
inline Eigen::Index keep_finite_samples(const SampleBatch& batch, SampleBatch& kept) {
  const Eigen::Index samples = batch.size();
  kept.base.resize(batch.base.rows(), samples);
  kept.draws.resize(batch.draws.rows(), samples);
  kept.log_density.resize(samples);
  kept.log_density_gradient.resize(batch.log_density_gradient.rows(), samples);
  Eigen::Index count = 0;
  for (Eigen::Index s = 0; s < samples; ++s) {
    if (!std::isfinite(batch.log_density(s)) || !batch.log_density_gradient.col(s).allFinite()) {
      continue;
    }
    kept.base.col(count) = batch.base.col(s);
    kept.draws.col(count) = batch.draws.col(s);
    kept.log_density(count) = batch.log_density(s);
    kept.log_density_gradient.col(count) = batch.log_density_gradient.col(s);
    ++count;
  }
  return count;
}

/// Shrinks the batch to its first `count` samples.
inline void truncate(SampleBatch& batch, Eigen::Index count) {
  batch.base.conservativeResize(Eigen::NoChange, count);
  batch.draws.conservativeResize(Eigen::NoChange, count);
  batch.log_density.conservativeResize(count);
  batch.log_density_gradient.conservativeResize(Eigen::NoChange, count);
}

/// Estimates the objective at the parameters `reported` from the fixed base noise `base`. Draws
/// with a non-finite log density are left out; returns NaN when too few remain.
template <class M, class Q, class O>
double evaluate_objective(const M& model, Q family, const O& objective,
                          const Eigen::VectorXd& reported, const Eigen::MatrixXd& base) {
  family.set_parameters(reported);
  Eigen::MatrixXd draws;
  family.transform(base, draws);
  Eigen::VectorXd log_p;
  Eigen::MatrixXd gradients;
  value_and_gradient_lanes(model, draws, log_p, gradients);
  Eigen::VectorXd log_q;
  family.log_density(draws, log_q);
  Eigen::VectorXd w(log_p.size());
  Eigen::Index count = 0;
  for (Eigen::Index s = 0; s < log_p.size(); ++s) {
    if (std::isfinite(log_p(s))) {
      w(count++) = log_p(s) - log_q(s);
    }
  }
  while (count > 0 && !objective.accepts_samples(count)) {
    --count;
  }
  if (count * 2 < log_p.size()) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  return objective.value(Eigen::VectorXd(w.head(count)));
}

/// Runs the stochastic optimization of varia::fit from `family` on `model`, after the
/// arguments have been checked. wall_seconds is left for the caller.
template <class M, class Q, class O, class E, class P>
FitResult<Q> optimize(const M& model, const Q& family, const FitOptions& options, O& objective,
                      E& estimator, P& optimizer) {
  FitResult<Q> result(family);
  result.objective_name = objective.name();
  result.estimator_name = estimator.name();
  Q& current = result.family;
  const CounterRng rng(options.seed);
  const double loss_sign = objective.direction() == ObjectiveDirection::maximize ? -1.0 : 1.0;
  WindowConvergence convergence(options.tolerance, options.convergence_window,
                                objective.direction());
  detail::fit::ProgressLine progress(options.progress);

  Eigen::VectorXd x = family.parameters();
  Eigen::VectorXd before_last_step = x;
  optimizer.initialize(x);
  const auto samples = options.samples;
  const auto min_kept = static_cast<Eigen::Index>(
      std::ceil(static_cast<double>(samples) * (1.0 - options.max_dropped_fraction)));
  Eigen::MatrixXd evaluation_base(current.base_dimension(), options.evaluation_samples);
  current.draw_base(CounterRng(options.seed, 1), 0, evaluation_base);
  SampleBatch batch;
  SampleBatch kept;
  batch.base.resize(current.base_dimension(), samples);
  Eigen::VectorXd gradient;
  std::int64_t consecutive_rejections = 0;

  // Rejects the most recent step: restores the point before it and reduces the step size.
  // Returns whether the fit has diverged.
  auto reject = [&]() {
    ++result.rejected_steps;
    ++consecutive_rejections;
    x = before_last_step;
    current.set_parameters(x);
    optimizer.reduce_step_size(options.step_size_reduction);
    if (consecutive_rejections >= options.max_consecutive_rejections) {
      result.stop_reason = StopReason::diverged;
      return true;
    }
    return false;
  };

  for (std::int64_t t = 0; t < options.max_iterations; ++t) {
    result.iterations = t + 1;

    current.draw_base(rng, static_cast<std::uint32_t>(t), batch.base);
    current.transform(batch.base, batch.draws);
    value_and_gradient_lanes(model, batch.draws, batch.log_density, batch.log_density_gradient);
    result.gradient_evaluations += samples;

    // NOTE: the objective leaves dropped samples out instead of counting them as log p = -inf,
    // so a fit can drift into a region where the model is NaN or -inf until about
    // max_dropped_fraction of the samples fall in it. Models should be written on R^d.
    const SampleBatch* used = &batch;
    if (!std::isfinite(batch.log_density.sum()) ||
        !detail::fit::all_finite(batch.log_density_gradient)) {
      Eigen::Index count = detail::fit::keep_finite_samples(batch, kept);
      while (count > 0 && !(objective.accepts_samples(count) && estimator.accepts_samples(count))) {
        --count;
      }
      result.dropped_samples += samples - count;
      if (count < min_kept || count == 0) {
        if (reject()) {
          break;
        }
        continue;
      }
      detail::fit::truncate(kept, count);
      used = &kept;
    }

    const double value = estimator.estimate(current, objective, *used, gradient);
    if (!std::isfinite(value) || !detail::fit::all_finite(gradient) ||
        !std::isfinite(gradient.squaredNorm())) {
      if (reject()) {
        break;
      }
      continue;
    }

    before_last_step = x;
    gradient *= loss_sign;
    bool stepped = true;
    try {
      optimizer.step(x, gradient);
    } catch (const std::overflow_error&) {
      stepped = false;  // DoG and DoWG report an overflowing distance or accumulator this way
    }
    if (!stepped || !detail::fit::all_finite(x)) {
      if (reject()) {
        break;
      }
      continue;
    }
    current.set_parameters(x);
    consecutive_rejections = 0;

    result.objective_trace.push_back(value);
    const double step_size = optimizer.step_size();
    if (options.callback) {
      options.callback(t, value, step_size);
    }
    progress.update(t, options.max_iterations, value, step_size);

    if ((t + 1) % options.evaluation_interval == 0) {
      const double evaluation = detail::fit::evaluate_objective(
          model, current, objective, optimizer.averaged(x), evaluation_base);
      result.gradient_evaluations += options.evaluation_samples;
      if (std::isfinite(evaluation)) {
        result.evaluation_trace.push_back(evaluation);
        if (convergence.add(evaluation)) {
          result.stop_reason = StopReason::converged;
          break;
        }
      }
    }
  }

  Eigen::VectorXd reported = optimizer.averaged(x);
  if (!detail::fit::all_finite(reported)) {
    reported = x;
  }
  current.set_parameters(reported);
  progress.finish();
  return result;
}

/// Chooses the whitening map from a Laplace approximation: the Cholesky factor of (-H)^-1 for
/// families that accept a lower-triangular map, 1 / sqrt(diag(-H)) otherwise (the mean-field
/// optimum for a Gaussian target with precision -H). Fills `outcome` and returns whether a map
/// was found.
template <class M, class Q>
bool choose_whitening(const M& model, const Q& family, const LaplaceOptions& options,
                      LaplaceOutcome& outcome, std::optional<AffineWhitening>& map) {
  const LaplaceApproximation laplace = laplace_approximation(model, family.mean(), options);
  outcome.mode_search_iterations = laplace.mode_search.iterations;
  outcome.gradient_evaluations = laplace.gradient_evaluations;
  outcome.mode_log_density = laplace.mode_search.log_density;
  // On a badly conditioned posterior the last steps of the search creep along a narrow ridge,
  // so a search that stops at its iteration limit at a finite point is usually close to the
  // mode. The Hessian there still whitens the posterior well, and the stochastic optimization
  // then corrects the location. Only a search without a finite end point falls back.
  const bool finite_end = std::isfinite(laplace.mode_search.log_density) &&
                          laplace.mode_search.mode.allFinite() &&
                          laplace.mode_search.gradient.allFinite();
  if (!laplace.mode_search.converged && !finite_end) {
    outcome.message =
        "started from the family: the mode search failed (" + laplace.mode_search.message + ")";
    return false;
  }
  if (!laplace.positive_definite) {
    outcome.message = "started from the family: " + laplace.message;
    return false;
  }
  if constexpr (WhiteningRule<Q>::accepts_lower_triangular) {
    map = AffineWhitening::lower_triangular(laplace.mode_search.mode, laplace.covariance_factor);
    outcome.message = "whitened by the Cholesky factor of the Laplace covariance";
  } else {
    const Eigen::VectorXd scale = (-laplace.hessian.diagonal()).cwiseSqrt().cwiseInverse();
    map = AffineWhitening::diagonal(laplace.mode_search.mode, scale);
    outcome.message = "whitened by 1 / sqrt(diag(-H)) at the mode";
  }
  if (!laplace.mode_search.converged) {
    outcome.message +=
        " at the last point of the mode search (" + laplace.mode_search.message + ")";
  }
  outcome.used = true;
  return true;
}

}  // namespace detail::fit

/// Fits `family` to the target `model` by stochastic optimization of a variational objective,
/// and returns the fitted family with the objective trace and counters.
///
/// With options.initialization = Initialization::laplace (the default) and a family that has a
/// WhiteningRule, the fit first computes varia::laplace_approximation from family.mean(). When
/// the mode search ends at a finite point (converged, or at its iteration limit) and -H is
/// positive definite there, the optimization runs on the
/// WhitenedModel z = mode + S u from the family's WhiteningRule::start (location 0, identity
/// scale, so the family's own location and scale are not used), and the fitted family is mapped
/// back to z. S is the Cholesky factor of (-H)^-1 for FullRankGaussian and
/// StudentTLocationScale and 1 / sqrt(diag(-H)) for MeanFieldGaussian and LowRankGaussian.
/// Otherwise the fit starts from `family` as given; result.laplace records which happened. The
/// objective values in the traces are the same in both coordinates, because the whitened model
/// adds log |det S|.
/// NOTE: a Laplace start at or near the optimum can let the convergence rule stop at its first
/// possible check, before the step size has decayed. The reported point then keeps more
/// optimizer noise than a longer fit from N(0, I) would.
///
/// `parts` are optional, in any order, at most one of each kind: an objective (default
/// varia::Elbo), a gradient estimator (default varia::Reparameterization) and an optimizer
/// (default varia::AveragedAdam). Passing two of a kind, or an argument of no kind, does not
/// compile; neither does an estimator that cannot serve the family and objective.
///
/// Iteration t draws its base noise with family.draw_base(CounterRng(options.seed), t, eps), so
/// the same seed gives bit-identical results. The model is evaluated at the S samples in lanes
/// (varia::value_and_gradient_lanes). Samples whose log density or gradient is not finite are
/// dropped from that step (counted in dropped_samples); objectives that need a multiple of K
/// samples also drop the last few kept samples. A step is rejected when more than
/// options.max_dropped_fraction of the samples were dropped, or when the objective, its gradient
/// or the next iterate is not finite: the parameters go back to the point before the most recent
/// step and the optimizer's step size is multiplied by options.step_size_reduction. After
/// options.max_consecutive_rejections rejections in a row the fit stops as diverged.
///
/// Every options.evaluation_interval iterations the objective is estimated at the reported
/// parameters (optimizer.averaged(x)) from options.evaluation_samples draws of a fixed base
/// noise (random stream 1 of the seed), and the fit stops as converged when a WindowConvergence
/// rule fires on these estimates. The rule watches the reported point rather than the per-step
/// estimates because the iterates of an averaging optimizer stop improving at their noise floor
/// long before their average does.
///
/// Throws std::invalid_argument if an option is out of range (see FitOptions), if the family's
/// dimension differs from the model's, if the family's parameters are not finite, or if the
/// objective or estimator cannot work with options.samples samples. Exceptions from the model
/// propagate.
template <LogDensity M, Family Q, class... Parts>
FitResult<Q> fit(const M& model, const Q& family, const FitOptions& options, Parts&&... parts) {
  detail::fit::check_parts<std::remove_cvref_t<Parts>...>();
  auto objective = detail::fit::pick<detail::fit::ObjectiveKind>(Elbo{}, parts...);
  auto estimator = detail::fit::pick<detail::fit::EstimatorKind>(Reparameterization{}, parts...);
  auto optimizer = detail::fit::pick<detail::fit::OptimizerKind>(AveragedAdam{}, parts...);
  using ObjectiveType = decltype(objective);
  using EstimatorType = decltype(estimator);
  EstimatorType::template require<Q, ObjectiveType>();

  const auto start_time = std::chrono::steady_clock::now();
  detail::fit::check_options(options);
  const auto model_dimension = static_cast<Eigen::Index>(model.dimension());
  if (family.dimension() != model_dimension) {
    detail::fit::throw_invalid_argument(
        "varia::fit", "the family's dimension", detail::fit::format_value(family.dimension()),
        "the model's dimension, " + detail::fit::format_value(model_dimension));
  }
  const Eigen::VectorXd initial = family.parameters();
  for (Eigen::Index i = 0; i < initial.size(); ++i) {
    if (!std::isfinite(initial(i))) {
      detail::fit::throw_invalid_argument("varia::fit",
                                          "the family's initial parameter " + std::to_string(i),
                                          detail::fit::format_value(initial(i)), "finite");
    }
  }
  objective.check_samples(options.samples);
  objective.check_samples(options.evaluation_samples);
  estimator.check_samples(options.samples);

  LaplaceOutcome outcome;
  std::optional<AffineWhitening> map;
  if (options.initialization == Initialization::family) {
    outcome.message = "started from the family: initialization is family";
  } else if constexpr (WhiteningRule<Q>::supported) {
    detail::fit::choose_whitening(model, family, options.laplace, outcome, map);
  } else {
    outcome.message = "started from the family: the family has no whitening rule";
  }

  auto finish = [&](FitResult<Q>& result) {
    result.laplace = outcome;
    result.gradient_evaluations += outcome.gradient_evaluations;
    result.wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_time).count();
  };
  if constexpr (WhiteningRule<Q>::supported) {
    if (map) {
      const WhitenedModel<M> whitened(model, *map);
      FitResult<Q> result = detail::fit::optimize(whitened, WhiteningRule<Q>::start(family),
                                                  options, objective, estimator, optimizer);
      result.family = WhiteningRule<Q>::to_target(result.family, *map);
      finish(result);
      return result;
    }
  }
  FitResult<Q> result =
      detail::fit::optimize(model, family, options, objective, estimator, optimizer);
  finish(result);
  return result;
}

}  // namespace varia
