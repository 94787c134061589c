// Bayesian logistic regression with 1000 rows: varia's gradients against the double evaluation
// and hand-written gradients, at one point and at 16 points.
#include <map>

#include "models.hpp"

namespace {

using namespace varia::benchmarks;

constexpr Eigen::Index rows = 1000;

struct Setup {
  LogisticRegression model;
  Eigen::MatrixXd points;  // dimension x 16 evaluation points, beta ~ N(0, I / dimension)
};

const Setup& setup(Eigen::Index dimension) {
  static std::map<Eigen::Index, Setup> setups;
  auto found = setups.find(dimension);
  if (found == setups.end()) {
    const auto seed = static_cast<std::uint64_t>(dimension);
    Setup created{make_logistic_regression(rows, dimension, seed),
                  normal_draws(dimension, lane_points,
                               1.0 / std::sqrt(static_cast<double>(dimension)), seed + 100)};
    found = setups.emplace(dimension, std::move(created)).first;
  }
  return found->second;
}

void function(benchmark::State& state) {
  const Setup& s = setup(state.range(0));
  time_function(state, s.model, s.points.col(0));
}

void hand_gradient(benchmark::State& state) {
  const Setup& s = setup(state.range(0));
  time_hand_gradient<LogisticRegression, LogisticRegressionGradient>(state, s.model, s.points);
}

void varia_gradient(benchmark::State& state) {
  const Setup& s = setup(state.range(0));
  time_varia_gradient(state, s.model, s.points.col(0));
}

void varia_lanes16(benchmark::State& state) {
  const Setup& s = setup(state.range(0));
  time_varia_lanes(state, s.model, s.points);
}

void hand_lanes16(benchmark::State& state) {
  const Setup& s = setup(state.range(0));
  time_hand_lanes<LogisticRegression, LogisticRegressionLanesGradient>(state, s.model, s.points);
}

}  // namespace

BENCHMARK(function)->Name("ad/logistic_regression/function")->Arg(25)->Arg(100);
BENCHMARK(hand_gradient)->Name("ad/logistic_regression/hand_gradient")->Arg(25)->Arg(100);
BENCHMARK(varia_gradient)->Name("ad/logistic_regression/varia_gradient")->Arg(25)->Arg(100);
BENCHMARK(varia_lanes16)->Name("ad/logistic_regression/varia_lanes16")->Arg(25)->Arg(100);
BENCHMARK(hand_lanes16)->Name("ad/logistic_regression/hand_lanes16")->Arg(25)->Arg(100);
