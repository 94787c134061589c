// Options of varia::fit.
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>

#include <Eigen/Core>

namespace varia {

/// Options of varia::find_mode and varia::laplace_approximation.
struct LaplaceOptions {
  /// Upper limit on L-BFGS iterations, >= 1.
  std::int64_t max_iterations = 1000;
  /// Number of (s, y) pairs that L-BFGS keeps, >= 1.
  std::int64_t memory = 10;
  /// The search stops when max_i |gradient_i| <= gradient_tolerance * max(1, |log p|), >= 0.
  double gradient_tolerance = 1e-8;
  /// The search stops when an accepted step changes log p by at most
  /// function_tolerance * max(1, |log p|), >= 0.
  double function_tolerance = 1e-12;
  /// Armijo constant c1 in (0, 1): a step alpha along p is accepted when
  /// log p(x + alpha p) >= log p(x) + c1 alpha gradient^T p.
  double sufficient_increase = 1e-4;
  /// Trial steps of one line search before it fails, >= 1. Each trial halves the step.
  std::int64_t max_line_search_steps = 60;
  /// Relative step of the central differences of the Hessian: h_i = hessian_step *
  /// max(1, |x_i|), > 0.
  double hessian_step = 1e-4;
};

/// Starting point of the stochastic optimization in varia::fit.
enum class Initialization {
  /// Find the mode with L-BFGS, take the Hessian there and fit in coordinates where the Laplace
  /// approximation is N(0, I), starting from q = N(0, I) in those coordinates. This applies to
  /// the families with a WhiteningRule (fit/whitening.hpp). Other families start as with
  /// `family`, and so does a fit whose mode search ends at a non-finite point or whose Hessian
  /// is not negative definite there.
  laplace,
  /// Start from the family as passed to varia::fit.
  family,
};

/// Options of varia::fit. The defaults suit posteriors of up to a few hundred dimensions.
struct FitOptions {
  /// Monte Carlo samples S per step, >= 1 (>= 2 for varia::ScoreFunction, a multiple of K for
  /// varia::Iwae). 16 fills one group of autodiff lanes (smaller S runs lane by lane) and cuts
  /// the gradient's standard deviation by 4 against S = 1; a step costs about 16 times as much.
  /// NOTE: the default is not tuned by measuring accuracy per model evaluation.
  Eigen::Index samples = 16;
  /// Upper limit on the number of iterations, >= 1. Rejected steps count as iterations.
  std::int64_t max_iterations = 10000;
  /// Tolerance of the convergence rule, > 0. Every evaluation_interval iterations the fit
  /// estimates the objective at the reported parameters from evaluation_samples draws, and a
  /// WindowConvergence rule with window convergence_window watches these estimates: the fit
  /// stops once their mean over a window improves by less than tolerance * (|objective| + 1),
  /// or by less than twice its standard error, at two consecutive checks.
  double tolerance = 1e-3;
  /// Iterations between two objective evaluations of the convergence rule, >= 1. With the
  /// defaults the evaluations add 64 model gradients per 20 iterations of 16, a fifth of the
  /// cost of the steps.
  std::int64_t evaluation_interval = 20;
  /// Draws per objective evaluation, >= 1 (and accepted by the objective). The same base noise
  /// is used at every evaluation, so that the differences between evaluations show the change
  /// of the parameters rather than new Monte Carlo noise. More draws let the rule see smaller
  /// improvements, so it stops later and closer to the optimum.
  Eigen::Index evaluation_samples = 64;
  /// Window W of the convergence rule, in evaluations, >= 2.
  std::int64_t convergence_window = 10;
  /// Seed of the counter-based random stream. The same seed gives bit-identical results.
  std::uint64_t seed = 0;
  /// Steps are rejected (and the step size reduced) when more than this fraction of the S samples
  /// has a non-finite log density or gradient. In [0, 1).
  double max_dropped_fraction = 0.5;
  /// The fit stops with StopReason::diverged after this many consecutive rejected steps, >= 1.
  std::int64_t max_consecutive_rejections = 20;
  /// Factor passed to the optimizer's reduce_step_size after a rejected step, in (0, 1).
  double step_size_reduction = 0.5;
  /// Called after each accepted step with the iteration (from 0), the objective estimate and the
  /// optimizer's step size. Empty by default.
  std::function<void(std::int64_t iteration, double objective, double step_size)> callback;
  /// Writes a one-line progress report to stderr every 100 iterations when stderr is a terminal.
  bool progress = false;
  /// Starting point of the stochastic optimization.
  Initialization initialization = Initialization::laplace;
  /// Options of the mode search and Hessian when initialization is Initialization::laplace.
  LaplaceOptions laplace;
};

namespace detail::fit {

template <class T>
std::string format_value(const T& value) {
  std::ostringstream stream;
  stream << value;
  return stream.str();
}

[[noreturn]] inline void throw_invalid_argument(const std::string& function,
                                                const std::string& argument,
                                                const std::string& value,
                                                const std::string& requirement) {
  throw std::invalid_argument(function + ": " + argument + " is " + value + ", but must be " +
                              requirement);
}

[[noreturn]] inline void throw_invalid_option(const char* option, const std::string& value,
                                              const char* requirement) {
  throw_invalid_argument("varia::fit", std::string("options.") + option, value, requirement);
}

/// Throws std::invalid_argument naming the first Laplace option out of its range; `prefix` is
/// prepended to the option's name in the message.
inline void check_laplace_options(const std::string& function, const std::string& prefix,
                                  const LaplaceOptions& options) {
  if (options.max_iterations < 1) {
    throw_invalid_argument(function, prefix + "max_iterations",
                           format_value(options.max_iterations), "at least 1");
  }
  if (options.memory < 1) {
    throw_invalid_argument(function, prefix + "memory", format_value(options.memory), "at least 1");
  }
  if (!(options.gradient_tolerance >= 0.0 && std::isfinite(options.gradient_tolerance))) {
    throw_invalid_argument(function, prefix + "gradient_tolerance",
                           format_value(options.gradient_tolerance), "non-negative and finite");
  }
  if (!(options.function_tolerance >= 0.0 && std::isfinite(options.function_tolerance))) {
    throw_invalid_argument(function, prefix + "function_tolerance",
                           format_value(options.function_tolerance), "non-negative and finite");
  }
  if (!(options.sufficient_increase > 0.0 && options.sufficient_increase < 1.0)) {
    throw_invalid_argument(function, prefix + "sufficient_increase",
                           format_value(options.sufficient_increase), "in (0, 1)");
  }
  if (options.max_line_search_steps < 1) {
    throw_invalid_argument(function, prefix + "max_line_search_steps",
                           format_value(options.max_line_search_steps), "at least 1");
  }
  if (!(options.hessian_step > 0.0 && std::isfinite(options.hessian_step))) {
    throw_invalid_argument(function, prefix + "hessian_step", format_value(options.hessian_step),
                           "positive and finite");
  }
}

/// Throws std::invalid_argument naming the first option out of its range.
inline void check_options(const FitOptions& options) {
  if (options.samples < 1) {
    throw_invalid_option("samples", format_value(options.samples), "at least 1");
  }
  if (options.max_iterations < 1) {
    throw_invalid_option("max_iterations", format_value(options.max_iterations), "at least 1");
  }
  if (!(std::isfinite(options.tolerance) && options.tolerance > 0.0)) {
    throw_invalid_option("tolerance", format_value(options.tolerance), "positive and finite");
  }
  if (options.evaluation_interval < 1) {
    throw_invalid_option("evaluation_interval", format_value(options.evaluation_interval),
                         "at least 1");
  }
  if (options.evaluation_samples < 1) {
    throw_invalid_option("evaluation_samples", format_value(options.evaluation_samples),
                         "at least 1");
  }
  if (options.convergence_window < 2) {
    throw_invalid_option("convergence_window", format_value(options.convergence_window),
                         "at least 2");
  }
  if (!(options.max_dropped_fraction >= 0.0 && options.max_dropped_fraction < 1.0)) {
    throw_invalid_option("max_dropped_fraction", format_value(options.max_dropped_fraction),
                         "in [0, 1)");
  }
  if (options.max_consecutive_rejections < 1) {
    throw_invalid_option("max_consecutive_rejections",
                         format_value(options.max_consecutive_rejections), "at least 1");
  }
  if (!(options.step_size_reduction > 0.0 && options.step_size_reduction < 1.0)) {
    throw_invalid_option("step_size_reduction", format_value(options.step_size_reduction),
                         "in (0, 1)");
  }
  check_laplace_options("varia::fit", "options.laplace.", options.laplace);
}

}  // namespace detail::fit
}  // namespace varia
