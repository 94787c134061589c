// Time per optimizer step at d = 100 and d = 10000, next to a baseline plain SGD update
// x -= lr * g written inline. The gradient alternates between g and -g so that every optimizer,
// DoG and DoWG included, stays bounded however many iterations the benchmark runs.
#include <varia/optim/adam.hpp>
#include <varia/optim/advi_step_sequence.hpp>
#include <varia/optim/dog.hpp>
#include <varia/optim/dowg.hpp>
#include <varia/optim/sgd.hpp>

#include <benchmark/benchmark.h>
#include <Eigen/Core>

namespace {

Eigen::VectorXd gradient_for(Eigen::Index dimension) {
  return Eigen::VectorXd::LinSpaced(dimension, -1.0, 2.0);
}

void baseline_sgd_step(benchmark::State& state) {
  const Eigen::Index dimension = state.range(0);
  const Eigen::VectorXd positive = gradient_for(dimension);
  const Eigen::VectorXd negative = -positive;
  Eigen::VectorXd x = Eigen::VectorXd::Zero(dimension);
  const double learning_rate = 0.01;
  bool flip = false;
  for (auto _ : state) {
    x -= learning_rate * (flip ? negative : positive);
    flip = !flip;
    benchmark::DoNotOptimize(x.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * dimension);
}

template <class Make>
void optimizer_step(benchmark::State& state, Make make) {
  const Eigen::Index dimension = state.range(0);
  const Eigen::VectorXd positive = gradient_for(dimension);
  const Eigen::VectorXd negative = -positive;
  Eigen::VectorXd x = Eigen::VectorXd::Zero(dimension);
  auto optimizer = make();
  optimizer.initialize(x);
  bool flip = false;
  for (auto _ : state) {
    optimizer.step(x, flip ? negative : positive);
    flip = !flip;
    benchmark::DoNotOptimize(x.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * dimension);
}

void sgd_step(benchmark::State& state) {
  optimizer_step(state, [] { return varia::Sgd(); });
}

void sgd_nesterov_step(benchmark::State& state) {
  optimizer_step(state, [] { return varia::Sgd({.nesterov = true}); });
}

void adam_step(benchmark::State& state) {
  optimizer_step(state, [] { return varia::Adam(); });
}

void advi_step(benchmark::State& state) {
  optimizer_step(state, [] { return varia::AdviStepSequence(); });
}

void dog_step(benchmark::State& state) {
  optimizer_step(state, [] { return varia::Dog(); });
}

void dowg_step(benchmark::State& state) {
  optimizer_step(state, [] { return varia::Dowg(); });
}

}  // namespace

BENCHMARK(baseline_sgd_step)->Name("optim/baseline_sgd/step")->Arg(100)->Arg(10000);
BENCHMARK(sgd_step)->Name("optim/sgd/step")->Arg(100)->Arg(10000);
BENCHMARK(sgd_nesterov_step)->Name("optim/sgd_nesterov/step")->Arg(100)->Arg(10000);
BENCHMARK(adam_step)->Name("optim/adam/step")->Arg(100)->Arg(10000);
BENCHMARK(advi_step)->Name("optim/advi/step")->Arg(100)->Arg(10000);
BENCHMARK(dog_step)->Name("optim/dog/step")->Arg(100)->Arg(10000);
BENCHMARK(dowg_step)->Name("optim/dowg/step")->Arg(100)->Arg(10000);
