// The chi-square upper bound (CUBO).
#pragma once

#include <cmath>
#include <string>

#include <Eigen/Core>

#include <varia/objective/objective.hpp>

namespace varia {

/// The chi upper bound of Dieng, Tran, Ranganath, Paisley and Blei (2017, "Variational inference
/// via chi upper bound minimization"), CUBO_n = (1/n) log E_q[exp(n w)] >= log Z for n >= 1,
/// estimated by (1/n) log((1/S) sum_s exp(n w_s)) with the largest term subtracted. n = 2 is
/// the chi-square case. Minimized.
///
/// NOTE: the log of a Monte Carlo mean is biased low, so the estimate and its gradient are biased
/// for finite S (the bias vanishes as S grows). Dieng et al. optimize exp(n CUBO_n) instead for
/// unbiased gradients; this class differentiates the log form, which is better scaled.
class Cubo {
 public:
  /// Throws std::invalid_argument unless order n is finite and >= 1.
  explicit Cubo(double order = 2.0) : order_(order) {
    if (!(std::isfinite(order) && order >= 1.0)) {
      detail::objective::throw_invalid_argument("varia::Cubo", "order n",
                                                detail::objective::format_value(order),
                                                "finite and at least 1");
    }
  }

  /// Returns the estimate. Throws std::invalid_argument if w is empty.
  double value(const Eigen::VectorXd& w) const {
    detail::objective::check_not_empty("varia::Cubo::value", w.size());
    return detail::objective::log_mean_exp((order_ * w.array()).matrix()) / order_;
  }

  /// Returns the estimate and writes dw = softmax(n w). Throws std::invalid_argument if w is
  /// empty.
  double value_and_weights(const Eigen::VectorXd& w, Eigen::VectorXd& dw) const {
    detail::objective::check_not_empty("varia::Cubo::value_and_weights", w.size());
    dw.resize(w.size());
    return detail::objective::log_mean_exp_and_softmax((order_ * w.array()).matrix(), dw) / order_;
  }

  ObjectiveDirection direction() const { return ObjectiveDirection::minimize; }

  bool accepts_samples(Eigen::Index samples) const { return samples >= 1; }

  /// Throws std::invalid_argument unless samples >= 1.
  void check_samples(Eigen::Index samples) const {
    if (!accepts_samples(samples)) {
      detail::objective::throw_invalid_argument(
          "varia::Cubo", "samples", detail::objective::format_value(samples), "at least 1");
    }
  }

  double order() const { return order_; }

  std::string name() const { return "cubo(n=" + detail::objective::format_value(order_) + ")"; }

 private:
  double order_;
};

}  // namespace varia
