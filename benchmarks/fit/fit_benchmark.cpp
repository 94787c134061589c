// Time per fit iteration and per model gradient evaluation of varia::fit on a logistic
// regression with N = 1000 rows, for mean-field and full-rank Gaussian families, d = 25 and 100,
// and S = 1, 16 and 64 samples per step. Names are fit/<family>/<S>/<d>.
#include <cstdint>
#include <limits>
#include <string>

#include <benchmark/benchmark.h>
#include <Eigen/Core>

#include <varia/family/full_rank_gaussian.hpp>
#include <varia/family/mean_field_gaussian.hpp>
#include <varia/fit.hpp>

#include "../ad/models.hpp"

namespace {

// The logistic regression of the autodiff benchmarks with the dimension that fit needs.
struct LogisticRegressionTarget {
  varia::benchmarks::LogisticRegression model;

  Eigen::Index dimension() const { return model.x.cols(); }

  template <class T>
  auto operator()(const T& beta) const {
    return model(beta);
  }
};

template <class Q>
void fit_iterations(benchmark::State& state, Eigen::Index samples, Eigen::Index dimension) {
  const LogisticRegressionTarget target{
      varia::benchmarks::make_logistic_regression(1000, dimension, 7)};
  const Q family(dimension);
  varia::FitOptions options;
  options.samples = samples;
  options.max_iterations = 20;
  // No Laplace start and no convergence evaluations, so that the time is the steps' alone.
  options.initialization = varia::Initialization::family;
  options.evaluation_interval = std::numeric_limits<std::int64_t>::max();
  std::int64_t iterations = 0;
  std::int64_t gradients = 0;
  for (auto _ : state) {
    const auto result = varia::fit(target, family, options);
    iterations += result.iterations;
    gradients += result.gradient_evaluations;
    benchmark::DoNotOptimize(result.family.parameters().data());
  }
  state.counters["iteration"] = benchmark::Counter(
      static_cast<double>(iterations), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["gradient"] = benchmark::Counter(
      static_cast<double>(gradients), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

template <class Q>
void register_family(const std::string& family_name) {
  for (const Eigen::Index samples : {1, 16, 64}) {
    for (const Eigen::Index dimension : {25, 100}) {
      const std::string name =
          "fit/" + family_name + "/" + std::to_string(samples) + "/" + std::to_string(dimension);
      benchmark::RegisterBenchmark(name.c_str(), [samples, dimension](benchmark::State& state) {
        fit_iterations<Q>(state, samples, dimension);
      })->Unit(benchmark::kMillisecond);
    }
  }
}

const bool registered = [] {
  register_family<varia::MeanFieldGaussian>("mean_field");
  register_family<varia::FullRankGaussian>("full_rank");
  return true;
}();

}  // namespace
