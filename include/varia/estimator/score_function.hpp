// The score-function gradient estimator with a leave-one-out control variate.
#pragma once

#include <concepts>
#include <string>

#include <Eigen/Core>

#include <varia/estimator/estimator.hpp>
#include <varia/family/family.hpp>
#include <varia/objective/elbo.hpp>
#include <varia/objective/objective.hpp>

namespace varia {

/// The score-function gradient of the ELBO, E_q[grad_lambda log q(z; lambda) w(z)], with the
/// leave-one-out control variate (the RLOO or VarGrad form):
///   d ELBO / d lambda ~ (1/S) sum_s score_s (w_s - mean_{j != s} w_j),
/// which is unbiased because w_j for j != s is independent of z_s and E_q[score] = 0. It needs
/// only log p, not its gradient, and S >= 2. Valid for the ELBO only, and needs a ScoreFamily.
class ScoreFunction {
 public:
  using gradient_estimator_tag = void;

  template <class Q, class O>
  static constexpr bool supports = ScoreFamily<Q>&& std::same_as<O, Elbo>;

  template <class Q, class O>
  static constexpr void require() {
    static_assert(ScoreFamily<Q>,
                  "varia::ScoreFunction needs a ScoreFamily: the family must provide "
                  "score(z, out), the gradient of log q with respect to its parameters.");
    static_assert(std::same_as<O, Elbo>,
                  "varia::ScoreFunction estimates the gradient of the ELBO only: use varia::Elbo "
                  "as the objective, or varia::Reparameterization for other objectives.");
  }

  /// Returns the ELBO estimate mean_s w_s and writes the gradient estimate to gradient.
  template <class Q, class O>
  double estimate(const Q& family, const O& /*objective*/, const SampleBatch& batch,
                  Eigen::VectorXd& gradient) const {
    require<Q, O>();
    if constexpr (supports<Q, O>) {
      Eigen::VectorXd log_q;
      family.log_density(batch.draws, log_q);
      const Eigen::VectorXd w = batch.log_density - log_q;
      const auto samples = static_cast<double>(w.size());
      // w_s - mean_{j != s} w_j = S / (S - 1) (w_s - mean w).
      const double mean = w.mean();
      const Eigen::VectorXd centered = (w.array() - mean) * (samples / (samples - 1.0)) / samples;
      Eigen::MatrixXd scores;
      family.score(batch.draws, scores);
      gradient.noalias() = scores * centered;
      return mean;
    } else {
      return 0.0;
    }
  }

  bool accepts_samples(Eigen::Index samples) const { return samples >= 2; }

  /// Throws std::invalid_argument unless samples >= 2, because the control variate leaves one
  /// sample out.
  void check_samples(Eigen::Index samples) const {
    detail::estimator::check_samples("varia::ScoreFunction", samples, 2);
  }

  std::string name() const { return "score_function"; }
};

}  // namespace varia
