#include <varia/diagnostics/psis.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <random>
#include <stdexcept>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "support/catch.hpp"

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

// Deterministic draws: std::mt19937_64 is specified bit for bit, the std distributions are not.
class TestRandom {
 public:
  explicit TestRandom(std::uint64_t seed) : engine_(seed) {}

  // Uniform on (0, 1): the top 53 bits, offset by half a step so that 0 and 1 never occur.
  double uniform() { return (static_cast<double>(engine_() >> 11) + 0.5) * 0x1.0p-53; }

  // Standard normal by the Box-Muller transform.
  double normal() {
    const double radius = std::sqrt(-2.0 * std::log(uniform()));
    return radius * std::cos(2.0 * std::numbers::pi * uniform());
  }

 private:
  std::mt19937_64 engine_;
};

// Log ratios of Pareto ratios r = U^(-k): P(r > x) = x^(-1/k), so the excesses over any
// threshold are exactly generalized Pareto with shape k.
Eigen::VectorXd pareto_log_ratios(double shape, Eigen::Index count, std::uint64_t seed) {
  TestRandom random(seed);
  Eigen::VectorXd log_ratios(count);
  for (Eigen::Index s = 0; s < count; ++s) {
    log_ratios(s) = -shape * std::log(random.uniform());
  }
  return log_ratios;
}

double normal_log_density(double x, double mean, double sd) {
  const double z = (x - mean) / sd;
  return -0.5 * z * z - std::log(sd) - 0.5 * std::log(2.0 * std::numbers::pi);
}

double student_t_log_density(double x, double degrees_of_freedom) {
  const double nu = degrees_of_freedom;
  return std::lgamma((nu + 1.0) / 2.0) - std::lgamma(nu / 2.0) -
         0.5 * std::log(nu * std::numbers::pi) - (nu + 1.0) / 2.0 * std::log1p(x * x / nu);
}

// Log ratios log p(x) - log q(x) for S draws x from the proposal q = N(0, proposal_sd^2).
template <class TargetLogDensity>
Eigen::VectorXd gaussian_proposal_log_ratios(double proposal_sd, TargetLogDensity target,
                                             Eigen::Index count, std::uint64_t seed) {
  TestRandom random(seed);
  Eigen::VectorXd log_ratios(count);
  for (Eigen::Index s = 0; s < count; ++s) {
    const double x = proposal_sd * random.normal();
    log_ratios(s) = target(x) - normal_log_density(x, 0.0, proposal_sd);
  }
  return log_ratios;
}

double log_sum_exp(const Eigen::VectorXd& values) {
  const double largest = values.maxCoeff();
  return largest + std::log((values.array() - largest).exp().sum());
}

// The same Weyl sequence u_i = frac((i + 1) phi) that tests/diagnostics/arviz_reference.py uses.
std::vector<double> weyl_sequence(int count) {
  std::vector<double> values;
  for (int i = 0; i < count; ++i) {
    const double x = static_cast<double>(i + 1) * 0.6180339887498949;
    values.push_back(x - std::floor(x));
  }
  return values;
}

struct ArvizCase {
  const char* name;
  Eigen::VectorXd log_ratios;
  double k_hat;
  double log_sum_of_squared_weights;
  std::vector<std::pair<Eigen::Index, double>> log_weights;
};

// Inputs and expected values printed by tests/diagnostics/arviz_reference.py with ArviZ 0.23.4
// (arviz.psislw, reff = 1).
std::vector<ArvizCase> arviz_cases() {
  std::vector<ArvizCase> cases;

  const std::vector<double> u1000 = weyl_sequence(1000);
  Eigen::VectorXd pareto_tail(1000);
  for (int i = 0; i < 1000; ++i) {
    pareto_tail(i) = -0.7 * std::log(u1000[static_cast<std::size_t>(i)]);
  }
  cases.push_back({"pareto_tail_1000",
                   pareto_tail,
                   0.6364921845962477,
                   -5.100199782640607,
                   {{0, -7.672691769397886},
                    {1, -6.9989952143144425},
                    {88, -4.327656925309897},
                    {232, -3.6208308497094257},
                    {465, -4.165467442244599},
                    {609, -2.9568158838284506},
                    {842, -3.9488331627065216},
                    {999, -5.64526905916496}}});

  const std::vector<double> u500 = weyl_sequence(500);
  Eigen::VectorXd bounded(500);
  for (int i = 0; i < 500; ++i) {
    const double u = u500[static_cast<std::size_t>(i)];
    bounded(i) = -8.0 * u * u;
  }
  cases.push_back({"bounded_500",
                   bounded,
                   -1.4705416603277326,
                   -5.400596759712654,
                   {{0, -8.112340742810414},
                    {1, -5.502437372816302},
                    {88, -5.056642124927108},
                    {177, -5.056642124927108},
                    {232, -5.056642124927108},
                    {321, -5.056642124927108},
                    {465, -5.056642124927108},
                    {499, -5.056642124927108}}});

  const std::vector<double> u200 = weyl_sequence(200);
  Eigen::VectorXd offset(200);
  for (int i = 0; i < 200; ++i) {
    offset(i) = 1000.0 - 1.2 * std::log(u200[static_cast<std::size_t>(i)]);
  }
  cases.push_back({"offset_200",
                   offset,
                   0.9058272568978932,
                   -2.4238974765427503,
                   {{0, -7.0217867207539815},
                    {1, -5.866878340610912},
                    {33, -2.820614027338223},
                    {67, -3.37265786819362},
                    {88, -1.3417699007903807},
                    {122, -3.135290864131846},
                    {177, -2.347714521209717},
                    {199, -6.999769223394866}}});

  Eigen::VectorXd sine(30);
  for (int i = 0; i < 30; ++i) {
    sine(i) = 2.0 * std::sin(static_cast<double>(i));
  }
  cases.push_back({"sine_30",
                   sine,
                   -0.11041330438785829,
                   -2.6586208605822303,
                   {{0, -4.2800509568888},
                    {1, -2.5684835581912533},
                    {2, -2.4867195646653553},
                    {8, -2.2988362454990594},
                    {14, -2.2988362454990594},
                    {20, -2.3951413286547814},
                    {27, -2.2988362454990594},
                    {29, -5.607318725314736}}});

  const std::vector<double> u100 = weyl_sequence(100);
  Eigen::VectorXd with_zero_weights(100);
  for (int i = 0; i < 100; ++i) {
    with_zero_weights(i) =
        i % 7 == 0 ? -infinity : -0.6 * std::log(u100[static_cast<std::size_t>(i)]);
  }
  cases.push_back({"negative_infinity_100",
                   with_zero_weights,
                   0.4819841972084067,
                   -3.589325056691071,
                   {{0, -infinity},
                    {1, -4.46482094396749},
                    {12, -3.3001699913943616},
                    {33, -2.8235835765217696},
                    {46, -3.4487824614673093},
                    {67, -3.106966083637007},
                    {88, -2.2417276255936596},
                    {99, -5.1996598546529285}}});
  return cases;
}

}  // namespace

TEST_CASE("psis_tail_length follows ceil(min(S/5, 3 sqrt(S)))") {
  CHECK(varia::psis_tail_length(1) == 1);
  CHECK(varia::psis_tail_length(20) == 4);
  CHECK(varia::psis_tail_length(21) == 5);
  CHECK(varia::psis_tail_length(100) == 20);
  CHECK(varia::psis_tail_length(1000) == 95);
  CHECK(varia::psis_tail_length(4000) == 190);
  CHECK(varia::psis_tail_length(10000) == 300);
}

TEST_CASE("psis_k_hat_threshold follows min(1 - 1/log10(S), 0.7)") {
  CHECK(varia::psis_k_hat_threshold(1) == -infinity);
  CHECK(varia::psis_k_hat_threshold(10) == Approx(0.0).margin(1e-15));
  CHECK(varia::psis_k_hat_threshold(100) == Approx(0.5).epsilon(1e-14));
  CHECK(varia::psis_k_hat_threshold(1000) == Approx(2.0 / 3.0).epsilon(1e-14));
  CHECK(varia::psis_k_hat_threshold(2154) == Approx(1.0 - 1.0 / std::log10(2154.0)));
  CHECK(varia::psis_k_hat_threshold(2154) < 0.7);
  CHECK(varia::psis_k_hat_threshold(2155) == 0.7);
  CHECK(varia::psis_k_hat_threshold(10000) == 0.7);
}

// For the exact generalized Pareto excesses of Pareto ratios, the fitted shape has the maximum
// likelihood asymptotic standard deviation (1 + k) / sqrt(M), times M / (M + 10) after the prior
// shrinkage. The shrinkage adds the bias (5 - 10 k) / (M + 10). Over 300 repetitions per case the
// measured standard deviation was within 5% of that value. Each seed must be within 4 standard
// deviations plus the bias, and the mean of the seeds within 4 standard errors plus the bias.
TEST_CASE("psis k-hat recovers Pareto tail shape") {
  const std::vector<std::uint64_t> seeds = {11, 23, 37, 41, 53, 67, 79, 83, 97, 101};
  for (const Eigen::Index draw_count : {Eigen::Index{4000}, Eigen::Index{10000}}) {
    const auto tail = static_cast<double>(varia::psis_tail_length(draw_count));
    for (const double shape : {0.2, 0.5, 0.8, 1.2}) {
      const double sd = (1.0 + shape) / std::sqrt(tail) * tail / (tail + 10.0);
      const double shrinkage_bias = std::abs(5.0 - 10.0 * shape) / (tail + 10.0);
      double k_hat_sum = 0.0;
      for (const std::uint64_t seed : seeds) {
        const varia::PsisResult result = varia::psis(pareto_log_ratios(shape, draw_count, seed));
        INFO("S = " << draw_count << ", k = " << shape << ", seed = " << seed
                    << ", k_hat = " << result.k_hat);
        CHECK(std::abs(result.k_hat - shape) <= 4.0 * sd + shrinkage_bias);
        CHECK(result.tail_length == varia::psis_tail_length(draw_count));
        k_hat_sum += result.k_hat;
      }
      const double mean_k_hat = k_hat_sum / static_cast<double>(seeds.size());
      const double standard_error = sd / std::sqrt(static_cast<double>(seeds.size()));
      INFO("S = " << draw_count << ", k = " << shape << ", mean k_hat = " << mean_k_hat);
      CHECK(std::abs(mean_k_hat - shape) <= 4.0 * standard_error + shrinkage_bias);
    }
  }
}

TEST_CASE("psis reliability verdict uses the threshold for S") {
  const varia::PsisResult light = varia::psis(pareto_log_ratios(0.2, 10000, 5));
  CHECK(light.k_hat_threshold == 0.7);
  CHECK(light.reliable);

  const varia::PsisResult heavy = varia::psis(pareto_log_ratios(1.2, 10000, 5));
  CHECK(heavy.k_hat > 0.7);
  CHECK_FALSE(heavy.reliable);

  // At S = 100 the threshold is 0.5, so k near 0.6 is already unreliable.
  const varia::PsisResult small = varia::psis(pareto_log_ratios(0.2, 100, 5));
  CHECK(small.k_hat_threshold == Approx(0.5).epsilon(1e-14));
  CHECK(small.reliable == (small.k_hat <= 0.5));
}

TEST_CASE("psis wider Gaussian proposal gives small k-hat") {
  // p = N(0, 1) and q = N(0, 2^2): the ratios are bounded by 2, so the tail shape is negative.
  const auto target = [](double x) { return normal_log_density(x, 0.0, 1.0); };
  for (const std::uint64_t seed : {3u, 4u, 5u}) {
    const varia::PsisResult result =
        varia::psis(gaussian_proposal_log_ratios(2.0, target, 4000, seed));
    INFO("seed = " << seed << ", k_hat = " << result.k_hat);
    CHECK(result.k_hat < 0.5);
    CHECK(result.reliable);
  }
}

// Target: 8 independent Student-t coordinates with 3 degrees of freedom (sd 1.73); proposal
// q = N(0, 0.5^2 I). With x = 0.5 z the ratio grows like exp(|z|^2 / 2) times a polynomial, and
// |z|^2 is chi-square, so P(r > t) falls like 1 / t up to logarithmic factors and k is 1. The
// k-hat spread at S = 10000 is about 0.11; over seeds 1 to 100 its smallest value was 0.72 and its
// mean 0.99.
TEST_CASE("psis narrow proposal on Student-t gives large k-hat") {
  const int dimension = 8;
  const double proposal_sd = 0.5;
  const Eigen::Index draw_count = 10000;
  double k_hat_sum = 0.0;
  const std::vector<std::uint64_t> seeds = {3, 4, 5, 6, 7};
  for (const std::uint64_t seed : seeds) {
    TestRandom random(seed);
    Eigen::VectorXd log_ratios = Eigen::VectorXd::Zero(draw_count);
    for (Eigen::Index s = 0; s < draw_count; ++s) {
      for (int j = 0; j < dimension; ++j) {
        const double x = proposal_sd * random.normal();
        log_ratios(s) += student_t_log_density(x, 3.0) - normal_log_density(x, 0.0, proposal_sd);
      }
    }
    const varia::PsisResult result = varia::psis(log_ratios);
    INFO("seed = " << seed << ", k_hat = " << result.k_hat);
    CHECK(result.k_hat > 0.7);
    CHECK_FALSE(result.reliable);
    k_hat_sum += result.k_hat;
  }
  // Mean of 5 seeds, with standard error about 0.11 / sqrt(5) = 0.05.
  CHECK(k_hat_sum / static_cast<double>(seeds.size()) > 0.7 + 4.0 * 0.05);
}

TEST_CASE("psis smoothing keeps body, order and cap") {
  const Eigen::Index draw_count = 2000;
  const Eigen::VectorXd log_ratios = pareto_log_ratios(0.9, draw_count, 17);
  const varia::PsisResult result = varia::psis(log_ratios);
  const Eigen::Index tail_length = varia::psis_tail_length(draw_count);
  REQUIRE(result.tail_length == tail_length);

  // Weights sum to one.
  CHECK(result.log_weights.array().exp().sum() == Approx(1.0).epsilon(1e-13));

  // The body keeps its raw ratios up to the normalizing constant: recover the constant from the
  // smallest ratio, which is always in the body.
  Eigen::Index smallest = 0;
  log_ratios.minCoeff(&smallest);
  const double log_normalizer = log_ratios(smallest) - result.log_weights(smallest);
  std::vector<Eigen::Index> order(static_cast<std::size_t>(draw_count));
  for (Eigen::Index s = 0; s < draw_count; ++s) {
    order[static_cast<std::size_t>(s)] = s;
  }
  std::sort(order.begin(), order.end(),
            [&](Eigen::Index a, Eigen::Index b) { return log_ratios(a) < log_ratios(b); });
  Eigen::Index unchanged = 0;
  for (std::size_t j = 0; j < order.size(); ++j) {
    const Eigen::Index s = order[j];
    const double smoothed = result.log_weights(s) + log_normalizer;
    if (std::abs(smoothed - log_ratios(s)) <= 1e-12 * (1.0 + std::abs(log_ratios(s)))) {
      ++unchanged;
    }
    // Order kept, and no smoothed ratio above the largest raw ratio.
    if (j > 0) {
      CHECK(result.log_weights(s) >= result.log_weights(order[j - 1]));
    }
    CHECK(smoothed <= log_ratios.maxCoeff() + 1e-12);
  }
  CHECK(unchanged >= draw_count - tail_length);
  CHECK(unchanged < draw_count);
}

TEST_CASE("psis is invariant to shifting log ratios by 1000") {
  const Eigen::VectorXd log_ratios = pareto_log_ratios(0.7, 1000, 29);
  const varia::PsisResult base = varia::psis(log_ratios);
  const Eigen::VectorXd up = log_ratios.array() + 1000.0;
  const Eigen::VectorXd down = log_ratios.array() - 1000.0;
  for (const Eigen::VectorXd& shifted : {up, down}) {
    const varia::PsisResult result = varia::psis(shifted);
    CHECK(result.k_hat == Approx(base.k_hat).epsilon(1e-9));
    CHECK((result.log_weights - base.log_weights).cwiseAbs().maxCoeff() < 1e-9);
  }
}

TEST_CASE("psis matches arviz psislw") {
  for (const ArvizCase& reference : arviz_cases()) {
    INFO(reference.name);
    const varia::PsisResult result = varia::psis(reference.log_ratios);
    CHECK(result.k_hat == Approx(reference.k_hat).epsilon(1e-9).margin(1e-12));
    const Eigen::VectorXd doubled = 2.0 * result.log_weights;
    CHECK(log_sum_exp(doubled) ==
          Approx(reference.log_sum_of_squared_weights).epsilon(1e-9).margin(1e-12));
    for (const auto& [index, expected] : reference.log_weights) {
      INFO("index " << index);
      if (std::isinf(expected)) {
        CHECK(result.log_weights(index) == expected);
      } else {
        CHECK(result.log_weights(index) == Approx(expected).epsilon(1e-9).margin(1e-12));
      }
    }
  }
}

TEST_CASE("psis equal ratios give flat tail") {
  const Eigen::VectorXd log_ratios = Eigen::VectorXd::Constant(100, 3.7);
  const varia::PsisResult result = varia::psis(log_ratios);
  CHECK(result.k_hat == -infinity);
  CHECK(result.reliable);
  CHECK(result.tail_length == 0);
  CHECK((result.log_weights.array() + std::log(100.0)).abs().maxCoeff() < 1e-14);
}

TEST_CASE("psis below 21 draws does not smooth") {
  const Eigen::VectorXd twenty = pareto_log_ratios(0.5, 20, 7);
  const varia::PsisResult result = varia::psis(twenty);
  CHECK(result.k_hat == infinity);
  CHECK_FALSE(result.reliable);
  CHECK(result.tail_length == 0);
  const Eigen::VectorXd expected = twenty.array() - log_sum_exp(twenty);
  CHECK((result.log_weights - expected).cwiseAbs().maxCoeff() < 1e-14);

  const varia::PsisResult one = varia::psis(Eigen::VectorXd::Constant(1, -2.0));
  CHECK(one.k_hat == infinity);
  CHECK(one.log_weights(0) == 0.0);

  const varia::PsisResult equal_small = varia::psis(Eigen::VectorXd::Zero(10));
  CHECK(equal_small.k_hat == infinity);
  CHECK_FALSE(std::isnan(equal_small.log_weights.sum()));

  const varia::PsisResult twenty_one = varia::psis(pareto_log_ratios(0.5, 21, 7));
  CHECK(twenty_one.tail_length == 5);
  CHECK(std::isfinite(twenty_one.k_hat));
}

TEST_CASE("psis few ratios above a tied threshold") {
  // 998 equal ratios and two larger ones: only 2 positive excesses, too few to fit.
  Eigen::VectorXd log_ratios = Eigen::VectorXd::Zero(1000);
  log_ratios(10) = 5.0;
  log_ratios(500) = 6.0;
  const varia::PsisResult result = varia::psis(log_ratios);
  CHECK(result.k_hat == infinity);
  CHECK_FALSE(result.reliable);
  CHECK(result.tail_length == 0);
  CHECK(result.log_weights.array().exp().sum() == Approx(1.0).epsilon(1e-13));
}

TEST_CASE("psis ties shorten the fitted tail") {
  // 900 ratios below 0, 50 tied at 0 and 50 above: the threshold (the 96th largest) is 0, and
  // only the 50 ratios above it are fitted and smoothed.
  Eigen::VectorXd log_ratios(1000);
  log_ratios.head(900) = -pareto_log_ratios(0.5, 900, 13).array() - 0.1;
  log_ratios.segment(900, 50).setZero();
  log_ratios.tail(50) = pareto_log_ratios(0.5, 50, 19).array() + 0.1;
  const varia::PsisResult result = varia::psis(log_ratios);
  CHECK(result.tail_length == 50);
  CHECK(std::isfinite(result.k_hat));
  // The tied ratios keep equal weights.
  CHECK(result.log_weights(900) == result.log_weights(949));
  CHECK(result.log_weights.array().exp().sum() == Approx(1.0).epsilon(1e-13));
}

TEST_CASE("psis rejects invalid log ratios") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Eigen::VectorXd with_nan = Eigen::VectorXd::Zero(30);
  with_nan(2) = nan;
  CHECK_THROWS_AS(varia::psis(with_nan), std::invalid_argument);
  CHECK_THROWS_WITH(varia::psis(with_nan),
                    "varia::psis: log_ratios(2) is nan, but must be finite or -inf");

  Eigen::VectorXd with_infinity = Eigen::VectorXd::Zero(30);
  with_infinity(29) = infinity;
  CHECK_THROWS_WITH(varia::psis(with_infinity),
                    "varia::psis: log_ratios(29) is inf, but must be finite or -inf");

  CHECK_THROWS_WITH(varia::psis(Eigen::VectorXd(0)),
                    "varia::psis: log_ratios is empty, but must have at least one element");

  CHECK_THROWS_WITH(
      varia::psis(Eigen::VectorXd::Constant(30, -infinity)),
      "varia::psis: log_ratios is -inf everywhere, but must have at least one finite entry");

  CHECK_THROWS_WITH(varia::psis_tail_length(0),
                    "varia::psis_tail_length: draw_count is 0, but must be at least 1");
  CHECK_THROWS_WITH(varia::psis_k_hat_threshold(-3),
                    "varia::psis_k_hat_threshold: draw_count is -3, but must be at least 1");
}
