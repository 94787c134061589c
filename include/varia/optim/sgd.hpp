// Stochastic gradient descent with heavy-ball or Nesterov momentum.
#pragma once

#include <Eigen/Core>

#include <varia/optim/checks.hpp>

namespace varia {

/// Options of Sgd. There is no step size that suits every problem: scale learning_rate to about
/// 1 / L for a loss whose gradient is L-Lipschitz.
struct SgdOptions {
  /// Step size lr, > 0.
  double learning_rate = 0.01;
  /// Momentum coefficient mu, in [0, 1). Zero gives plain SGD.
  double momentum = 0.9;
  /// Use Nesterov's look-ahead form of the momentum update.
  bool nesterov = false;
};

/// Stochastic gradient descent with momentum. With velocity v_0 = 0, each step computes
/// v_t = mu v_{t-1} + g_t, then x_{t+1} = x_t - lr v_t (heavy ball, Polyak 1964, "Some methods of
/// speeding up the convergence of iteration methods") or x_{t+1} = x_t - lr (g_t + mu v_t)
/// (Nesterov momentum in the form of Sutskever, Martens, Dahl and Hinton 2013, "On the importance
/// of initialization and momentum in deep learning"). Does not average iterates.
class Sgd {
 public:
  /// Throws std::invalid_argument unless learning_rate is positive and finite and momentum is in
  /// [0, 1).
  explicit Sgd(const SgdOptions& options = {}) : options_(options) {
    detail::optim::check_positive_finite("varia::Sgd", "learning_rate", options.learning_rate);
    detail::optim::check_in_unit_interval_closed_open("varia::Sgd", "momentum", options.momentum);
    learning_rate_ = options.learning_rate;
  }

  /// Sets the velocity to zero and the step size to options.learning_rate for points of x0's
  /// dimension. Throws std::invalid_argument if x0 is empty or has a non-finite entry.
  void initialize(const Eigen::VectorXd& x0) {
    detail::optim::check_initial_point("varia::Sgd::initialize", x0);
    velocity_ = Eigen::VectorXd::Zero(x0.size());
    learning_rate_ = options_.learning_rate;
  }

  /// Takes one step from x with the gradient at x. Throws std::invalid_argument before
  /// initialize, on a size that differs from the initialized dimension, or on a non-finite entry
  /// of x or gradient.
  void step(Eigen::VectorXd& x, const Eigen::VectorXd& gradient) {
    detail::optim::check_step_arguments("varia::Sgd::step", velocity_.size(), x, gradient, false);
    const double mu = options_.momentum;
    velocity_ = mu * velocity_ + gradient;
    if (options_.nesterov) {
      x -= learning_rate_ * (gradient + mu * velocity_);
    } else {
      x -= learning_rate_ * velocity_;
    }
  }

  /// The learning rate of the next step: options.learning_rate times every factor passed to
  /// reduce_step_size since initialize.
  double step_size() const { return learning_rate_; }

  /// Multiplies the learning rate by factor. The velocity is kept. Throws std::invalid_argument
  /// before initialize or unless factor is in (0, 1).
  void reduce_step_size(double factor) {
    detail::optim::check_initialized("varia::Sgd::reduce_step_size", velocity_.size());
    detail::optim::check_in_unit_interval_open("varia::Sgd::reduce_step_size", "factor", factor);
    learning_rate_ *= factor;
  }

  /// Returns x, because Sgd does not average iterates. Throws std::invalid_argument before
  /// initialize or when x's size differs from the initialized dimension.
  Eigen::VectorXd averaged(const Eigen::VectorXd& x) const {
    detail::optim::check_initialized("varia::Sgd::averaged", velocity_.size());
    detail::optim::check_dimension("varia::Sgd::averaged", "x", x.size(), velocity_.size());
    return x;
  }

  const SgdOptions& options() const { return options_; }

 private:
  SgdOptions options_;
  double learning_rate_ = 0.0;
  Eigen::VectorXd velocity_;
};

}  // namespace varia
