// A multilayer perceptron with two hidden layers of 64 tanh units, evaluated and differentiated
// at 16 inputs at once: varia::dense with shared weights against a hand-written batched forward
// and backward pass over the same Eigen matrices.
#include <varia/ad/matrix.hpp>
#include <varia/math/dense.hpp>

#include "models.hpp"

namespace {

using namespace varia::benchmarks;

constexpr Eigen::Index width = 64;
constexpr int lanes = 16;

/// The network's parameters: out = w3^T tanh(W2 tanh(W1 x + b1) + b2) + b3, with x of size
/// `width`; the loss is the sum of the outputs over the 16 inputs.
struct Network {
  Eigen::MatrixXd w1 = normal_draws(width, width, 1.0 / 8.0, 31);
  Eigen::VectorXd b1 = normal_draws(width, 1, 0.1, 32);
  Eigen::MatrixXd w2 = normal_draws(width, width, 1.0 / 8.0, 33);
  Eigen::VectorXd b2 = normal_draws(width, 1, 0.1, 34);
  Eigen::MatrixXd w3 = normal_draws(1, width, 1.0 / 8.0, 35);
  Eigen::VectorXd b3 = normal_draws(1, 1, 0.1, 36);
  Eigen::MatrixXd inputs = normal_draws(width, lanes, 1.0, 37);
};

/// The loss and its gradients with respect to every parameter and input.
struct Gradients {
  double loss = 0.0;
  Eigen::MatrixXd w1, w2, w3, inputs;
  Eigen::VectorXd b1, b2, b3;
};

/// varia: three dense layers on a 16-lane input, the lanes summed into one loss, one backward
/// pass. The weights are recorded as shared (one-lane) autodiff matrices.
void varia_pass(const Network& net, Gradients* out) {
  varia::ad::Recording recording("varia mlp benchmark");
  const auto w1 = varia::ad::Matrix::from_values(net.w1);
  const auto b1 = varia::ad::Vector<1>::from_values(net.b1);
  const auto w2 = varia::ad::Matrix::from_values(net.w2);
  const auto b2 = varia::ad::Vector<1>::from_values(net.b2);
  const auto w3 = varia::ad::Matrix::from_values(net.w3);
  const auto b3 = varia::ad::Vector<1>::from_values(net.b3);
  const auto x = varia::ad::Vector<lanes>::from_values(net.inputs);
  const auto h1 = varia::dense(w1, b1, x, varia::Activation::tanh);
  const auto h2 = varia::dense(w2, b2, h1, varia::Activation::tanh);
  const auto y = varia::dense(w3, b3, h2, varia::Activation::identity);
  const varia::ad::Scalar<1> loss = varia::ad::sum_lanes(y(0));
  varia::ad::backward(loss);
  if (out != nullptr) {
    out->loss = loss.value()(0);
    out->w1 = w1.adjoint();
    out->b1 = b1.adjoint();
    out->w2 = w2.adjoint();
    out->b2 = b2.adjoint();
    out->w3 = w3.adjoint();
    out->b3 = b3.adjoint();
    out->inputs = x.adjoint();
  } else {
    benchmark::DoNotOptimize(w1.adjoint().data());
    benchmark::DoNotOptimize(x.adjoint().data());
  }
}

/// The hand-written batched pass: column-major 64 x 16 activations, three GEMMs forward and
/// five backward, tanh' = 1 - tanh^2 from the stored outputs.
class HandPass {
 public:
  void operator()(const Network& net, Gradients& g) {
    h1_.noalias() = net.w1 * net.inputs;
    h1_.colwise() += net.b1;
    h1_ = h1_.array().tanh().matrix();
    h2_.noalias() = net.w2 * h1_;
    h2_.colwise() += net.b2;
    h2_ = h2_.array().tanh().matrix();
    y_.noalias() = net.w3 * h2_;
    g.loss = y_.sum() + static_cast<double>(lanes) * net.b3(0);
    // Backward with d loss / d y = 1 in every lane.
    g.w3 = h2_.rowwise().sum().transpose();
    g.b3 = Eigen::VectorXd::Constant(1, static_cast<double>(lanes));
    delta2_ = (net.w3.transpose() * Eigen::RowVectorXd::Ones(lanes))
                  .cwiseProduct((1.0 - h2_.array().square()).matrix());
    g.w2.noalias() = delta2_ * h1_.transpose();
    g.b2 = delta2_.rowwise().sum();
    delta1_.noalias() = net.w2.transpose() * delta2_;
    delta1_.array() *= 1.0 - h1_.array().square();
    g.w1.noalias() = delta1_ * net.inputs.transpose();
    g.b1 = delta1_.rowwise().sum();
    g.inputs.noalias() = net.w1.transpose() * delta1_;
  }

 private:
  Eigen::MatrixXd h1_{width, lanes}, h2_{width, lanes}, y_{1, lanes};
  Eigen::MatrixXd delta1_{width, lanes}, delta2_{width, lanes};
};

const Network& network() {
  static const Network cached;
  return cached;
}

void varia_lanes16(benchmark::State& state) {
  const Network& net = network();
  for (auto _ : state) {
    varia_pass(net, nullptr);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * lanes);
}

void hand_lanes16(benchmark::State& state) {
  const Network& net = network();
  Gradients expected;
  varia_pass(net, &expected);
  HandPass hand;
  Gradients g;
  hand(net, g);
  const char* what = "the hand-written MLP gradient";
  require_close(what, Eigen::MatrixXd::Constant(1, 1, g.loss),
                Eigen::MatrixXd::Constant(1, 1, expected.loss));
  require_close(what, g.w1, expected.w1);
  require_close(what, g.b1, expected.b1);
  require_close(what, g.w2, expected.w2);
  require_close(what, g.b2, expected.b2);
  require_close(what, g.w3, expected.w3);
  require_close(what, g.b3, expected.b3);
  require_close(what, g.inputs, expected.inputs);
  for (auto _ : state) {
    hand(net, g);
    benchmark::DoNotOptimize(g.w1.data());
    benchmark::DoNotOptimize(g.inputs.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * lanes);
}

}  // namespace

BENCHMARK(varia_lanes16)->Name("ad/mlp/varia_lanes16")->Arg(width);
BENCHMARK(hand_lanes16)->Name("ad/mlp/hand_lanes16")->Arg(width);
