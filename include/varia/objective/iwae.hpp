// The importance-weighted bound (IWAE).
#pragma once

#include <string>
#include <string_view>

#include <Eigen/Core>

#include <varia/objective/objective.hpp>

namespace varia {

/// The importance-weighted bound of Burda, Grosse and Salakhutdinov (2016, "Importance weighted
/// autoencoders"), L_K = E[log (1/K) sum_k exp(w_k)], with ELBO = L_1 <= L_K <= L_{K+1} <= log Z.
/// A batch of S = G K samples is split into G consecutive groups of K, and the estimate is the
/// mean over groups of each group's log-mean-exp, computed with the largest weight subtracted.
/// Maximized. A group whose weights are all -inf contributes -inf.
class Iwae {
 public:
  /// Throws std::invalid_argument unless group_size >= 1.
  explicit Iwae(Eigen::Index group_size) : group_size_(group_size) {
    if (group_size < 1) {
      detail::objective::throw_invalid_argument(
          "varia::Iwae", "group_size", detail::objective::format_value(group_size), "at least 1");
    }
  }

  /// Returns (1/G) sum_g log((1/K) sum_{k in g} exp(w_k)). Throws std::invalid_argument unless
  /// w's size is a positive multiple of K.
  double value(const Eigen::VectorXd& w) const {
    check_samples_in("varia::Iwae::value", w.size());
    const Eigen::Index groups = w.size() / group_size_;
    double total = 0.0;
    for (Eigen::Index g = 0; g < groups; ++g) {
      total += detail::objective::log_mean_exp(w.segment(g * group_size_, group_size_));
    }
    return total / static_cast<double>(groups);
  }

  /// Returns the estimate and writes dw_s = (1/G) softmax of w within the group of s. Throws
  /// std::invalid_argument unless w's size is a positive multiple of K.
  double value_and_weights(const Eigen::VectorXd& w, Eigen::VectorXd& dw) const {
    check_samples_in("varia::Iwae::value_and_weights", w.size());
    const Eigen::Index groups = w.size() / group_size_;
    dw.resize(w.size());
    double total = 0.0;
    for (Eigen::Index g = 0; g < groups; ++g) {
      auto group_weights = dw.segment(g * group_size_, group_size_);
      total += detail::objective::log_mean_exp_and_softmax(w.segment(g * group_size_, group_size_),
                                                           group_weights);
    }
    dw /= static_cast<double>(groups);
    return total / static_cast<double>(groups);
  }

  ObjectiveDirection direction() const { return ObjectiveDirection::maximize; }

  bool accepts_samples(Eigen::Index samples) const {
    return samples >= 1 && samples % group_size_ == 0;
  }

  /// Throws std::invalid_argument unless samples is a positive multiple of the group size K.
  void check_samples(Eigen::Index samples) const { check_samples_in("varia::Iwae", samples); }

  Eigen::Index group_size() const { return group_size_; }

  std::string name() const { return "iwae(K=" + std::to_string(group_size_) + ")"; }

 private:
  void check_samples_in(std::string_view function, Eigen::Index samples) const {
    if (!accepts_samples(samples)) {
      detail::objective::throw_invalid_argument(
          function, "samples", detail::objective::format_value(samples),
          "a positive multiple of the group size K = " + std::to_string(group_size_));
    }
  }

  Eigen::Index group_size_;
};

}  // namespace varia
