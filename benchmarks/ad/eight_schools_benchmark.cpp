// The non-centered eight schools model (10 parameters): varia's gradients against the double
// evaluation and a hand-written gradient.
#include "models.hpp"

namespace {

using namespace varia::benchmarks;

constexpr Eigen::Index dimension = 10;

// Evaluation points with mu ~ N(0, 5^2), log tau ~ N(1, 1) and theta_tilde ~ N(0, I).
const Eigen::MatrixXd& points() {
  static const Eigen::MatrixXd cached = [] {
    Eigen::MatrixXd draws = normal_draws(dimension, lane_points, 1.0, 8);
    draws.row(0) *= 5.0;
    draws.row(1).array() += 1.0;
    return draws;
  }();
  return cached;
}

void function(benchmark::State& state) {
  time_function(state, EightSchools{}, points().col(0));
}

void hand_gradient(benchmark::State& state) {
  time_hand_gradient<EightSchools, EightSchoolsGradient>(state, EightSchools{}, points());
}

void varia_gradient(benchmark::State& state) {
  time_varia_gradient(state, EightSchools{}, points().col(0));
}

void varia_lanes16(benchmark::State& state) {
  time_varia_lanes(state, EightSchools{}, points());
}

}  // namespace

BENCHMARK(function)->Name("ad/eight_schools/function")->Arg(dimension);
BENCHMARK(hand_gradient)->Name("ad/eight_schools/hand_gradient")->Arg(dimension);
BENCHMARK(varia_gradient)->Name("ad/eight_schools/varia_gradient")->Arg(dimension);
BENCHMARK(varia_lanes16)->Name("ad/eight_schools/varia_lanes16")->Arg(dimension);
