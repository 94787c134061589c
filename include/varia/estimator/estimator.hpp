// The GradientEstimator concept and the batch of target evaluations that estimators work on.
#pragma once

#include <concepts>
#include <stdexcept>
#include <string>
#include <string_view>

#include <Eigen/Core>

namespace varia {

/// The S samples of one fit step: the base noise, the draws z_s = T(eps_s; lambda), and the
/// target's log density and its gradient at each draw (one column per sample).
struct SampleBatch {
  Eigen::MatrixXd base;                  // eps, base_dimension x S
  Eigen::MatrixXd draws;                 // z, d x S
  Eigen::VectorXd log_density;           // log p(z_s), size S
  Eigen::MatrixXd log_density_gradient;  // grad log p(z_s), d x S

  Eigen::Index size() const { return draws.cols(); }
};

/// A way to estimate the gradient of an objective with respect to the family's parameters
/// lambda from a SampleBatch. An estimator E offers
///
/// - `E::supports<Q, O>`, true when it can serve family Q and objective O;
/// - `E::require<Q, O>()`, a constexpr function whose static_asserts state in a sentence what Q
///   or O lacks when supports<Q, O> is false;
/// - `estimate(family, objective, batch, gradient)`, which returns the objective's estimate and
///   writes d objective / d lambda to gradient (resized to the parameter count);
/// - `check_samples(S)`, which throws std::invalid_argument if S samples are too few;
/// - `name()`.
template <class E>
concept GradientEstimator = std::copy_constructible<E> &&
    requires(const E& estimator, Eigen::Index samples) {
  typename E::gradient_estimator_tag;
  estimator.check_samples(samples);
  { estimator.accepts_samples(samples) } -> std::convertible_to<bool>;
  { estimator.name() } -> std::convertible_to<std::string>;
};

namespace detail::estimator {

/// Throws std::invalid_argument unless samples >= minimum.
inline void check_samples(std::string_view function, Eigen::Index samples, Eigen::Index minimum) {
  if (samples < minimum) {
    std::string message(function);
    message += ": samples is " + std::to_string(samples) + ", but must be at least " +
               std::to_string(minimum);
    throw std::invalid_argument(message);
  }
}

}  // namespace detail::estimator

/// Estimator E can serve family Q with objective O.
template <class E, class Q, class O>
concept EstimatorFor = GradientEstimator<E> && E::template supports<Q, O>;

}  // namespace varia
