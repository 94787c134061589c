// State and step shared by the DoG and DoWG optimizers, which set their step size from the
// distance travelled from the starting point and the accumulated gradient norms.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include <Eigen/Core>

#include <varia/optim/averaging.hpp>
#include <varia/optim/checks.hpp>

namespace varia::detail {

/// Names that a DistanceOverGradients rule uses in error messages.
struct DistanceOverGradientsNames {
  std::string_view constructor;
  std::string_view initialize;
  std::string_view step;
  std::string_view reduce_step_size;
  std::string_view averaged;
};

/// A rule: `Rule::names` (DistanceOverGradientsNames), `Rule::accumulate(sum, rbar, g2)` returning
/// the new gradient accumulator from the old one, the distance rbar_t and ||g_t||^2, and
/// `Rule::step_size(sum, rbar)` returning eta_t for a positive accumulator.
template <class Rule>
class DistanceOverGradients {
 public:
  /// Throws std::invalid_argument unless relative_initial_movement is positive and finite and
  /// averaging_gamma is finite and >= 0.
  DistanceOverGradients(double relative_initial_movement, double averaging_gamma)
      : relative_initial_movement_(relative_initial_movement),
        average_(checked_gamma(averaging_gamma)) {
    optim::check_positive_finite(Rule::names.constructor, "relative_initial_movement",
                                 relative_initial_movement);
  }

  /// Stores x0, sets rbar to r_eps = relative_initial_movement (1 + ||x0||), the accumulator and
  /// step count to zero, the average to x0 and the scale to 1. Throws std::invalid_argument if x0
  /// is empty or has a non-finite entry or norm.
  void initialize(const Eigen::VectorXd& x0) {
    optim::check_initial_point(Rule::names.initialize, x0);
    const double norm = x0.stableNorm();
    if (!std::isfinite(norm)) {
      optim::throw_invalid_argument(Rule::names.initialize, "x0's norm", optim::format_value(norm),
                                    "finite");
    }
    initial_point_ = x0;
    initial_movement_ = relative_initial_movement_ * (1.0 + norm);
    max_distance_ = initial_movement_;
    accumulator_ = 0.0;
    scale_ = 1.0;
    last_step_size_ = 0.0;
    iteration_ = 0;
    average_.reset(x0);
  }

  /// Takes one step x <- x - c eta_t g, where c is the product of the factors passed to
  /// reduce_step_size since initialize, and folds the new x into the average. When every
  /// gradient so far was zero, eta_t is undefined and x stays where it is. Throws
  /// std::invalid_argument before initialize, on a size that differs from the initialized
  /// dimension, on a non-finite entry of x or gradient, or on a gradient entry whose square
  /// overflows; throws std::overflow_error, before changing any state, if ||x - x0|| or the
  /// gradient accumulator overflows.
  void step(Eigen::VectorXd& x, const Eigen::VectorXd& gradient) {
    optim::check_step_arguments(Rule::names.step, initial_point_.size(), x, gradient, true);
    const double distance = (x - initial_point_).norm();
    if (!std::isfinite(distance)) {
      std::string message(Rule::names.step);
      message +=
          ": the distance ||x - x0|| is " + optim::format_value(distance) + ", but must be finite";
      throw std::overflow_error(message);
    }
    const double max_distance = std::max(max_distance_, distance);
    const double gradient_norm_squared = gradient.squaredNorm();
    const double accumulator = Rule::accumulate(accumulator_, max_distance, gradient_norm_squared);
    if (!std::isfinite(accumulator)) {
      std::string message(Rule::names.step);
      message += ": the gradient accumulator is " + optim::format_value(accumulator) +
                 ", but must be finite (the gradient's squared norm is " +
                 optim::format_value(gradient_norm_squared) + ")";
      throw std::overflow_error(message);
    }
    max_distance_ = max_distance;
    accumulator_ = accumulator;
    ++iteration_;
    last_step_size_ = accumulator > 0.0 ? Rule::step_size(accumulator, max_distance) : 0.0;
    if (last_step_size_ > 0.0) {
      x -= (scale_ * last_step_size_) * gradient;
    }
    average_.add(x);
  }

  /// c eta_t for the most recent step t, with c including any reduce_step_size after that step;
  /// 0 before the first step.
  double step_size() const { return scale_ * last_step_size_; }

  /// Multiplies all later step sizes by factor and removes the iterate of the most recent step
  /// from the average (only once if called repeatedly without a step in between). rbar and the
  /// accumulator are kept. Throws std::invalid_argument before initialize or unless factor is in
  /// (0, 1).
  void reduce_step_size(double factor) {
    optim::check_initialized(Rule::names.reduce_step_size, initial_point_.size());
    optim::check_in_unit_interval_open(Rule::names.reduce_step_size, "factor", factor);
    scale_ *= factor;
    average_.remove_last();
  }

  /// Returns the polynomial-decay average of the iterates, x0 before the first step; x is used
  /// only to check its size. Throws std::invalid_argument before initialize or when x's size
  /// differs from the initialized dimension.
  Eigen::VectorXd averaged(const Eigen::VectorXd& x) const {
    optim::check_initialized(Rule::names.averaged, initial_point_.size());
    optim::check_dimension(Rule::names.averaged, "x", x.size(), initial_point_.size());
    return average_.value();
  }

  /// The average of the iterates without a copy; empty before initialize.
  const Eigen::VectorXd& average() const { return average_.value(); }

  /// r_eps, the distance that the first step moves.
  double initial_movement() const { return initial_movement_; }

  /// rbar_t = max(r_eps, max over i <= t of ||x_i - x_0||) of the most recent step.
  double max_distance() const { return max_distance_; }

  /// The number of steps taken since initialize.
  std::int64_t iteration() const { return iteration_; }

 private:
  static double checked_gamma(double gamma) {
    optim::check_nonnegative_finite(Rule::names.constructor, "averaging_gamma", gamma);
    return gamma;
  }

  double relative_initial_movement_;
  double initial_movement_ = 0.0;
  double max_distance_ = 0.0;
  double accumulator_ = 0.0;
  double scale_ = 1.0;
  double last_step_size_ = 0.0;
  std::int64_t iteration_ = 0;
  Eigen::VectorXd initial_point_;
  PolynomialDecayAverage average_;
};

}  // namespace varia::detail
