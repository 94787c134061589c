// Dense neural-network layers on laned inputs with shared weights, for normalizing flows and
// neural control variates.
#pragma once

#include <Eigen/Core>

#include <varia/ad/lanes.hpp>
#include <varia/ad/matrix.hpp>
#include <varia/ad/tape.hpp>
#include <varia/ad/vector.hpp>
#include <varia/math/logistic.hpp>

namespace varia {

/// The activation function of a dense layer.
enum class Activation { identity, tanh, softplus, relu };

/// activation(weights * input + bias) for a laned input (n_in elements, W lanes), shared
/// weights (n_out x n_in) and a shared bias (n_out): one matrix-matrix product across lanes
/// forward, two backward (for the input and the weights).
template <int W>
ad::Vector<W> dense(const ad::Matrix& weights, const ad::Vector<1>& bias,
                    const ad::Vector<W>& input, Activation activation) {
  constexpr const char* function = "varia::dense";
  ad::detail::check_dimension(function, "the input size", input.size(), weights.cols());
  ad::detail::check_dimension(function, "the bias size", bias.size(), weights.rows());
  const Eigen::Index outputs = weights.rows();
  ad::Tape& t = ad::tape();

  // The pre-activation is kept for the backward pass of softplus and relu.
  double* pre_data = t.uninitialized(static_cast<std::size_t>(outputs * W));
  Eigen::Map<ad::LaneBlock<W>> pre(pre_data, outputs, W);
  pre.noalias() = weights.value() * input.value();
  pre.colwise() += bias.value();

  ad::Vector<W> result = ad::Vector<W>::uninitialized(outputs);
  auto out = result.value_storage().array();
  switch (activation) {
    case Activation::identity:
      out = pre.array();
      break;
    case Activation::tanh:
      out = pre.array().tanh();
      break;
    case Activation::softplus:
      out = detail::Log1pExpRule::value(pre.array());
      break;
    case Activation::relu:
      out = pre.array().max(0.0);
      break;
  }

  t.on_backward([weights, bias, input, result, pre_data, outputs, activation] {
    const Eigen::Map<const ad::LaneBlock<W>> pre_values(pre_data, outputs, W);
    auto delta_storage = ad::tape().uninitialized(static_cast<std::size_t>(outputs * W));
    Eigen::Map<ad::LaneBlock<W>> delta(delta_storage, outputs, W);
    const auto g = result.adjoint().array();
    switch (activation) {
      case Activation::identity:
        delta = g.matrix();
        break;
      case Activation::tanh:
        delta = (g * (1.0 - result.value().array().square())).matrix();
        break;
      case Activation::softplus:
        delta = (g * detail::InvLogitRule::value(pre_values.array())).matrix();
        break;
      case Activation::relu:
        delta = (g * (pre_values.array() > 0.0).template cast<double>()).matrix();
        break;
    }
    input.adjoint().noalias() += weights.value().transpose() * delta;
    weights.adjoint().noalias() += delta * input.value().transpose();
    bias.adjoint() += delta.rowwise().sum();
  });
  return result;
}

/// activation(weights * input + bias) for doubles: one column of `input` per sample.
inline Eigen::MatrixXd dense(const Eigen::MatrixXd& weights, const Eigen::VectorXd& bias,
                             const Eigen::MatrixXd& input, Activation activation) {
  ad::detail::check_dimension("varia::dense", "the input size", input.rows(), weights.cols());
  ad::detail::check_dimension("varia::dense", "the bias size", bias.size(), weights.rows());
  Eigen::MatrixXd pre = weights * input;
  pre.colwise() += bias;
  switch (activation) {
    case Activation::identity:
      return pre;
    case Activation::tanh:
      return pre.array().tanh().matrix();
    case Activation::softplus:
      return detail::Log1pExpRule::value(pre.array()).matrix();
    case Activation::relu:
      return pre.array().max(0.0).matrix();
  }
  return pre;
}

}  // namespace varia
