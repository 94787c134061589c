// Checks that Google Benchmark is wired into the build: sums a vector with Eigen.
#include <varia/varia.hpp>

#include <benchmark/benchmark.h>
#include <Eigen/Core>

static void eigen_sum(benchmark::State& state) {
  const Eigen::VectorXd values = Eigen::VectorXd::LinSpaced(state.range(0), 0.0, 1.0);
  for (auto _ : state) {
    benchmark::DoNotOptimize(values.sum());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(eigen_sum)->Name("wiring/eigen_sum")->Arg(1000);
