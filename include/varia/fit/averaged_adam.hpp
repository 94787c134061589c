// Adam with a decaying learning rate and iterate averaging, the default optimizer of varia::fit.
#pragma once

#include <cmath>
#include <cstdint>

#include <Eigen/Core>

#include <varia/optim/adam.hpp>
#include <varia/optim/averaging.hpp>
#include <varia/optim/checks.hpp>

namespace varia {

/// Options of AveragedAdam. The defaults were chosen on Gaussian targets in d = 10 with a random
/// rotation and condition numbers 1e2, 1e6 and 1e7, fitted from N(0, I) with S = 16: among
/// learning rates 0.05 to 0.5 and decay_steps 100 to 5000 they were the best or close to it on
/// every target, and clearly better than plain Adam, DoG, DoWG and the ADVI step sequence on
/// the badly conditioned ones.
struct AveragedAdamOptions {
  /// Learning rate lr_0 of the first steps, > 0.
  double learning_rate = 0.1;
  /// Time scale of the decay lr_t = lr_0 / sqrt(1 + t / decay_steps) in steps, > 0.
  double decay_steps = 1000.0;
  /// gamma of the polynomial-decay average (see PolynomialDecayAverage), >= 0.
  double averaging_gamma = 8.0;
};

/// Adam (Kingma and Ba 2015) whose learning rate decays as lr_0 / sqrt(1 + t / decay_steps), with
/// the iterates averaged by polynomial decay (Shamir and Zhang 2013). Adam's per-coordinate
/// scaling copes with parameters on very different scales; the decay and the average remove the
/// noise floor that a constant learning rate leaves. averaged() returns the average.
class AveragedAdam {
 public:
  /// Throws std::invalid_argument unless learning_rate and decay_steps are positive and finite
  /// and averaging_gamma is finite and >= 0.
  explicit AveragedAdam(const AveragedAdamOptions& options = {})
      : options_(options),
        adam_(AdamOptions{options.learning_rate, 0.9, 0.999, 1e-8}),
        average_(options.averaging_gamma) {
    detail::optim::check_positive_finite("varia::AveragedAdam", "decay_steps", options.decay_steps);
  }

  /// Resets Adam, the step count, the scale and the average to x0. Throws std::invalid_argument
  /// if x0 is empty or not finite.
  void initialize(const Eigen::VectorXd& x0) {
    adam_ = Adam(AdamOptions{options_.learning_rate, 0.9, 0.999, 1e-8});
    adam_.initialize(x0);
    average_.reset(x0);
    scale_ = 1.0;
    iteration_ = 0;
  }

  /// Takes one Adam step with the decayed learning rate and folds the new x into the average.
  /// Throws as Adam::step does.
  void step(Eigen::VectorXd& x, const Eigen::VectorXd& gradient) {
    // Adam's move is proportional to its learning rate, so scaling the move of a step at lr_0
    // gives the step at the decayed rate.
    const Eigen::VectorXd before = x;
    adam_.step(x, gradient);
    ++iteration_;
    const double decay =
        1.0 / std::sqrt(1.0 + static_cast<double>(iteration_ - 1) / options_.decay_steps);
    x = before + (scale_ * decay) * (x - before);
    average_.add(x);
  }

  /// Returns the learning rate of the most recent step, lr_t times the reductions so far.
  double step_size() const {
    return scale_ * options_.learning_rate /
           std::sqrt(1.0 + static_cast<double>(iteration_ == 0 ? 0 : iteration_ - 1) /
                               options_.decay_steps);
  }

  /// Multiplies later steps by factor and removes the most recent iterate from the average.
  /// Throws std::invalid_argument before initialize or unless factor is in (0, 1).
  void reduce_step_size(double factor) {
    detail::optim::check_initialized("varia::AveragedAdam::reduce_step_size",
                                     average_.value().size());
    detail::optim::check_in_unit_interval_open("varia::AveragedAdam::reduce_step_size", "factor",
                                               factor);
    scale_ *= factor;
    average_.remove_last();
  }

  /// Returns the average of the iterates (x0 before the first step). Throws
  /// std::invalid_argument before initialize or if x's size differs from x0's.
  Eigen::VectorXd averaged(const Eigen::VectorXd& x) const {
    (void)adam_.averaged(x);  // checks the arguments
    return average_.value();
  }

 private:
  AveragedAdamOptions options_;
  Adam adam_;
  PolynomialDecayAverage average_;
  double scale_ = 1.0;
  std::int64_t iteration_ = 0;
};

}  // namespace varia
