// The reparameterization gradient estimator.
#pragma once

#include <concepts>
#include <string>

#include <Eigen/Core>

#include <varia/estimator/estimator.hpp>
#include <varia/family/family.hpp>
#include <varia/objective/elbo.hpp>
#include <varia/objective/objective.hpp>

namespace varia {

/// The reparameterization ("pathwise") gradient. With z_s = T(eps_s; lambda) and dw_s the
/// objective's derivative with respect to w_s,
///   d objective / d lambda = sum_s dw_s [grad log p(z_s)^T dz_s/dlambda
///                                        - d/dlambda log q(T(eps_s; lambda); lambda)],
/// where the last derivative is total (through z_s as well). For the ELBO and a family with a
/// closed-form entropy H it differentiates E_q[log p] + H instead (Kucukelbir, Tran, Ranganath,
/// Gelman and Blei 2017, "Automatic differentiation variational inference"): the gradient is
/// mean_s grad log p(z_s)^T dz_s/dlambda + dH/dlambda, so the entropy term carries no Monte
/// Carlo noise. The returned estimate is mean_s w_s in both cases, because near the optimum its
/// variance tends to 0 while mean_s log p(z_s) + H keeps the variance of log p under q (d / (2 S)
/// for a Gaussian target), and the fit's convergence rule works on this estimate.
/// Works with every objective; needs a ReparameterizableFamily.
class Reparameterization {
 public:
  using gradient_estimator_tag = void;

  /// use_closed_form_entropy = false always uses the log-weight form, even for the ELBO.
  explicit Reparameterization(bool use_closed_form_entropy = true)
      : use_closed_form_entropy_(use_closed_form_entropy) {}

  template <class Q, class O>
  static constexpr bool supports = ReparameterizableFamily<Q>&& Objective<O>;

  template <class Q, class O>
  static constexpr void require() {
    static_assert(ReparameterizableFamily<Q>,
                  "varia::Reparameterization needs a ReparameterizableFamily: the family must "
                  "provide add_transform_adjoint, add_log_density_total_gradient and "
                  "log_density_gradient. Use varia::ScoreFunction for a family without them.");
    static_assert(Objective<O>, "varia::Reparameterization: the objective is not an Objective");
  }

  /// Returns the objective's estimate from the batch and writes d objective / d lambda to
  /// gradient.
  template <class Q, class O>
  double estimate(const Q& family, const O& objective, const SampleBatch& batch,
                  Eigen::VectorXd& gradient) const {
    require<Q, O>();
    if constexpr (supports<Q, O>) {
      gradient.setZero(family.parameter_count());
      const auto samples = static_cast<double>(batch.size());
      Eigen::VectorXd log_q;
      family.log_density(batch.draws, log_q);
      const Eigen::VectorXd w = batch.log_density - log_q;
      if constexpr (std::same_as<O, Elbo> && HasClosedFormEntropy<Q>) {
        if (use_closed_form_entropy_) {
          const Eigen::MatrixXd upstream = batch.log_density_gradient / samples;
          family.add_transform_adjoint(batch.base, upstream, gradient);
          family.add_entropy_gradient(gradient);
          return w.mean();
        }
      }
      Eigen::VectorXd dw;
      const double value = objective.value_and_weights(w, dw);
      const Eigen::MatrixXd upstream = batch.log_density_gradient * dw.asDiagonal();
      family.add_transform_adjoint(batch.base, upstream, gradient);
      const Eigen::VectorXd negative_dw = -dw;
      family.add_log_density_total_gradient(batch.base, negative_dw, gradient);
      return value;
    } else {
      return 0.0;
    }
  }

  bool accepts_samples(Eigen::Index samples) const { return samples >= 1; }

  /// Throws std::invalid_argument unless samples >= 1.
  void check_samples(Eigen::Index samples) const {
    detail::estimator::check_samples("varia::Reparameterization", samples, 1);
  }

  bool use_closed_form_entropy() const { return use_closed_form_entropy_; }

  std::string name() const { return "reparameterization"; }

 private:
  bool use_closed_form_entropy_;
};

}  // namespace varia
