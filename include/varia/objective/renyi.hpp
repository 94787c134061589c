// The Renyi (variational Renyi) bound.
#pragma once

#include <cmath>
#include <string>

#include <Eigen/Core>

#include <varia/objective/objective.hpp>

namespace varia {

/// The variational Renyi bound of Li and Turner (2016, "Renyi divergence variational
/// inference"), L_alpha = 1/(1 - alpha) log E_q[exp((1 - alpha) w)], estimated from S samples by
/// 1/(1 - alpha) log((1/S) sum_s exp((1 - alpha) w_s)) with the largest term subtracted. L_alpha
/// is non-increasing in alpha: alpha -> 1 gives the ELBO, alpha = 0 gives log Z (the estimate is
/// then the IWAE bound with K = S), alpha in (0, 1) lies between them and alpha < 0 bounds log Z
/// from above. So a fit maximizes L_alpha for alpha >= 0 and minimizes it for alpha < 0.
class Renyi {
 public:
  /// Throws std::invalid_argument unless alpha is finite and differs from 1 (use Elbo for 1).
  explicit Renyi(double alpha) : alpha_(alpha) {
    if (!std::isfinite(alpha) || alpha == 1.0) {
      detail::objective::throw_invalid_argument("varia::Renyi", "alpha",
                                                detail::objective::format_value(alpha),
                                                "finite and different from 1 (Elbo is alpha = 1)");
    }
  }

  /// Returns the estimate. Throws std::invalid_argument if w is empty.
  double value(const Eigen::VectorXd& w) const {
    detail::objective::check_not_empty("varia::Renyi::value", w.size());
    const double power = 1.0 - alpha_;
    return detail::objective::log_mean_exp((power * w.array()).matrix()) / power;
  }

  /// Returns the estimate and writes dw = softmax((1 - alpha) w). Throws std::invalid_argument if
  /// w is empty.
  double value_and_weights(const Eigen::VectorXd& w, Eigen::VectorXd& dw) const {
    detail::objective::check_not_empty("varia::Renyi::value_and_weights", w.size());
    const double power = 1.0 - alpha_;
    dw.resize(w.size());
    return detail::objective::log_mean_exp_and_softmax((power * w.array()).matrix(), dw) / power;
  }

  ObjectiveDirection direction() const {
    return alpha_ >= 0.0 ? ObjectiveDirection::maximize : ObjectiveDirection::minimize;
  }

  bool accepts_samples(Eigen::Index samples) const { return samples >= 1; }

  /// Throws std::invalid_argument unless samples >= 1.
  void check_samples(Eigen::Index samples) const {
    if (!accepts_samples(samples)) {
      detail::objective::throw_invalid_argument(
          "varia::Renyi", "samples", detail::objective::format_value(samples), "at least 1");
    }
  }

  double alpha() const { return alpha_; }

  std::string name() const {
    return "renyi(alpha=" + detail::objective::format_value(alpha_) + ")";
  }

 private:
  double alpha_;
};

}  // namespace varia
