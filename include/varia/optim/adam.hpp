// The Adam optimizer.
#pragma once

#include <cmath>
#include <cstdint>

#include <Eigen/Core>

#include <varia/optim/checks.hpp>

namespace varia {

/// Options of Adam. The defaults are those of Kingma and Ba (2015).
struct AdamOptions {
  /// Step size lr, > 0.
  double learning_rate = 1e-3;
  /// Decay rate beta1 of the first-moment estimate, in [0, 1).
  double beta1 = 0.9;
  /// Decay rate beta2 of the second-moment estimate, in [0, 1).
  double beta2 = 0.999;
  /// Constant epsilon added to the root of the second-moment estimate, > 0.
  double epsilon = 1e-8;
};

/// Adam (Kingma and Ba 2015, "Adam: a method for stochastic optimization"). With m_0 = v_0 = 0,
/// step t = 1, 2, ... computes elementwise
///   m_t = beta1 m_{t-1} + (1 - beta1) g_t,   v_t = beta2 v_{t-1} + (1 - beta2) g_t^2,
///   x_{t+1} = x_t - lr (m_t / (1 - beta1^t)) / (sqrt(v_t / (1 - beta2^t)) + epsilon).
/// The first step is therefore -lr g / (|g| + epsilon). Does not average iterates.
class Adam {
 public:
  /// Throws std::invalid_argument unless learning_rate and epsilon are positive and finite and
  /// beta1 and beta2 are in [0, 1).
  explicit Adam(const AdamOptions& options = {}) : options_(options) {
    detail::optim::check_positive_finite("varia::Adam", "learning_rate", options.learning_rate);
    detail::optim::check_in_unit_interval_closed_open("varia::Adam", "beta1", options.beta1);
    detail::optim::check_in_unit_interval_closed_open("varia::Adam", "beta2", options.beta2);
    detail::optim::check_positive_finite("varia::Adam", "epsilon", options.epsilon);
    learning_rate_ = options.learning_rate;
  }

  /// Sets both moment estimates to zero, the step count to zero and the step size to
  /// options.learning_rate for points of x0's dimension. Throws std::invalid_argument if x0 is
  /// empty or has a non-finite entry.
  void initialize(const Eigen::VectorXd& x0) {
    detail::optim::check_initial_point("varia::Adam::initialize", x0);
    first_moment_ = Eigen::VectorXd::Zero(x0.size());
    second_moment_ = Eigen::VectorXd::Zero(x0.size());
    learning_rate_ = options_.learning_rate;
    beta1_power_ = 1.0;
    beta2_power_ = 1.0;
    iteration_ = 0;
  }

  /// Takes one step from x with the gradient at x. Throws std::invalid_argument before
  /// initialize, on a size that differs from the initialized dimension, on a non-finite entry of
  /// x or gradient, or on a gradient entry whose square overflows.
  void step(Eigen::VectorXd& x, const Eigen::VectorXd& gradient) {
    detail::optim::check_step_arguments("varia::Adam::step", first_moment_.size(), x, gradient,
                                        true);
    const double beta1 = options_.beta1;
    const double beta2 = options_.beta2;
    ++iteration_;
    beta1_power_ *= beta1;
    beta2_power_ *= beta2;
    first_moment_ = beta1 * first_moment_ + (1.0 - beta1) * gradient;
    second_moment_ = beta2 * second_moment_ + (1.0 - beta2) * gradient.array().square().matrix();
    // (m / c1) / (sqrt(v / c2) + epsilon) = (sqrt(c2) / c1) m / (sqrt(v) + epsilon sqrt(c2)) with
    // the bias corrections c1 = 1 - beta1^t and c2 = 1 - beta2^t, which saves two divisions per
    // entry.
    const double root_second_correction = std::sqrt(1.0 - beta2_power_);
    const double scale = learning_rate_ * root_second_correction / (1.0 - beta1_power_);
    const double shifted_epsilon = options_.epsilon * root_second_correction;
    x.array() -= scale * first_moment_.array() / (second_moment_.array().sqrt() + shifted_epsilon);
  }

  /// The learning rate of the next step: options.learning_rate times every factor passed to
  /// reduce_step_size since initialize.
  double step_size() const { return learning_rate_; }

  /// Multiplies the learning rate by factor. The moment estimates are kept. Throws
  /// std::invalid_argument before initialize or unless factor is in (0, 1).
  void reduce_step_size(double factor) {
    detail::optim::check_initialized("varia::Adam::reduce_step_size", first_moment_.size());
    detail::optim::check_in_unit_interval_open("varia::Adam::reduce_step_size", "factor", factor);
    learning_rate_ *= factor;
  }

  /// Returns x, because Adam does not average iterates. Throws std::invalid_argument before
  /// initialize or when x's size differs from the initialized dimension.
  Eigen::VectorXd averaged(const Eigen::VectorXd& x) const {
    detail::optim::check_initialized("varia::Adam::averaged", first_moment_.size());
    detail::optim::check_dimension("varia::Adam::averaged", "x", x.size(), first_moment_.size());
    return x;
  }

  /// The number of steps taken since initialize.
  std::int64_t iteration() const { return iteration_; }

  const AdamOptions& options() const { return options_; }

 private:
  AdamOptions options_;
  double learning_rate_ = 0.0;
  double beta1_power_ = 1.0;
  double beta2_power_ = 1.0;
  std::int64_t iteration_ = 0;
  Eigen::VectorXd first_moment_;
  Eigen::VectorXd second_moment_;
};

}  // namespace varia
