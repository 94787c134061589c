// Pareto-smoothed importance sampling against a plain sort of the same log ratios, the lower
// bound set by ordering the tail.
#include <varia/diagnostics/importance_sampling.hpp>
#include <varia/diagnostics/psis.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>
#include <Eigen/Core>

namespace {

// Log ratios of Pareto ratios with shape 0.7, the heavy tail that PSIS is meant for.
Eigen::VectorXd heavy_tailed_log_ratios(Eigen::Index count) {
  std::mt19937_64 engine(2024);
  Eigen::VectorXd log_ratios(count);
  for (Eigen::Index s = 0; s < count; ++s) {
    const double uniform = (static_cast<double>(engine() >> 11) + 0.5) * 0x1.0p-53;
    log_ratios(s) = -0.7 * std::log(uniform);
  }
  return log_ratios;
}

void psis_varia(benchmark::State& state) {
  const Eigen::VectorXd log_ratios = heavy_tailed_log_ratios(state.range(0));
  for (auto _ : state) {
    varia::PsisResult result = varia::psis(log_ratios);
    benchmark::DoNotOptimize(result.log_weights.data());
    benchmark::DoNotOptimize(result.k_hat);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void psis_sort_baseline(benchmark::State& state) {
  const Eigen::VectorXd log_ratios = heavy_tailed_log_ratios(state.range(0));
  std::vector<double> values(log_ratios.begin(), log_ratios.end());
  for (auto _ : state) {
    std::copy(log_ratios.begin(), log_ratios.end(), values.begin());
    std::sort(values.begin(), values.end());
    benchmark::DoNotOptimize(values.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void importance_sampling_ess_varia(benchmark::State& state) {
  const Eigen::VectorXd log_weights =
      varia::psis(heavy_tailed_log_ratios(state.range(0))).log_weights;
  for (auto _ : state) {
    benchmark::DoNotOptimize(varia::importance_sampling_ess(log_weights));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

}  // namespace

// Google Benchmark appends the argument, so these run as diagnostics/psis/varia/1000 and so on.
BENCHMARK(psis_varia)->Name("diagnostics/psis/varia")->Arg(1000)->Arg(10000);
BENCHMARK(psis_sort_baseline)->Name("diagnostics/psis/sort_baseline")->Arg(1000)->Arg(10000);
BENCHMARK(importance_sampling_ess_varia)
    ->Name("diagnostics/importance_sampling_ess/varia")
    ->Arg(10000);
