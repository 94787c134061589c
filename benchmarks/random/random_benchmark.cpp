// Fills a 100 x (n / 100) block of standard normals (coordinate x sample), the per-iteration draw
// of a variational-inference step, with CounterRng and with baselines, and times Philox and gamma
// draws.
#include <varia/random/counter_rng.hpp>
#include <varia/random/gamma.hpp>

#include <Random123/philox.h>

#include <cstdint>
#include <random>

#include <benchmark/benchmark.h>
#include <Eigen/Core>

namespace {

constexpr Eigen::Index dimension = 100;

Eigen::MatrixXd make_block(const benchmark::State& state) {
  return Eigen::MatrixXd(dimension, state.range(0) / dimension);
}

void normal_varia_block(benchmark::State& state) {
  const varia::CounterRng rng(42);
  Eigen::MatrixXd block = make_block(state);
  std::uint32_t iteration = 0;
  for (auto _ : state) {
    rng.fill_normal(iteration++, 0, block);
    benchmark::DoNotOptimize(block.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * block.size());
}

void normal_varia_single(benchmark::State& state) {
  const varia::CounterRng rng(42);
  Eigen::MatrixXd block = make_block(state);
  std::uint32_t iteration = 0;
  for (auto _ : state) {
    for (Eigen::Index column = 0; column < block.cols(); ++column) {
      for (Eigen::Index row = 0; row < block.rows(); ++row) {
        block(row, column) = rng.normal(iteration, column, row);
      }
    }
    ++iteration;
    benchmark::DoNotOptimize(block.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * block.size());
}

void normal_mt19937_64(benchmark::State& state) {
  std::mt19937_64 engine(42);
  std::normal_distribution<double> normal;
  Eigen::MatrixXd block = make_block(state);
  for (auto _ : state) {
    for (Eigen::Index i = 0; i < block.size(); ++i) {
      block.data()[i] = normal(engine);
    }
    benchmark::DoNotOptimize(block.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * block.size());
}

// Random123's Philox4x32-10 with the same counter layout, conversion and Box-Muller transform.
void normal_random123(benchmark::State& state) {
  const varia::CounterRng rng(42);
  const r123::Philox4x32::key_type key = {{42, 0}};
  r123::Philox4x32 philox;
  Eigen::MatrixXd block = make_block(state);
  std::uint32_t iteration = 0;
  for (auto _ : state) {
    for (Eigen::Index column = 0; column < block.cols(); ++column) {
      for (Eigen::Index pair = 0; 2 * pair < block.rows(); ++pair) {
        const r123::Philox4x32::ctr_type counter = {
            {static_cast<std::uint32_t>(pair), static_cast<std::uint32_t>(column), iteration,
             rng.family_word(varia::detail::RandomFamily::normal)}};
        const auto bits = philox(counter, key);
        const auto normals = varia::box_muller(varia::uniform_from_words(bits[0], bits[1]),
                                               varia::uniform_from_words(bits[2], bits[3]));
        block(2 * pair, column) = normals[0];
        if (2 * pair + 1 < block.rows()) {
          block(2 * pair + 1, column) = normals[1];
        }
      }
    }
    ++iteration;
    benchmark::DoNotOptimize(block.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * block.size());
}

void philox_varia(benchmark::State& state) {
  const varia::PhiloxKey key = {42, 7};
  std::uint32_t counter = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(varia::philox4x32_10({counter++, 1, 2, 3}, key));
  }
  state.SetItemsProcessed(state.iterations());
}

void philox_varia_batch(benchmark::State& state) {
  const varia::PhiloxKey key = {42, 7};
  varia::detail::PhiloxBatch batch;
  std::uint32_t counter = 0;
  for (auto _ : state) {
    varia::detail::philox4x32_batch(counter, 1, 2, 3, key, batch);
    counter += static_cast<std::uint32_t>(varia::detail::philox_batch_size);
    benchmark::DoNotOptimize(batch.word[0].data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<std::int64_t>(varia::detail::philox_batch_size));
}

void philox_random123(benchmark::State& state) {
  const r123::Philox4x32::key_type key = {{42, 7}};
  r123::Philox4x32 philox;
  std::uint32_t counter = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(philox({{counter++, 1, 2, 3}}, key));
  }
  state.SetItemsProcessed(state.iterations());
}

void gamma_varia_block(benchmark::State& state) {
  const varia::CounterRng rng(42);
  Eigen::MatrixXd block = make_block(state);
  std::uint32_t iteration = 0;
  for (auto _ : state) {
    varia::fill_gamma(rng, 2.5, iteration++, 0, block);
    benchmark::DoNotOptimize(block.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * block.size());
}

void gamma_mt19937_64(benchmark::State& state) {
  std::mt19937_64 engine(42);
  std::gamma_distribution<double> gamma(2.5, 1.0);
  Eigen::MatrixXd block = make_block(state);
  for (auto _ : state) {
    for (Eigen::Index i = 0; i < block.size(); ++i) {
      block.data()[i] = gamma(engine);
    }
    benchmark::DoNotOptimize(block.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * block.size());
}

}  // namespace

BENCHMARK(normal_varia_block)->Name("random/normal/varia_block")->Arg(1600)->Arg(6400);
BENCHMARK(normal_varia_single)->Name("random/normal/varia_single")->Arg(1600);
BENCHMARK(normal_mt19937_64)->Name("random/normal/mt19937_64")->Arg(1600)->Arg(6400);
BENCHMARK(normal_random123)->Name("random/normal/random123_philox")->Arg(1600);
BENCHMARK(philox_varia)->Name("random/philox/varia");
BENCHMARK(philox_varia_batch)->Name("random/philox/varia_batch");
BENCHMARK(philox_random123)->Name("random/philox/random123");
BENCHMARK(gamma_varia_block)->Name("random/gamma_2.5/varia_block")->Arg(1600);
BENCHMARK(gamma_mt19937_64)->Name("random/gamma_2.5/mt19937_64")->Arg(1600);
