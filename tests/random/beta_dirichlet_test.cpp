#include <varia/random/beta_dirichlet.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>
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

// Mean, variance and fourth central moment of Beta(a, b) from its raw moments
// E X^k = prod_{i < k} (a + i) / (a + b + i).
struct BetaMoments {
  double mean;
  double variance;
  double fourth_central;
};

BetaMoments beta_moments(double a, double b) {
  double raw[5] = {1.0, 0.0, 0.0, 0.0, 0.0};
  for (int k = 1; k <= 4; ++k) {
    raw[k] = raw[k - 1] * (a + k - 1) / (a + b + k - 1);
  }
  const double m = raw[1];
  const double variance = raw[2] - m * m;
  const double fourth = raw[4] - 4.0 * m * raw[3] + 6.0 * m * m * raw[2] - 3.0 * m * m * m * m;
  return {m, variance, fourth};
}

struct BetaCase {
  double a;
  double b;
  std::function<double(double)> cdf;
};

}  // namespace

TEST_CASE("beta_variate moments and KS") {
  const std::vector<BetaCase> cases = {
      // Arcsine law.
      {0.5, 0.5, [](double x) { return 2.0 / std::numbers::pi * std::asin(std::sqrt(x)); }},
      {0.3, 1.0, [](double x) { return std::pow(x, 0.3); }},
      {1.0, 4.0, [](double x) { return 1.0 - std::pow(1.0 - x, 4.0); }},
      // I_x(2, 3) = sum_{j = 2}^{4} C(4, j) x^j (1 - x)^(4 - j).
      {2.0, 3.0,
       [](double x) {
         const double y = 1.0 - x;
         return 6.0 * x * x * y * y + 4.0 * x * x * x * y + x * x * x * x;
       }},
  };
  const varia::CounterRng rng(404);
  std::uint32_t iteration = 0;
  for (const BetaCase& test : cases) {
    INFO("a " << test.a << ", b " << test.b);
    std::vector<double> values;
    for (Eigen::Index sample = 0; sample < 1000; ++sample) {
      for (Eigen::Index coordinate = 0; coordinate < 500; ++coordinate) {
        values.push_back(varia::beta_variate(rng, test.a, test.b, iteration, sample, coordinate));
      }
    }
    ++iteration;
    const auto n = static_cast<double>(values.size());
    const BetaMoments exact = beta_moments(test.a, test.b);

    CHECK(*std::min_element(values.begin(), values.end()) >= 0.0);
    CHECK(*std::max_element(values.begin(), values.end()) <= 1.0);
    double sum = 0.0;
    double squares = 0.0;
    for (double value : values) {
      sum += value;
      squares += (value - exact.mean) * (value - exact.mean);
    }
    CHECK(std::abs(sum / n - exact.mean) < 4.0 * std::sqrt(exact.variance / n));
    CHECK(std::abs(squares / n - exact.variance) <
          4.0 * std::sqrt((exact.fourth_central - exact.variance * exact.variance) / n));
    CHECK(kolmogorov_smirnov(values, test.cdf) < kolmogorov_smirnov_critical(values.size()));
  }
}

TEST_CASE("beta_variate with tiny shapes stays in [0, 1]") {
  const varia::CounterRng rng(12);
  double sum = 0.0;
  const int n = 20000;
  for (int sample = 0; sample < n; ++sample) {
    const double value = varia::beta_variate(rng, 0.01, 0.01, 0, sample, 0);
    REQUIRE(std::isfinite(value));
    CHECK(value >= 0.0);
    CHECK(value <= 1.0);
    sum += value;
  }
  const BetaMoments exact = beta_moments(0.01, 0.01);
  CHECK(std::abs(sum / n - 0.5) < 4.0 * std::sqrt(exact.variance / n));
}

TEST_CASE("fill_dirichlet marginals and sums") {
  const varia::CounterRng rng(777);
  Eigen::VectorXd concentration(4);
  concentration << 0.5, 1.0, 2.5, 0.1;
  const double total = concentration.sum();
  Eigen::MatrixXd block(4, 200000);
  varia::fill_dirichlet(rng, concentration, 3, 0, block);
  const auto n = static_cast<double>(block.cols());

  CHECK((block.array() >= 0.0).all());
  CHECK(((block.colwise().sum().array() - 1.0).abs() < 1e-12).all());
  for (Eigen::Index j = 0; j < 4; ++j) {
    // The marginal of component j is Beta(alpha_j, total - alpha_j).
    const BetaMoments exact = beta_moments(concentration(j), total - concentration(j));
    const double mean = block.row(j).mean();
    const double variance = (block.row(j).array() - exact.mean).square().mean();
    CHECK(std::abs(mean - exact.mean) < 4.0 * std::sqrt(exact.variance / n));
    CHECK(std::abs(variance - exact.variance) <
          4.0 * std::sqrt((exact.fourth_central - exact.variance * exact.variance) / n));
  }
}

TEST_CASE("fill_dirichlet flat marginal KS") {
  // Dirichlet(1, 1, 1) has Beta(1, 2) marginals with CDF 1 - (1 - x)^2.
  const varia::CounterRng rng(31);
  Eigen::MatrixXd block(3, 300000);
  varia::fill_dirichlet(rng, Eigen::VectorXd::Ones(3), 0, 0, block);
  for (Eigen::Index j = 0; j < 3; ++j) {
    const Eigen::RowVectorXd row = block.row(j);
    const std::vector<double> values(row.data(), row.data() + row.size());
    const double statistic =
        kolmogorov_smirnov(values, [](double x) { return 1.0 - (1.0 - x) * (1.0 - x); });
    CHECK(statistic < kolmogorov_smirnov_critical(values.size()));
  }
}

TEST_CASE("dirichlet_variate equals fill_dirichlet columns") {
  const varia::CounterRng rng(9, 4);
  Eigen::VectorXd concentration(3);
  concentration << 0.001, 0.002, 0.003;
  Eigen::MatrixXd block(3, 6);
  varia::fill_dirichlet(rng, concentration, 2, 10, block);
  for (Eigen::Index column = 0; column < block.cols(); ++column) {
    const Eigen::VectorXd single = varia::dirichlet_variate(rng, concentration, 2, 10 + column);
    CHECK((single.array() == block.col(column).array()).all());
    CHECK(single.allFinite());
    CHECK(std::abs(single.sum() - 1.0) < 1e-12);
  }
}

TEST_CASE("beta and Dirichlet reject invalid arguments") {
  const varia::CounterRng rng(1);
  CHECK_THROWS_WITH(varia::beta_variate(rng, 0.0, 1.0, 0, 0, 0),
                    "varia::beta_variate: a is 0, but must be positive and finite");
  CHECK_THROWS_WITH(varia::beta_variate(rng, 1.0, -4.0, 0, 0, 0),
                    "varia::beta_variate: b is -4, but must be positive and finite");
  Eigen::MatrixXd block(3, 2);
  CHECK_THROWS_WITH(varia::fill_dirichlet(rng, Eigen::VectorXd::Ones(2), 0, 0, block),
                    "varia::fill_dirichlet: concentration.size() is 2, but must be equal to "
                    "out.rows() (3)");
  Eigen::MatrixXd empty(0, 2);
  CHECK_THROWS_WITH(varia::fill_dirichlet(rng, Eigen::VectorXd(0), 0, 0, empty),
                    "varia::fill_dirichlet: concentration.size() is 0, but must be positive");
  Eigen::VectorXd concentration(3);
  concentration << 1.0, 2.0, std::nan("");
  CHECK_THROWS_WITH(varia::dirichlet_variate(rng, concentration, 0, 0),
                    "varia::fill_dirichlet: concentration(2) is nan, but must be positive and "
                    "finite");
}
