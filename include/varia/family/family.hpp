// Concepts for variational families q(z; lambda) over R^d with a flat parameter vector lambda.
//
// Families work on plain doubles with hand-written derivatives. Blocks are d x S matrices with
// one column per Monte Carlo sample. A draw is z = T(eps; lambda), where the base noise eps
// (base_dimension x S) does not depend on lambda.
#pragma once

#include <concepts>
#include <cstdint>
#include <string_view>

#include <Eigen/Core>

#include <varia/random/counter_rng.hpp>

namespace varia {

/// A variational family: a density q(z; lambda) over R^d that can be sampled through base noise.
template <class Q>
concept Family = std::copy_constructible<Q> &&
    requires(Q& q, const Q& family, const Eigen::VectorXd& vector, const Eigen::MatrixXd& block,
             Eigen::MatrixXd& out_block, Eigen::VectorXd& out_vector, const CounterRng& rng,
             std::uint32_t iteration) {
  { family.dimension() } -> std::convertible_to<Eigen::Index>;       // d, the size of z
  { family.base_dimension() } -> std::convertible_to<Eigen::Index>;  // rows of the base noise eps
  { family.parameter_count() } -> std::convertible_to<Eigen::Index>;
  { family.parameters() } -> std::convertible_to<Eigen::VectorXd>;  // flat lambda (const ref)
  // Throws std::invalid_argument if vector has the wrong size or a non-finite entry.
  q.set_parameters(vector);
  // Fills out_block (base_dimension x S, where the caller sets S = out_block.cols()) from rng's
  // stream at iteration.
  family.draw_base(rng, iteration, out_block);
  family.transform(block, out_block);     // z = T(eps; lambda): eps base_dimension x S -> z d x S
  family.log_density(block, out_vector);  // log q(z_s; lambda) for each column of z, resized to S
  { family.mean() } -> std::convertible_to<Eigen::VectorXd>;
  { family.name() } -> std::convertible_to<std::string_view>;
};

/// A family whose draw z = T(eps; lambda) is differentiable in lambda.
template <class Q>
concept ReparameterizableFamily = Family<Q> &&
    requires(const Q& family, const Eigen::MatrixXd& block, const Eigen::VectorXd& weights,
             Eigen::MatrixXd& out_block, Eigen::VectorXd& gradient) {
  // gradient += sum_s (dT(eps_s; lambda)/dlambda)^T upstream_s, with upstream d x S.
  family.add_transform_adjoint(block /*eps*/, block /*upstream*/, gradient);
  // gradient += sum_s weights_s * d/dlambda [log q(T(eps_s; lambda); lambda)], the TOTAL
  // derivative. For z = mu + L eps this is -sum_s weights_s * d log|det L| / dlambda.
  family.add_log_density_total_gradient(block /*eps*/, weights, gradient);
  // out_block (d x S) = grad_z log q(z_s; lambda), used by sticking-the-landing estimators.
  family.log_density_gradient(block /*z*/, out_block);
};

/// A family that provides grad_lambda log q(z; lambda) at fixed z, for score-function estimators.
template <class Q>
concept ScoreFamily = Family<Q> &&
    requires(const Q& family, const Eigen::MatrixXd& block, Eigen::MatrixXd& out_block) {
  family.score(block /*z*/, out_block /* parameter_count x S */);
};

/// A family whose entropy H(lambda) = -E_q[log q(z; lambda)] has a closed form.
template <class Q>
concept HasClosedFormEntropy = Family<Q> && requires(const Q& family, Eigen::VectorXd& gradient) {
  { family.entropy() } -> std::convertible_to<double>;
  family.add_entropy_gradient(gradient);  // gradient += dH/dlambda
};

}  // namespace varia
