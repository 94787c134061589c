// Polynomial-decay iterate averaging, used by the DoG and DoWG optimizers.
#pragma once

#include <cstdint>

#include <Eigen/Core>

#include <varia/optim/checks.hpp>

namespace varia {

/// Polynomial-decay average of iterates (Shamir and Zhang 2013, "Stochastic gradient descent for
/// non-smooth optimization: convergence results and optimal averaging schemes"):
/// xbar_t = (1 - w_t) xbar_{t-1} + w_t x_t with w_t = (gamma + 1) / (t + gamma) for t = 1, 2, ...
/// Since w_1 = 1, xbar_1 = x_1: the starting point x_0 is the value only until the first add.
/// gamma = 0 gives the uniform average of x_1, ..., x_t; a larger gamma puts more weight on recent
/// iterates. Ivgi, Hinder and Carmon (2023) use this rule with gamma = 8 for DoG.
class PolynomialDecayAverage {
 public:
  /// Throws std::invalid_argument unless gamma is finite and >= 0.
  explicit PolynomialDecayAverage(double gamma = 8.0) : gamma_(gamma) {
    detail::optim::check_nonnegative_finite("varia::PolynomialDecayAverage", "gamma", gamma);
  }

  /// Sets the average to x0 and the count of averaged iterates to zero.
  void reset(const Eigen::VectorXd& x0) {
    average_ = x0;
    previous_ = x0;
    count_ = 0;
    can_remove_last_ = false;
  }

  /// Folds the iterate x into the average. x must have the size of the point passed to reset.
  void add(const Eigen::VectorXd& x) {
    ++count_;
    const double weight = (gamma_ + 1.0) / (static_cast<double>(count_) + gamma_);
    // Keeps the old average in previous_ so that remove_last can restore it; swapping the two
    // buffers costs no copy.
    average_.swap(previous_);
    average_.noalias() = (1.0 - weight) * previous_ + weight * x;
    can_remove_last_ = true;
  }

  /// Undoes the most recent add. Has no effect when there was no add since the last reset or
  /// remove_last, so only one add can be undone.
  void remove_last() {
    if (!can_remove_last_) {
      return;
    }
    average_.swap(previous_);
    --count_;
    can_remove_last_ = false;
  }

  /// The current average xbar_t.
  const Eigen::VectorXd& value() const { return average_; }

  /// The number t of iterates folded into the average.
  std::int64_t count() const { return count_; }

  double gamma() const { return gamma_; }

 private:
  double gamma_;
  Eigen::VectorXd average_;
  Eigen::VectorXd previous_;
  std::int64_t count_ = 0;
  bool can_remove_last_ = false;
};

}  // namespace varia
