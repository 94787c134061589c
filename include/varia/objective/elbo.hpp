// The evidence lower bound (ELBO).
#pragma once

#include <string>

#include <Eigen/Core>

#include <varia/objective/objective.hpp>

namespace varia {

/// The evidence lower bound E_q[log p(z) - log q(z)] = log Z - KL(q || p / Z), estimated by the
/// mean of the log weights, mean_s w_s. Maximized. Any S >= 1 works. A -inf weight makes the
/// estimate -inf; NaN propagates.
class Elbo {
 public:
  /// Returns mean_s w_s. Throws std::invalid_argument if w is empty.
  double value(const Eigen::VectorXd& w) const {
    detail::objective::check_not_empty("varia::Elbo::value", w.size());
    return w.mean();
  }

  /// Returns mean_s w_s and sets every dw_s to 1 / S. Throws std::invalid_argument if w is empty.
  double value_and_weights(const Eigen::VectorXd& w, Eigen::VectorXd& dw) const {
    detail::objective::check_not_empty("varia::Elbo::value_and_weights", w.size());
    dw.setConstant(w.size(), 1.0 / static_cast<double>(w.size()));
    return w.mean();
  }

  ObjectiveDirection direction() const { return ObjectiveDirection::maximize; }

  bool accepts_samples(Eigen::Index samples) const { return samples >= 1; }

  /// Throws std::invalid_argument unless samples >= 1.
  void check_samples(Eigen::Index samples) const {
    if (!accepts_samples(samples)) {
      detail::objective::throw_invalid_argument(
          "varia::Elbo", "samples", detail::objective::format_value(samples), "at least 1");
    }
  }

  std::string name() const { return "elbo"; }
};

}  // namespace varia
