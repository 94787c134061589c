// The sticking-the-landing gradient estimator.
#pragma once

#include <string>

#include <Eigen/Core>

#include <varia/estimator/estimator.hpp>
#include <varia/family/family.hpp>
#include <varia/objective/objective.hpp>

namespace varia {

/// The sticking-the-landing gradient of Roeder, Wu and Duvenaud (2017, "Sticking the landing:
/// simple, lower-variance gradient estimators for variational inference"): the reparameterization
/// gradient of w_s = log p(T(eps_s; lambda)) - log q(T(eps_s; lambda); lambda') with lambda' held
/// fixed, so the score term is left out:
///   d objective / d lambda = sum_s dw_s [grad log p(z_s) - grad_z log q(z_s)]^T dz_s/dlambda.
/// For the ELBO it is unbiased, and its variance is zero when q equals the normalized target.
/// For other objectives the dropped term does not have mean zero in general, so the estimate is
/// biased; Roeder et al. state it for the ELBO. Needs a ReparameterizableFamily.
class StickingTheLanding {
 public:
  using gradient_estimator_tag = void;

  template <class Q, class O>
  static constexpr bool supports = ReparameterizableFamily<Q>&& Objective<O>;

  template <class Q, class O>
  static constexpr void require() {
    static_assert(ReparameterizableFamily<Q>,
                  "varia::StickingTheLanding needs a ReparameterizableFamily: the family must "
                  "provide add_transform_adjoint and log_density_gradient. Use "
                  "varia::ScoreFunction for a family without them.");
    static_assert(Objective<O>, "varia::StickingTheLanding: the objective is not an Objective");
  }

  /// Returns the objective's estimate from the batch and writes d objective / d lambda to
  /// gradient.
  template <class Q, class O>
  double estimate(const Q& family, const O& objective, const SampleBatch& batch,
                  Eigen::VectorXd& gradient) const {
    require<Q, O>();
    if constexpr (supports<Q, O>) {
      gradient.setZero(family.parameter_count());
      Eigen::VectorXd log_q;
      family.log_density(batch.draws, log_q);
      const Eigen::VectorXd w = batch.log_density - log_q;
      Eigen::VectorXd dw;
      const double value = objective.value_and_weights(w, dw);
      Eigen::MatrixXd upstream;
      family.log_density_gradient(batch.draws, upstream);
      upstream = (batch.log_density_gradient - upstream) * dw.asDiagonal();
      family.add_transform_adjoint(batch.base, upstream, gradient);
      return value;
    } else {
      return 0.0;
    }
  }

  bool accepts_samples(Eigen::Index samples) const { return samples >= 1; }

  /// Throws std::invalid_argument unless samples >= 1.
  void check_samples(Eigen::Index samples) const {
    detail::estimator::check_samples("varia::StickingTheLanding", samples, 1);
  }

  std::string name() const { return "sticking_the_landing"; }
};

}  // namespace varia
