// The adaptive step-size sequence of automatic differentiation variational inference (ADVI).
#pragma once

#include <cmath>
#include <cstdint>

#include <Eigen/Core>

#include <varia/optim/checks.hpp>

namespace varia {

/// Options of AdviStepSequence. The defaults of alpha, tau and exponent_offset are the values
/// that Kucukelbir et al. (2017) give; eta = 1 is Stan's default when it does not search for eta.
struct AdviStepSequenceOptions {
  /// Scale eta of the step sizes, > 0. search_step_size can choose it.
  double eta = 1.0;
  /// Weight alpha of the newest squared gradient in the running average s_k, in (0, 1].
  double alpha = 0.1;
  /// Offset tau added to sqrt(s_k), > 0.
  double tau = 1.0;
  /// Offset epsilon in the decay exponent -1/2 + epsilon, in [0, 1/2).
  double exponent_offset = 1e-16;
};

/// Stochastic gradient descent with the adaptive step-size sequence of ADVI (Kucukelbir, Tran,
/// Ranganath, Gelman and Blei 2017, "Automatic differentiation variational inference", JMLR
/// 18(14)). Step k = 1, 2, ... computes elementwise
///   s_k = alpha g_k^2 + (1 - alpha) s_{k-1}  (s_1 = g_1^2),
///   rho_k = eta k^(-1/2 + epsilon) / (tau + sqrt(s_k)),   x_{k+1} = x_k - rho_k g_k.
/// Stan's implementation uses the exponent -1/2 exactly; the default epsilon = 1e-16 changes
/// k^(-1/2) by a relative 1e-16 ln(k), below double precision for any feasible k.
/// Does not average iterates.
class AdviStepSequence {
 public:
  /// Throws std::invalid_argument unless eta and tau are positive and finite, alpha is in (0, 1]
  /// and exponent_offset is in [0, 1/2).
  explicit AdviStepSequence(const AdviStepSequenceOptions& options = {}) : options_(options) {
    detail::optim::check_positive_finite("varia::AdviStepSequence", "eta", options.eta);
    if (!(options.alpha > 0.0 && options.alpha <= 1.0)) {
      detail::optim::throw_invalid_argument("varia::AdviStepSequence", "alpha",
                                            detail::optim::format_value(options.alpha),
                                            "in (0, 1]");
    }
    detail::optim::check_positive_finite("varia::AdviStepSequence", "tau", options.tau);
    if (!(options.exponent_offset >= 0.0 && options.exponent_offset < 0.5)) {
      detail::optim::throw_invalid_argument("varia::AdviStepSequence", "exponent_offset",
                                            detail::optim::format_value(options.exponent_offset),
                                            "in [0, 0.5)");
    }
    eta_ = options.eta;
  }

  /// Sets the running average of squared gradients and the step count to zero and eta to
  /// options.eta for points of x0's dimension. Throws std::invalid_argument if x0 is empty or has
  /// a non-finite entry.
  void initialize(const Eigen::VectorXd& x0) {
    detail::optim::check_initial_point("varia::AdviStepSequence::initialize", x0);
    squared_gradient_average_ = Eigen::VectorXd::Zero(x0.size());
    eta_ = options_.eta;
    iteration_ = 0;
  }

  /// Takes one step from x with the gradient at x. Throws std::invalid_argument before
  /// initialize, on a size that differs from the initialized dimension, on a non-finite entry of
  /// x or gradient, or on a gradient entry whose square overflows.
  void step(Eigen::VectorXd& x, const Eigen::VectorXd& gradient) {
    detail::optim::check_step_arguments("varia::AdviStepSequence::step",
                                        squared_gradient_average_.size(), x, gradient, true);
    ++iteration_;
    if (iteration_ == 1) {
      squared_gradient_average_ = gradient.array().square().matrix();
    } else {
      const double alpha = options_.alpha;
      squared_gradient_average_ =
          alpha * gradient.array().square().matrix() + (1.0 - alpha) * squared_gradient_average_;
    }
    const double scale = schedule(iteration_);
    x.array() -=
        scale * gradient.array() / (options_.tau + squared_gradient_average_.array().sqrt());
  }

  /// The scalar factor eta k^(-1/2 + epsilon) of the most recent step k, or eta before the first
  /// step. It uses the current eta, so it includes every later reduce_step_size.
  double step_size() const { return schedule(iteration_ == 0 ? 1 : iteration_); }

  /// Multiplies eta by factor. The running average of squared gradients and the step count are
  /// kept. Throws std::invalid_argument before initialize or unless factor is in (0, 1).
  void reduce_step_size(double factor) {
    detail::optim::check_initialized("varia::AdviStepSequence::reduce_step_size",
                                     squared_gradient_average_.size());
    detail::optim::check_in_unit_interval_open("varia::AdviStepSequence::reduce_step_size",
                                               "factor", factor);
    eta_ *= factor;
  }

  /// Returns x, because this optimizer does not average iterates. Throws std::invalid_argument
  /// before initialize or when x's size differs from the initialized dimension.
  Eigen::VectorXd averaged(const Eigen::VectorXd& x) const {
    detail::optim::check_initialized("varia::AdviStepSequence::averaged",
                                     squared_gradient_average_.size());
    detail::optim::check_dimension("varia::AdviStepSequence::averaged", "x", x.size(),
                                   squared_gradient_average_.size());
    return x;
  }

  /// The current eta: options.eta times every factor passed to reduce_step_size.
  double eta() const { return eta_; }

  /// The number of steps taken since initialize.
  std::int64_t iteration() const { return iteration_; }

  const AdviStepSequenceOptions& options() const { return options_; }

 private:
  double schedule(std::int64_t k) const {
    return eta_ * std::pow(static_cast<double>(k), -0.5 + options_.exponent_offset);
  }

  AdviStepSequenceOptions options_;
  double eta_ = 0.0;
  std::int64_t iteration_ = 0;
  Eigen::VectorXd squared_gradient_average_;
};

}  // namespace varia
