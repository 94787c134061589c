// The standard normal log density in d = 10, 100 and 1000: varia's gradients against the
// double evaluation and the hand-written gradient -x.
#include <map>

#include "models.hpp"

namespace {

using namespace varia::benchmarks;

const Eigen::MatrixXd& points(Eigen::Index dimension) {
  static std::map<Eigen::Index, Eigen::MatrixXd> cache;
  auto found = cache.find(dimension);
  if (found == cache.end()) {
    found = cache
                .emplace(dimension, normal_draws(dimension, lane_points, 1.0,
                                                 static_cast<std::uint64_t>(dimension)))
                .first;
  }
  return found->second;
}

void function(benchmark::State& state) {
  time_function(state, StandardNormal{}, points(state.range(0)).col(0));
}

void hand_gradient(benchmark::State& state) {
  time_hand_gradient<StandardNormal, StandardNormalGradient>(state, StandardNormal{},
                                                             points(state.range(0)));
}

void varia_gradient(benchmark::State& state) {
  time_varia_gradient(state, StandardNormal{}, points(state.range(0)).col(0));
}

void varia_lanes16(benchmark::State& state) {
  time_varia_lanes(state, StandardNormal{}, points(state.range(0)));
}

}  // namespace

BENCHMARK(function)->Name("ad/normal/function")->Arg(10)->Arg(100)->Arg(1000);
BENCHMARK(hand_gradient)->Name("ad/normal/hand_gradient")->Arg(10)->Arg(100)->Arg(1000);
BENCHMARK(varia_gradient)->Name("ad/normal/varia_gradient")->Arg(10)->Arg(100)->Arg(1000);
BENCHMARK(varia_lanes16)->Name("ad/normal/varia_lanes16")->Arg(10)->Arg(100)->Arg(1000);
