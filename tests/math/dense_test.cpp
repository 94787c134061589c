#include <varia/ad/gradient.hpp>
#include <varia/ad/matrix.hpp>
#include <varia/math/dense.hpp>
#include <varia/math/reductions.hpp>

#include "support/catch.hpp"
#include "support/gradient_check.hpp"

namespace {

// w^T activation(W x + b) with W (3 x 2), b (3) and x (2) packed into 11 parameters.
struct DenseLayer {
  varia::Activation activation;
  Eigen::VectorXd weights = Eigen::Vector3d(0.5, -1.0, 2.0);
  template <class T>
  auto operator()(const T& x) const {
    if constexpr (varia::ad::VectorExpression<T>) {
      const auto layer = varia::dense(varia::ad::as_matrix(x.head(6), 3, 2), x.segment(6, 3),
                                      x.tail(2), activation);
      return varia::dot(weights, layer);
    } else {
      const Eigen::Map<const Eigen::MatrixXd> matrix(x.data(), 3, 2);
      const Eigen::MatrixXd layer = varia::dense(matrix, x.segment(6, 3), x.tail(2), activation);
      return weights.dot(layer.col(0));
    }
  }
};

}  // namespace

TEST_CASE("dense layer matches finite differences") {
  using varia::Activation;
  for (Activation activation :
       {Activation::identity, Activation::tanh, Activation::softplus, Activation::relu}) {
    INFO("activation " << static_cast<int>(activation));
    const Eigen::MatrixXd points = varia::test::uniform_points(11, 20, -2.0, 2.0);
    for (Eigen::Index s = 0; s < points.cols(); ++s) {
      varia::test::check_gradient(DenseLayer{activation}, Eigen::VectorXd(points.col(s)));
    }
  }
}

TEST_CASE("dense layer with lanes sums the shared weights' adjoints") {
  const Eigen::MatrixXd weight_values = varia::test::uniform_points(3, 2, -1.0, 1.0, 7);
  const Eigen::VectorXd bias_values = varia::test::uniform_points(3, 1, -1.0, 1.0, 8);
  const Eigen::MatrixXd inputs = varia::test::uniform_points(2, 16, -2.0, 2.0, 9);
  const Eigen::Vector3d output_weights(0.5, -1.0, 2.0);

  Eigen::MatrixXd expected_weights = Eigen::MatrixXd::Zero(3, 2);
  Eigen::VectorXd expected_bias = Eigen::VectorXd::Zero(3);
  Eigen::MatrixXd expected_inputs(2, 16);
  for (Eigen::Index lane = 0; lane < 16; ++lane) {
    varia::ad::Recording recording("test");
    const auto weights = varia::ad::Matrix::from_values(weight_values);
    const auto bias = varia::ad::Vector<1>::from_values(bias_values);
    const auto input = varia::ad::Vector<1>::from_values(inputs.col(lane));
    const auto layer = varia::dense(weights, bias, input, varia::Activation::tanh);
    varia::ad::backward(varia::dot(output_weights, layer));
    expected_weights += weights.adjoint();
    expected_bias += bias.adjoint();
    expected_inputs.col(lane) = input.adjoint();
  }

  varia::ad::Recording recording("test");
  const auto weights = varia::ad::Matrix::from_values(weight_values);
  const auto bias = varia::ad::Vector<1>::from_values(bias_values);
  const auto input = varia::ad::Vector<16>::from_values(inputs);
  const auto layer = varia::dense(weights, bias, input, varia::Activation::tanh);
  varia::ad::backward(varia::ad::sum_lanes(varia::dot(output_weights, layer)));
  CHECK(weights.adjoint().isApprox(expected_weights, 1e-12));
  CHECK(bias.adjoint().isApprox(expected_bias, 1e-12));
  CHECK(input.adjoint().isApprox(expected_inputs, 1e-12));
}

TEST_CASE("dense layer rejects mismatched sizes") {
  const Eigen::MatrixXd weights = Eigen::MatrixXd::Ones(3, 2);
  CHECK_THROWS_WITH(varia::dense(weights, Eigen::VectorXd::Ones(3), Eigen::MatrixXd::Ones(4, 1),
                                 varia::Activation::relu),
                    "varia::dense: the input size is 4, but must be 2");
}
