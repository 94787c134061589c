#include <varia/random/gamma.hpp>

#include <Random123/philox.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <numbers>
#include <set>
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
    statistic =
        std::max({statistic, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
  }
  return statistic;
}

// Asymptotic 0.1% critical value of sqrt(n) D_n: sqrt(-log(0.001 / 2) / 2) = 1.9495.
double kolmogorov_smirnov_critical(std::size_t n) {
  return std::sqrt(-std::log(0.0005) / 2.0) / std::sqrt(static_cast<double>(n));
}

// Regularised lower incomplete gamma P(a, x) by its power series
// x^a e^-x / Gamma(a + 1) * sum_k x^k / ((a + 1) ... (a + k)), for moderate x.
double gamma_cdf_series(double a, double x) {
  if (x <= 0.0) {
    return 0.0;
  }
  double term = 1.0;
  double sum = 1.0;
  for (int k = 1; k < 2000 && term > 1e-17 * sum; ++k) {
    term *= x / (a + k);
    sum += term;
  }
  return std::exp(a * std::log(x) - x - std::lgamma(a + 1.0)) * sum;
}

// P(1/2, x) = erf(sqrt x), and P(a + 1, x) = P(a, x) - x^a e^-x / Gamma(a + 1).
double gamma_cdf_half(double x) {
  return std::erf(std::sqrt(x));
}

double gamma_cdf_five_halves(double x) {
  const double root_pi = std::sqrt(std::numbers::pi);
  return std::erf(std::sqrt(x)) - 2.0 * std::sqrt(x) * std::exp(-x) / root_pi -
         4.0 * std::pow(x, 1.5) * std::exp(-x) / (3.0 * root_pi);
}

// Integer shape: P(n, x) = 1 - e^-x sum_{k < n} x^k / k!.
double gamma_cdf_integer(int shape, double x) {
  double term = 1.0;
  double sum = 1.0;
  for (int k = 1; k < shape; ++k) {
    term *= x / k;
    sum += term;
  }
  return 1.0 - std::exp(-x) * sum;
}

struct GammaCase {
  double shape;
  std::function<double(double)> cdf;
};

std::vector<double> gamma_sample(double shape, std::uint64_t seed) {
  const varia::CounterRng rng(seed);
  Eigen::MatrixXd block(1000, 1000);
  varia::fill_gamma(rng, shape, 0, 0, block);
  return std::vector<double>(block.data(), block.data() + block.size());
}

}  // namespace

TEST_CASE("gamma_variate moments and KS") {
  const std::vector<GammaCase> cases = {
      {0.1, [](double x) { return gamma_cdf_series(0.1, x); }},  {0.5, gamma_cdf_half},
      {1.0, [](double x) { return 1.0 - std::exp(-x); }},        {2.5, gamma_cdf_five_halves},
      {30.0, [](double x) { return gamma_cdf_integer(30, x); }},
  };
  std::uint64_t seed = 1000;
  for (const GammaCase& test : cases) {
    INFO("shape " << test.shape);
    const std::vector<double> values = gamma_sample(test.shape, seed++);
    const auto n = static_cast<double>(values.size());
    const double a = test.shape;

    CHECK(*std::min_element(values.begin(), values.end()) >= 0.0);
    CHECK(std::all_of(values.begin(), values.end(), [](double x) { return std::isfinite(x); }));

    // Gamma(a, 1): mean a, variance a, fourth central moment 3 a^2 + 6 a, so the sample variance
    // has variance (3 a^2 + 6 a - a^2) / n.
    double sum = 0.0;
    for (double value : values) {
      sum += value;
    }
    const double mean = sum / n;
    double squares = 0.0;
    for (double value : values) {
      squares += (value - a) * (value - a);
    }
    const double variance = squares / n;
    CHECK(std::abs(mean - a) < 4.0 * std::sqrt(a / n));
    CHECK(std::abs(variance - a) < 4.0 * std::sqrt((2.0 * a * a + 6.0 * a) / n));

    CHECK(kolmogorov_smirnov(values, test.cdf) < kolmogorov_smirnov_critical(values.size()));
  }
}

TEST_CASE("gamma KS reference CDFs agree with each other") {
  // The closed forms and the series are independent computations of the same function.
  for (double x : {0.01, 0.3, 1.0, 2.7, 6.0}) {
    CHECK(gamma_cdf_half(x) == Approx(gamma_cdf_series(0.5, x)).epsilon(1e-12));
    CHECK(gamma_cdf_five_halves(x) == Approx(gamma_cdf_series(2.5, x)).epsilon(1e-10));
    CHECK(gamma_cdf_integer(1, x) == Approx(gamma_cdf_series(1.0, x)).epsilon(1e-12));
  }
  CHECK(gamma_cdf_integer(30, 25.0) == Approx(gamma_cdf_series(30.0, 25.0)).epsilon(1e-10));
}

TEST_CASE("fill_gamma equals single gamma variates") {
  const varia::CounterRng rng(64, 2);
  Eigen::VectorXd shapes(5);
  shapes << 0.2, 1.0, 3.0, 0.7, 50.0;
  Eigen::MatrixXd block(5, 8);
  varia::fill_gamma(rng, shapes, 11, 4, block);
  for (Eigen::Index column = 0; column < block.cols(); ++column) {
    for (Eigen::Index j = 0; j < block.rows(); ++j) {
      CHECK(varia::gamma_variate(rng, shapes(j), 11, 4 + column, j) == block(j, column));
    }
  }
  Eigen::MatrixXd constant_block(5, 8);
  varia::fill_gamma(rng, 3.0, 11, 4, constant_block);
  CHECK((constant_block.row(2).array() == block.row(2).array()).all());
}

TEST_CASE("gamma_variate is deterministic and address dependent") {
  const varia::CounterRng rng(5);
  const double value = varia::gamma_variate(rng, 2.0, 1, 2, 3);
  CHECK(varia::gamma_variate(varia::CounterRng(5), 2.0, 1, 2, 3) == value);
  CHECK(varia::gamma_variate(rng, 2.0, 0, 2, 3) != value);
  CHECK(varia::gamma_variate(rng, 2.0, 1, 1, 3) != value);
  CHECK(varia::gamma_variate(rng, 2.0, 1, 2, 4) != value);
  CHECK(varia::gamma_variate(varia::CounterRng(5, 1), 2.0, 1, 2, 3) != value);
  CHECK(varia::gamma_variate(varia::CounterRng(6), 2.0, 1, 2, 3) != value);
}

TEST_CASE("gamma draw sequence re-keys after 256 Philox calls") {
  const varia::CounterRng rng(0xFEEDFACECAFEBEEFu, 9);
  varia::detail::CounterDrawSequence draws(rng, varia::detail::RandomFamily::gamma, 7, 3, 12);
  varia::detail::CounterDrawSequence again(rng, varia::detail::RandomFamily::gamma, 7, 3, 12);
  std::vector<double> uniforms;
  for (int i = 0; i < 2000; ++i) {
    uniforms.push_back(draws.uniform());
    CHECK(again.uniform() == uniforms.back());
  }
  CHECK(std::set<double>(uniforms.begin(), uniforms.end()).size() == uniforms.size());
  double sum = 0.0;
  for (double u : uniforms) {
    CHECK(u > 0.0);
    CHECK(u < 1.0);
    sum += u;
  }
  const auto n = static_cast<double>(uniforms.size());
  CHECK(std::abs(sum / n - 0.5) < 4.0 * std::sqrt(1.0 / 12.0 / n));

  // Call 0 and the first call after re-keying, computed with Random123 from the documented
  // counters.
  r123::Philox4x32 philox;
  const std::uint32_t family_word = 9u | 2u << 24;
  const r123::Philox4x32::key_type key = {{0xCAFEBEEFu, 0xFEEDFACEu}};
  const auto first = philox({{12, 3, 7, family_word}}, key);
  CHECK(uniforms[0] == varia::uniform_from_words(first[0], first[1]));
  CHECK(uniforms[1] == varia::uniform_from_words(first[2], first[3]));
  const auto new_key_bits = philox({{12, 3, 7, family_word | 0x80000000u}}, key);
  const r123::Philox4x32::key_type new_key = {{new_key_bits[0], new_key_bits[1]}};
  const auto after_rekey = philox({{12, 3, 7, family_word}}, new_key);
  CHECK(uniforms[512] == varia::uniform_from_words(after_rekey[0], after_rekey[1]));
  CHECK(uniforms[513] == varia::uniform_from_words(after_rekey[2], after_rekey[3]));
}

TEST_CASE("gamma with tiny shape stays finite") {
  const varia::CounterRng rng(3);
  for (Eigen::Index sample = 0; sample < 1000; ++sample) {
    const double value = varia::gamma_variate(rng, 1e-3, 0, sample, 0);
    CHECK(value >= 0.0);
    CHECK(std::isfinite(value));
  }
}

TEST_CASE("gamma rejects invalid arguments") {
  const varia::CounterRng rng(1);
  CHECK_THROWS_AS(varia::gamma_variate(rng, 0.0, 0, 0, 0), std::invalid_argument);
  CHECK_THROWS_WITH(varia::gamma_variate(rng, -1.5, 0, 0, 0),
                    "varia::gamma_variate: shape is -1.5, but must be positive and finite");
  CHECK_THROWS_WITH(varia::gamma_variate(rng, std::numeric_limits<double>::quiet_NaN(), 0, 0, 0),
                    "varia::gamma_variate: shape is nan, but must be positive and finite");
  CHECK_THROWS_WITH(varia::gamma_variate(rng, std::numeric_limits<double>::infinity(), 0, 0, 0),
                    "varia::gamma_variate: shape is inf, but must be positive and finite");
  CHECK_THROWS_WITH(varia::gamma_variate(rng, 1.0, 0, -1, 0),
                    "varia::gamma_variate: sample is -1, but must be in [0, 16777215]");

  Eigen::MatrixXd block(3, 2);
  CHECK_THROWS_WITH(varia::fill_gamma(rng, Eigen::VectorXd::Ones(4), 0, 0, block),
                    "varia::fill_gamma: shapes.size() is 4, but must be equal to out.rows() (3)");
  Eigen::VectorXd shapes(3);
  shapes << 1.0, 0.0, 2.0;
  CHECK_THROWS_WITH(varia::fill_gamma(rng, shapes, 0, 0, block),
                    "varia::fill_gamma: shapes(1) is 0, but must be positive and finite");
  CHECK_THROWS_WITH(varia::fill_gamma(rng, -2.0, 0, 0, block),
                    "varia::fill_gamma: shape is -2, but must be positive and finite");
}
