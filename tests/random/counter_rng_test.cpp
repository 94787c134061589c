#include <varia/random/counter_rng.hpp>

#include <Random123/philox.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <numbers>
#include <thread>
#include <vector>

#include "support/catch.hpp"

namespace {

// Kolmogorov-Smirnov statistic sup |F_n(x) - F(x)| of `values` against `cdf`.
double kolmogorov_smirnov(std::vector<double> values, const std::function<double(double)>& cdf) {
  std::sort(values.begin(), values.end());
  const auto n = static_cast<double>(values.size());
  double statistic = 0.0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double f = cdf(values[i]);
    const double below = static_cast<double>(i) / n;
    const double above = static_cast<double>(i + 1) / n;
    statistic = std::max({statistic, f - below, above - f});
  }
  return statistic;
}

// Asymptotic 0.1% critical value of sqrt(n) D_n: sqrt(-log(0.001 / 2) / 2) = 1.9495.
double kolmogorov_smirnov_critical(std::size_t n) {
  return std::sqrt(-std::log(0.0005) / 2.0) / std::sqrt(static_cast<double>(n));
}

std::vector<double> to_vector(const Eigen::MatrixXd& block) {
  return std::vector<double>(block.data(), block.data() + block.size());
}

double central_moment(const std::vector<double>& values, double mean, int order) {
  double sum = 0.0;
  for (double value : values) {
    sum += std::pow(value - mean, order);
  }
  return sum / static_cast<double>(values.size());
}

double mean_of(const std::vector<double>& values) {
  double sum = 0.0;
  for (double value : values) {
    sum += value;
  }
  return sum / static_cast<double>(values.size());
}

// Uniform from 53 bits as documented, written independently of uniform_from_bits().
double reference_uniform(std::uint32_t high, std::uint32_t low) {
  const std::uint64_t k = ((std::uint64_t{high} << 32) | low) >> 11;
  return k == 0 ? std::ldexp(1.0, -54) : std::ldexp(static_cast<double>(k), -53);
}

// Random123's philox4x32 at the documented counter layout of CounterRng.
r123::Philox4x32::ctr_type reference_bits(std::uint64_t seed, std::uint32_t stream,
                                          std::uint32_t family, std::uint32_t iteration,
                                          std::uint32_t sample, std::uint32_t word_0) {
  r123::Philox4x32 generator;
  const r123::Philox4x32::ctr_type counter = {{word_0, sample, iteration, stream | family << 24}};
  const r123::Philox4x32::key_type key = {
      {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  return generator(counter, key);
}

}  // namespace

TEST_CASE("CounterRng uniform follows the documented counter layout") {
  const varia::CounterRng rng(0x0123456789ABCDEFu, 77);
  for (std::uint32_t coordinate : {0u, 1u, 2u, 9u, 4000000000u}) {
    const auto bits = reference_bits(0x0123456789ABCDEFu, 77, 1, 5, 300, coordinate / 2);
    const double expected = coordinate % 2 == 0 ? reference_uniform(bits[0], bits[1])
                                                : reference_uniform(bits[2], bits[3]);
    CHECK(rng.uniform(5, 300, coordinate) == expected);
  }
}

TEST_CASE("CounterRng normal follows the documented counter layout") {
  const varia::CounterRng rng(42, 3);
  for (std::uint32_t coordinate : {0u, 1u, 6u, 7u, 12345u}) {
    const auto bits = reference_bits(42, 3, 0, 1000, 9, coordinate / 2);
    const double radius = std::sqrt(-2.0 * std::log(reference_uniform(bits[0], bits[1])));
    const double angle = 2.0 * std::numbers::pi * reference_uniform(bits[2], bits[3]);
    const double expected =
        coordinate % 2 == 0 ? radius * std::cos(angle) : radius * std::sin(angle);
    CHECK(rng.normal(1000, 9, coordinate) == Approx(expected).epsilon(1e-15));
  }
}

TEST_CASE("CounterRng uniform moments and KS") {
  const varia::CounterRng rng(2024);
  Eigen::MatrixXd block(1000, 1000);
  rng.fill_uniform(3, 0, block);
  const std::vector<double> values = to_vector(block);
  const auto n = static_cast<double>(values.size());

  CHECK(*std::min_element(values.begin(), values.end()) > 0.0);
  CHECK(*std::max_element(values.begin(), values.end()) < 1.0);

  // Var U = 1/12, and Var (U - 1/2)^2 = E (U - 1/2)^4 - (1/12)^2 = 1/80 - 1/144 = 1/180.
  const double mean = mean_of(values);
  CHECK(std::abs(mean - 0.5) < 4.0 * std::sqrt(1.0 / 12.0 / n));
  const double variance = central_moment(values, 0.5, 2);
  CHECK(std::abs(variance - 1.0 / 12.0) < 4.0 * std::sqrt(1.0 / 180.0 / n));

  const double statistic = kolmogorov_smirnov(values, [](double x) { return x; });
  CHECK(statistic < kolmogorov_smirnov_critical(values.size()));
}

TEST_CASE("CounterRng normal moments and KS") {
  const varia::CounterRng rng(99, 1);
  Eigen::MatrixXd block(1001, 1000);  // an odd row count drops half of the last pair
  rng.fill_normal(0, 0, block);
  const std::vector<double> values = to_vector(block);
  const auto n = static_cast<double>(values.size());

  // For Z ~ N(0, 1): Var Z = 1, Var Z^2 = 2. By the delta method the sample skewness has
  // variance Var(Z^3 - 3 Z) / n = (15 - 18 + 9) / n = 6 / n, and the sample excess kurtosis
  // Var(Z^4 - 6 Z^2) / n = (105 - 180 + 108 - 9) / n = 24 / n.
  const double mean = mean_of(values);
  const double variance = central_moment(values, mean, 2);
  const double skewness = central_moment(values, mean, 3) / std::pow(variance, 1.5);
  const double excess_kurtosis = central_moment(values, mean, 4) / (variance * variance) - 3.0;
  CHECK(std::abs(mean) < 4.0 * std::sqrt(1.0 / n));
  CHECK(std::abs(variance - 1.0) < 4.0 * std::sqrt(2.0 / n));
  CHECK(std::abs(skewness) < 4.0 * std::sqrt(6.0 / n));
  CHECK(std::abs(excess_kurtosis) < 4.0 * std::sqrt(24.0 / n));

  const double statistic = kolmogorov_smirnov(
      values, [](double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); });
  CHECK(statistic < kolmogorov_smirnov_critical(values.size()));
  CHECK(block.cwiseAbs().maxCoeff() < 8.66);
}

TEST_CASE("CounterRng normal pairs are uncorrelated") {
  // Rows 2p and 2p + 1 share one Philox call, cos and sin of the same angle.
  const varia::CounterRng rng(5);
  const Eigen::MatrixXd block = rng.normal_block(8, 1000, 1000);
  double cross = 0.0;
  for (Eigen::Index column = 0; column < block.cols(); ++column) {
    for (Eigen::Index row = 0; row < block.rows(); row += 2) {
      cross += block(row, column) * block(row + 1, column);
    }
  }
  const auto pairs = static_cast<double>(block.size() / 2);
  // Var(Z0 Z1) = 1 for independent standard normals.
  CHECK(std::abs(cross / pairs) < 4.0 / std::sqrt(pairs));
}

TEST_CASE("CounterRng same seed gives the same bits") {
  const varia::CounterRng first(123456789, 4);
  const varia::CounterRng second(123456789, 4);
  const Eigen::MatrixXd first_block = first.normal_block(17, 37, 9);
  const Eigen::MatrixXd second_block = second.normal_block(17, 37, 9);
  CHECK((first_block.array() == second_block.array()).all());
  CHECK(first.uniform(2, 3, 4) == second.uniform(2, 3, 4));
}

TEST_CASE("CounterRng seeds streams and iterations differ") {
  const Eigen::MatrixXd base = varia::CounterRng(1, 0).normal_block(0, 64, 16);
  const Eigen::MatrixXd other_seed = varia::CounterRng(2, 0).normal_block(0, 64, 16);
  const Eigen::MatrixXd high_seed =
      varia::CounterRng(1 + (std::uint64_t{1} << 32), 0).normal_block(0, 64, 16);
  const Eigen::MatrixXd other_stream = varia::CounterRng(1, 1).normal_block(0, 64, 16);
  const Eigen::MatrixXd other_iteration = varia::CounterRng(1, 0).normal_block(1, 64, 16);
  CHECK((base.array() == other_seed.array()).count() == 0);
  CHECK((base.array() == high_seed.array()).count() == 0);
  CHECK((base.array() == other_stream.array()).count() == 0);
  CHECK((base.array() == other_iteration.array()).count() == 0);

  Eigen::MatrixXd uniforms(64, 16);
  varia::CounterRng(1, 0).fill_uniform(0, 0, uniforms);
  CHECK((base.array() == uniforms.array()).count() == 0);
}

TEST_CASE("CounterRng sub-block equals full-block columns") {
  const varia::CounterRng rng(31337);
  for (Eigen::Index rows : {1, 2, 7, 64, 65, 100}) {
    const Eigen::MatrixXd full = rng.normal_block(6, rows, 16);
    for (Eigen::Index first : {0, 3, 15}) {
      for (Eigen::Index count : {Eigen::Index{1}, Eigen::Index{2}, 16 - first}) {
        if (first + count > 16) {
          continue;
        }
        Eigen::MatrixXd part(rows, count);
        rng.fill_normal(6, first, part);
        CHECK((part.array() == full.middleCols(first, count).array()).all());
      }
    }
  }
}

TEST_CASE("CounterRng fill into a block of a larger matrix") {
  const varia::CounterRng rng(8);
  const Eigen::MatrixXd full = rng.normal_block(2, 10, 6);
  Eigen::MatrixXd wide = Eigen::MatrixXd::Zero(10, 9);
  rng.fill_normal(2, 1, wide.middleCols(4, 3));
  CHECK((wide.middleCols(4, 3).array() == full.middleCols(1, 3).array()).all());
  CHECK((wide.leftCols(4).array() == 0.0).all());
  CHECK((wide.rightCols(2).array() == 0.0).all());
}

TEST_CASE("CounterRng single draws equal block entries") {
  const varia::CounterRng rng(77, 12);
  const Eigen::MatrixXd normals = rng.normal_block(40, 101, 5);
  Eigen::MatrixXd uniforms(101, 5);
  rng.fill_uniform(40, 0, uniforms);
  for (Eigen::Index column = 0; column < normals.cols(); ++column) {
    for (Eigen::Index row = 0; row < normals.rows(); ++row) {
      CHECK(rng.normal(40, column, row) == normals(row, column));
      CHECK(rng.uniform(40, column, row) == uniforms(row, column));
    }
  }
}

TEST_CASE("CounterRng results do not depend on thread count") {
  const varia::CounterRng rng(2718);
  const Eigen::MatrixXd serial = rng.normal_block(9, 200, 64);
  Eigen::MatrixXd threaded(200, 64);
  std::vector<std::thread> workers;
  for (Eigen::Index worker = 0; worker < 4; ++worker) {
    // Workers take columns in reverse order of their position in the block.
    workers.emplace_back([&rng, &threaded, worker] {
      rng.fill_normal(9, 48 - 16 * worker, threaded.middleCols(48 - 16 * worker, 16));
    });
  }
  for (std::thread& thread : workers) {
    thread.join();
  }
  CHECK((serial.array() == threaded.array()).all());
}

TEST_CASE("CounterRng rejects invalid arguments") {
  CHECK_THROWS_AS(varia::CounterRng(1, 1u << 24), std::invalid_argument);
  CHECK_THROWS_WITH(varia::CounterRng(1, 1u << 24),
                    "varia::CounterRng: stream is 16777216, but must be at most 16777215");
  const varia::CounterRng rng(1);
  CHECK_THROWS_WITH(rng.normal(0, -1, 0),
                    "varia::CounterRng::normal: sample is -1, but must be in [0, 16777215]");
  CHECK_THROWS_WITH(rng.uniform(0, 16777216, 0),
                    "varia::CounterRng::uniform: sample is 16777216, but must be in "
                    "[0, 16777215]");
  CHECK_THROWS_WITH(rng.uniform(0, 0, -3),
                    "varia::CounterRng::uniform: coordinate is -3, but must be in "
                    "[0, 4294967295]");
  Eigen::MatrixXd block(4, 3);
  CHECK_THROWS_WITH(rng.fill_normal(0, -2, block),
                    "varia::CounterRng::fill_normal: first_sample is -2, but must be in "
                    "[0, 16777215]");
  CHECK_THROWS_WITH(rng.fill_uniform(0, 16777215, block),
                    "varia::CounterRng::fill_uniform: out.cols() is 3, but must be at most "
                    "16777216 - first_sample");
  CHECK_THROWS_WITH(rng.normal_block(0, -1, 2),
                    "varia::CounterRng::normal_block: dimension is -1, but must be "
                    "non-negative");
  CHECK_THROWS_WITH(rng.normal_block(0, 2, -5),
                    "varia::CounterRng::normal_block: samples is -5, but must be non-negative");
}
