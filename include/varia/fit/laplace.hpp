// Mode search by L-BFGS and the Laplace approximation N(mode, (-H)^-1) of a log density.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include <varia/ad/gradient.hpp>
#include <varia/fit/options.hpp>
#include <varia/model/log_density.hpp>

namespace varia {

/// Outcome of varia::find_mode.
struct ModeSearchResult {
  /// The last accepted point: the mode when `converged` is true.
  Eigen::VectorXd mode;
  /// log p at `mode`.
  double log_density = std::numeric_limits<double>::quiet_NaN();
  /// Gradient of log p at `mode`.
  Eigen::VectorXd gradient;
  /// L-BFGS iterations, each with one line search.
  std::int64_t iterations = 0;
  /// Model gradient evaluations, the start point and every line-search trial included.
  std::int64_t gradient_evaluations = 0;
  /// Whether a stopping rule on the gradient or on the change of log p fired.
  bool converged = false;
  /// The stopping rule that fired, or why the search failed.
  std::string message;
};

/// Outcome of varia::laplace_approximation: the Gaussian N(mode, (-H)^-1).
struct LaplaceApproximation {
  ModeSearchResult mode_search;
  /// Hessian H of log p at the mode by central differences of the gradient, symmetrized. Empty
  /// when log p is not finite at the end of the mode search.
  Eigen::MatrixXd hessian;
  /// Whether -H is numerically positive definite. Only then are `covariance` and
  /// `covariance_factor` set.
  bool positive_definite = false;
  /// (-H)^-1.
  Eigen::MatrixXd covariance;
  /// Lower-triangular Cholesky factor L0 of `covariance` (L0 L0^T = (-H)^-1).
  Eigen::MatrixXd covariance_factor;
  /// Model gradient evaluations of the mode search and the Hessian together.
  std::int64_t gradient_evaluations = 0;
  /// The reason -H is not positive definite, or empty.
  std::string message;
};

namespace detail::fit {

/// Returns whether the gradient test of the mode search passes.
inline bool gradient_small(const Eigen::VectorXd& gradient, double log_density,
                           const LaplaceOptions& options) {
  return gradient.lpNorm<Eigen::Infinity>() <=
         options.gradient_tolerance * std::max(1.0, std::abs(log_density));
}

/// Returns H g for the L-BFGS inverse-Hessian approximation H of -log p, by the two-loop
/// recursion (Nocedal and Wright, Numerical Optimization, 2nd ed., Algorithm 7.4) with
/// H0 = (s^T y / y^T y) I from the newest pair. `steps` and `changes` hold s_k and y_k, oldest
/// first, with y_k = g_k - g_{k+1} (the change of the gradient of -log p).
inline Eigen::VectorXd two_loop_direction(const std::deque<Eigen::VectorXd>& steps,
                                          const std::deque<Eigen::VectorXd>& changes,
                                          const Eigen::VectorXd& gradient) {
  const std::size_t count = steps.size();
  std::vector<double> alpha(count);
  std::vector<double> rho(count);
  Eigen::VectorXd q = gradient;
  for (std::size_t k = count; k-- > 0;) {
    rho[k] = 1.0 / changes[k].dot(steps[k]);
    alpha[k] = rho[k] * steps[k].dot(q);
    q -= alpha[k] * changes[k];
  }
  const double gamma = steps.back().dot(changes.back()) / changes.back().squaredNorm();
  Eigen::VectorXd r = gamma * q;
  for (std::size_t k = 0; k < count; ++k) {
    const double beta = rho[k] * changes[k].dot(r);
    r += (alpha[k] - beta) * steps[k];
  }
  return r;
}

/// Returns the gradient scaled to length at most 1, the first direction and the direction after
/// a reset of the L-BFGS memory.
inline Eigen::VectorXd steepest_direction(const Eigen::VectorXd& gradient) {
  return gradient / std::max(1.0, gradient.norm());
}

inline void check_start(const char* function, Eigen::Index dimension,
                        const Eigen::VectorXd& start) {
  if (start.size() != dimension) {
    throw_invalid_argument(function, "start.size()", format_value(start.size()),
                           "the model's dimension, " + format_value(dimension));
  }
  for (Eigen::Index i = 0; i < start.size(); ++i) {
    if (!std::isfinite(start(i))) {
      throw_invalid_argument(function, "start(" + std::to_string(i) + ")", format_value(start(i)),
                             "finite");
    }
  }
}

}  // namespace detail::fit

/// Maximizes the model's log density by L-BFGS (Nocedal and Wright, Numerical Optimization,
/// 2nd ed., Algorithms 7.4 and 7.5) with options.memory pairs, starting at `start`.
///
/// Each iteration runs a backtracking line search from the unit quasi-Newton step, halving the
/// step until the Armijo condition log p(x + a p) >= log p(x) + c1 a g^T p holds. A trial point
/// where log p or its gradient is not finite counts as a failed trial. A pair (s, y) with
/// s^T y <= 0 is not stored, so the approximation stays positive definite. When a line search
/// fails and the predicted increase g^T p is at most function_tolerance * max(1, |log p|), the
/// search ends as converged, because the log density cannot rise further above its rounding
/// level. Otherwise the memory is cleared and the iteration is retried along the gradient. A
/// failed line search along the gradient ends the search as not converged.
///
/// The search converges when max_i |g_i| <= gradient_tolerance * max(1, |log p|) or when an
/// accepted step changes log p by at most function_tolerance * max(1, |log p|). It does not
/// throw when log p is not finite at `start`: it returns converged = false with that message.
/// Throws std::invalid_argument if an option is out of range or `start` has the wrong size or
/// a non-finite entry. Exceptions from the model propagate.
template <LogDensity M>
ModeSearchResult find_mode(const M& model, const Eigen::VectorXd& start,
                           const LaplaceOptions& options = {}) {
  constexpr const char* function = "varia::find_mode";
  detail::fit::check_laplace_options(function, "options.", options);
  detail::fit::check_start(function, static_cast<Eigen::Index>(model.dimension()), start);

  ModeSearchResult result;
  result.mode = start;
  result.log_density = value_and_gradient(model, start, result.gradient);
  result.gradient_evaluations = 1;
  if (!std::isfinite(result.log_density) || !result.gradient.allFinite()) {
    result.message = "the log density or its gradient is not finite at the start point";
    return result;
  }

  Eigen::VectorXd& x = result.mode;
  Eigen::VectorXd& g = result.gradient;
  double& f = result.log_density;
  std::deque<Eigen::VectorXd> steps;
  std::deque<Eigen::VectorXd> changes;
  Eigen::VectorXd trial_point;
  Eigen::VectorXd trial_gradient;
  while (true) {
    if (detail::fit::gradient_small(g, f, options)) {
      result.converged = true;
      result.message = "the gradient norm is below gradient_tolerance";
      return result;
    }
    if (result.iterations >= options.max_iterations) {
      result.message = "max_iterations reached before convergence";
      return result;
    }
    ++result.iterations;

    Eigen::VectorXd direction = steps.empty() ? detail::fit::steepest_direction(g)
                                              : detail::fit::two_loop_direction(steps, changes, g);
    double slope = g.dot(direction);
    if (!(slope > 0.0) || !std::isfinite(slope)) {
      steps.clear();
      changes.clear();
      direction = detail::fit::steepest_direction(g);
      slope = g.dot(direction);
    }

    double step = 1.0;
    bool accepted = false;
    double trial_value = 0.0;
    for (std::int64_t trial = 0; trial < options.max_line_search_steps; ++trial) {
      trial_point = x + step * direction;
      trial_value = value_and_gradient(model, trial_point, trial_gradient);
      ++result.gradient_evaluations;
      if (std::isfinite(trial_value) && trial_gradient.allFinite() &&
          trial_value >= f + options.sufficient_increase * step * slope) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }

    if (!accepted) {
      // The quasi-Newton model predicts an increase of about slope / 2 from a full step. When
      // even that is below the function tolerance, the remaining gain is lost in rounding.
      if (slope <= options.function_tolerance * std::max(1.0, std::abs(f))) {
        result.converged = true;
        result.message = "the predicted increase of the log density is below function_tolerance";
        return result;
      }
      if (!steps.empty()) {
        steps.clear();
        changes.clear();
        continue;
      }
      result.message = "the line search found no increase along the gradient";
      return result;
    }

    Eigen::VectorXd s = trial_point - x;
    Eigen::VectorXd y = g - trial_gradient;
    if (s.dot(y) > 0.0) {
      steps.push_back(std::move(s));
      changes.push_back(std::move(y));
      if (static_cast<std::int64_t>(steps.size()) > options.memory) {
        steps.pop_front();
        changes.pop_front();
      }
    }
    const double change = trial_value - f;
    x = trial_point;
    g = trial_gradient;
    f = trial_value;
    if (std::abs(change) <= options.function_tolerance * std::max(1.0, std::abs(f)) &&
        !detail::fit::gradient_small(g, f, options)) {
      result.converged = true;
      result.message = "the change of the log density is below function_tolerance";
      return result;
    }
  }
}

/// Computes the Laplace approximation N(mode, (-H)^-1) of the model's posterior: the mode by
/// varia::find_mode from `start`, then the Hessian H at the mode by central differences of the
/// gradient with steps h_i = options.hessian_step * max(1, |x_i|). The 2d gradients are
/// evaluated in one varia::value_and_gradient_lanes call, and H is symmetrized.
///
/// The covariance is (-H)^-1 through the Cholesky factorization of -H. When that fails, or a
/// pivot is below 1e-12 times the largest diagonal entry of -H (a flat or nearly flat
/// direction), `positive_definite` is false, `message` gives the reason and the covariance is left
/// empty, so the caller can fall back. The Hessian is computed even when the mode search did
/// not converge, at its last point. Throws as find_mode does.
template <LogDensity M>
LaplaceApproximation laplace_approximation(const M& model, const Eigen::VectorXd& start,
                                           const LaplaceOptions& options = {}) {
  LaplaceApproximation result;
  result.mode_search = find_mode(model, start, options);
  result.gradient_evaluations = result.mode_search.gradient_evaluations;
  if (!std::isfinite(result.mode_search.log_density)) {
    result.message = "the log density is not finite at the end of the mode search";
    return result;
  }

  const Eigen::VectorXd& x = result.mode_search.mode;
  const Eigen::Index d = x.size();
  Eigen::MatrixXd points(d, 2 * d);
  Eigen::VectorXd steps(d);
  for (Eigen::Index i = 0; i < d; ++i) {
    steps(i) = options.hessian_step * std::max(1.0, std::abs(x(i)));
    points.col(2 * i) = x;
    points.col(2 * i + 1) = x;
    points(i, 2 * i) += steps(i);
    points(i, 2 * i + 1) -= steps(i);
  }
  Eigen::VectorXd values;
  Eigen::MatrixXd gradients;
  value_and_gradient_lanes(model, points, values, gradients);
  result.gradient_evaluations += 2 * d;

  Eigen::MatrixXd hessian(d, d);
  for (Eigen::Index i = 0; i < d; ++i) {
    // The actual offset (x + h) - (x - h) differs from 2h by rounding; divide by it.
    const double width = points(i, 2 * i) - points(i, 2 * i + 1);
    hessian.col(i) = (gradients.col(2 * i) - gradients.col(2 * i + 1)) / width;
  }
  result.hessian = 0.5 * (hessian + hessian.transpose());
  if (!result.hessian.allFinite()) {
    result.message = "the gradient is not finite at a point of the finite-difference Hessian";
    return result;
  }

  const Eigen::MatrixXd precision = -result.hessian;
  const Eigen::LLT<Eigen::MatrixXd> precision_cholesky(precision);
  const double largest = precision.diagonal().maxCoeff();
  if (precision_cholesky.info() != Eigen::Success || !(largest > 0.0)) {
    result.message = "-H is not positive definite: its Cholesky factorization failed";
    return result;
  }
  const Eigen::VectorXd pivots =
      precision_cholesky.matrixLLT().diagonal().array().square().matrix();
  if (!(pivots.minCoeff() > 1e-12 * largest)) {
    result.message =
        "-H is numerically singular: a Cholesky pivot is below 1e-12 times its "
        "largest diagonal entry";
    return result;
  }
  Eigen::MatrixXd covariance = precision_cholesky.solve(Eigen::MatrixXd::Identity(d, d));
  covariance = 0.5 * (covariance + covariance.transpose());
  const Eigen::LLT<Eigen::MatrixXd> covariance_cholesky(covariance);
  if (covariance_cholesky.info() != Eigen::Success || !covariance.allFinite()) {
    result.message = "(-H)^-1 is not numerically positive definite";
    return result;
  }
  result.positive_definite = true;
  result.covariance = std::move(covariance);
  result.covariance_factor = covariance_cholesky.matrixL();
  return result;
}

}  // namespace varia
