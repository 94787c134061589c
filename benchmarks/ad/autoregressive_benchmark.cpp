// An AR(5) model over 1000 points written as a loop of scalar operations: at one point each
// step is a few tape nodes of one lane; with 16 lanes the same nodes do SIMD work.
#include "models.hpp"

namespace {

using namespace varia::benchmarks;

constexpr Eigen::Index length = 1000;

const Autoregressive& model() {
  static const Autoregressive cached = make_autoregressive(length, 5);
  return cached;
}

// Evaluation points near the simulated parameters alpha = 0.5, beta = (0.3, -0.2, 0.15, 0.1,
// -0.05), log sigma = log 0.8, perturbed by N(0, 0.1^2).
const Eigen::MatrixXd& points() {
  static const Eigen::MatrixXd cached = [] {
    Eigen::VectorXd center(7);
    center << 0.5, 0.3, -0.2, 0.15, 0.1, -0.05, std::log(0.8);
    Eigen::MatrixXd draws = normal_draws(7, lane_points, 0.1, 6);
    draws.colwise() += center;
    return draws;
  }();
  return cached;
}

void function(benchmark::State& state) {
  time_function(state, model(), points().col(0));
}

void hand_gradient(benchmark::State& state) {
  time_hand_gradient<Autoregressive, AutoregressiveGradient>(state, model(), points());
}

void varia_gradient(benchmark::State& state) {
  time_varia_gradient(state, model(), points().col(0));
}

void varia_lanes16(benchmark::State& state) {
  time_varia_lanes(state, model(), points());
}

}  // namespace

BENCHMARK(function)->Name("ad/ar5/function")->Arg(length);
BENCHMARK(hand_gradient)->Name("ad/ar5/hand_gradient")->Arg(length);
BENCHMARK(varia_gradient)->Name("ad/ar5/varia_gradient")->Arg(length);
BENCHMARK(varia_lanes16)->Name("ad/ar5/varia_lanes16")->Arg(length);
