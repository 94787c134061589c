// Behaviour that every optimizer shares: the Optimizer concept, convergence on an ill-conditioned
// quadratic, reduce_step_size, re-initialization, determinism and the checks of step's arguments.
#include <varia/optim/adam.hpp>
#include <varia/optim/advi_step_sequence.hpp>
#include <varia/optim/averaging.hpp>
#include <varia/optim/dog.hpp>
#include <varia/optim/dowg.hpp>
#include <varia/optim/optimizer.hpp>
#include <varia/optim/sgd.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "support/catch.hpp"
#if __has_include(<catch2/catch_template_test_macros.hpp>)
#include <catch2/catch_template_test_macros.hpp>
#endif

static_assert(varia::Optimizer<varia::Sgd>);
static_assert(varia::Optimizer<varia::Adam>);
static_assert(varia::Optimizer<varia::AdviStepSequence>);
static_assert(varia::Optimizer<varia::Dog>);
static_assert(varia::Optimizer<varia::Dowg>);
static_assert(!varia::Optimizer<varia::PolynomialDecayAverage>);
static_assert(!varia::Optimizer<double>);

namespace {

// Each case names an optimizer type, the name it uses in error messages and a configuration
// that suits the quadratic below (largest curvature 1000).
struct SgdCase {
  static constexpr const char* name = "varia::Sgd";
  static varia::Sgd make() { return varia::Sgd({.learning_rate = 1e-3, .momentum = 0.9}); }
};

struct NesterovCase {
  [[maybe_unused]] static constexpr const char* name = "varia::Sgd";
  static varia::Sgd make() {
    return varia::Sgd({.learning_rate = 1e-3, .momentum = 0.9, .nesterov = true});
  }
};

struct AdamCase {
  static constexpr const char* name = "varia::Adam";
  static varia::Adam make() { return varia::Adam({.learning_rate = 1e-2}); }
};

struct AdviCase {
  static constexpr const char* name = "varia::AdviStepSequence";
  static varia::AdviStepSequence make() { return varia::AdviStepSequence({.eta = 0.1}); }
};

struct DogCase {
  static constexpr const char* name = "varia::Dog";
  static varia::Dog make() { return varia::Dog(); }
};

struct DowgCase {
  static constexpr const char* name = "varia::Dowg";
  static varia::Dowg make() { return varia::Dowg(); }
};

// f(x) = (x - m)' A (x - m) / 2 in d = 10 with A = H diag(lambda) H, lambda_i = 10^(3 i / 9) for
// i = 0..9 (condition number 1000) and H the Householder reflection along (1, 2, ..., 10), so A
// is not diagonal. The minimizer is m_i = cos(1 + i).
struct Quadratic {
  Eigen::MatrixXd hessian;
  Eigen::VectorXd minimizer;
  Eigen::VectorXd eigenvalues;

  Quadratic() {
    const int dimension = 10;
    eigenvalues.resize(dimension);
    minimizer.resize(dimension);
    Eigen::VectorXd direction(dimension);
    for (int i = 0; i < dimension; ++i) {
      eigenvalues[i] = std::pow(10.0, 3.0 * i / (dimension - 1));
      minimizer[i] = std::cos(1.0 + i);
      direction[i] = 1.0 + i;
    }
    direction.normalize();
    const Eigen::MatrixXd reflection =
        Eigen::MatrixXd::Identity(dimension, dimension) - 2.0 * direction * direction.transpose();
    hessian = reflection * eigenvalues.asDiagonal() * reflection;
  }

  Eigen::VectorXd gradient(const Eigen::VectorXd& x) const { return hessian * (x - minimizer); }
};

// Standard normal draws from std::mt19937_64 with a fixed bits-to-double conversion and the
// Box-Muller transform, so the sequence is the same on every platform.
class NormalGenerator {
 public:
  explicit NormalGenerator(std::uint64_t seed) : engine_(seed) {}

  double operator()() {
    const double u1 = uniform_open_closed();
    const double u2 = uniform_open_closed();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }

 private:
  // The top 53 bits of a draw, plus one, times 2^-53: uniform on (0, 1], so log(u) is finite.
  double uniform_open_closed() { return static_cast<double>((engine_() >> 11) + 1) * 0x1.0p-53; }

  std::mt19937_64 engine_;
};

template <class F>
std::string invalid_argument_message(F&& function) {
  try {
    function();
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "no std::invalid_argument was thrown";
}

// Runs the optimizer from x0 on the quadratic with gradients plus noise_scale times standard
// normal noise, and returns every iterate.
template <class O>
std::vector<Eigen::VectorXd> run(O& optimizer, const Quadratic& quadratic,
                                 const Eigen::VectorXd& x0, int steps, double noise_scale,
                                 std::uint64_t seed) {
  NormalGenerator normal(seed);
  Eigen::VectorXd x = x0;
  optimizer.initialize(x0);
  std::vector<Eigen::VectorXd> iterates;
  for (int t = 0; t < steps; ++t) {
    Eigen::VectorXd gradient = quadratic.gradient(x);
    for (Eigen::Index i = 0; i < gradient.size(); ++i) {
      gradient[i] += noise_scale * normal();
    }
    optimizer.step(x, gradient);
    iterates.push_back(x);
  }
  return iterates;
}

}  // namespace

TEMPLATE_TEST_CASE("optimizer converges on ill-conditioned quadratic", "[optim]", SgdCase,
                   NesterovCase, AdamCase, AdviCase, DogCase, DowgCase) {
  const Quadratic quadratic;
  auto optimizer = TestType::make();
  Eigen::VectorXd x = Eigen::VectorXd::Zero(10);
  optimizer.initialize(x);
  for (int t = 0; t < 20000; ++t) {
    optimizer.step(x, quadratic.gradient(x));
  }
  // Every method converges linearly on this problem; 20000 steps reach 1e-6 with room to spare
  // for the slowest (DoG), and the averaged iterates of DoG and DoWG lag the last one.
  CHECK((x - quadratic.minimizer).norm() < 1e-6);
  CHECK((optimizer.averaged(x) - quadratic.minimizer).norm() < 1e-5);
}

TEMPLATE_TEST_CASE("reduce_step_size scales the next step", "[optim]", SgdCase, NesterovCase,
                   AdamCase, AdviCase, DogCase, DowgCase) {
  const Quadratic quadratic;
  auto optimizer = TestType::make();
  Eigen::VectorXd x = Eigen::VectorXd::Zero(10);
  optimizer.initialize(x);
  for (int t = 0; t < 5; ++t) {
    optimizer.step(x, quadratic.gradient(x));
  }
  auto reduced = optimizer;
  const double factor = 0.25;
  reduced.reduce_step_size(factor);
  const double step_size_before = optimizer.step_size();
  const Eigen::VectorXd gradient = quadratic.gradient(x);
  Eigen::VectorXd x_full = x;
  Eigen::VectorXd x_reduced = x;
  optimizer.step(x_full, gradient);
  reduced.step(x_reduced, gradient);
  const Eigen::VectorXd full_step = x_full - x;
  const Eigen::VectorXd reduced_step = x_reduced - x;
  REQUIRE(full_step.norm() > 0.0);
  CHECK((reduced_step - factor * full_step).norm() <= 1e-12 * full_step.norm());
  CHECK(reduced.step_size() == Approx(factor * optimizer.step_size()).epsilon(1e-12));
  CHECK(step_size_before > 0.0);
}

TEMPLATE_TEST_CASE("initialize resets optimizer state", "[optim]", SgdCase, NesterovCase, AdamCase,
                   AdviCase, DogCase, DowgCase) {
  const Quadratic quadratic;
  const Eigen::VectorXd x0 = Eigen::VectorXd::Constant(10, 0.5);
  auto fresh = TestType::make();
  const std::vector<Eigen::VectorXd> expected = run(fresh, quadratic, x0, 50, 0.1, 7);

  auto reused = TestType::make();
  run(reused, quadratic, Eigen::VectorXd::Zero(10), 30, 1.0, 3);
  reused.reduce_step_size(0.5);
  // A different dimension in between must be accepted as well.
  reused.initialize(Eigen::VectorXd::Ones(3));
  const std::vector<Eigen::VectorXd> actual = run(reused, quadratic, x0, 50, 0.1, 7);

  REQUIRE(actual.size() == expected.size());
  for (std::size_t t = 0; t < expected.size(); ++t) {
    CHECK(actual[t] == expected[t]);
  }
  CHECK(reused.step_size() == fresh.step_size());
  CHECK(reused.averaged(actual.back()) == fresh.averaged(expected.back()));
}

TEMPLATE_TEST_CASE("optimizer is deterministic", "[optim]", SgdCase, NesterovCase, AdamCase,
                   AdviCase, DogCase, DowgCase) {
  const Quadratic quadratic;
  const Eigen::VectorXd x0 = Eigen::VectorXd::Zero(10);
  auto first = TestType::make();
  auto second = TestType::make();
  const std::vector<Eigen::VectorXd> first_iterates = run(first, quadratic, x0, 200, 1.0, 11);
  const std::vector<Eigen::VectorXd> second_iterates = run(second, quadratic, x0, 200, 1.0, 11);
  REQUIRE(first_iterates.size() == second_iterates.size());
  for (std::size_t t = 0; t < first_iterates.size(); ++t) {
    CHECK(first_iterates[t] == second_iterates[t]);
  }
  CHECK(first.averaged(first_iterates.back()) == second.averaged(second_iterates.back()));
}

TEMPLATE_TEST_CASE("optimizer rejects bad arguments", "[optim]", SgdCase, AdamCase, AdviCase,
                   DogCase, DowgCase) {
  const std::string name = TestType::name;
  auto optimizer = TestType::make();
  Eigen::VectorXd x = Eigen::VectorXd::Zero(4);
  Eigen::VectorXd gradient = Eigen::VectorXd::Ones(4);
  const std::string not_initialized =
      ": the optimizer is not initialized, but must be: call initialize(x0) first";

  SECTION("calls before initialize") {
    CHECK(invalid_argument_message([&] { optimizer.step(x, gradient); }) ==
          name + "::step" + not_initialized);
    CHECK(invalid_argument_message([&] { optimizer.reduce_step_size(0.5); }) ==
          name + "::reduce_step_size" + not_initialized);
    CHECK(invalid_argument_message([&] { (void)optimizer.averaged(x); }) ==
          name + "::averaged" + not_initialized);
  }

  SECTION("bad initial point") {
    CHECK(invalid_argument_message([&] { optimizer.initialize(Eigen::VectorXd()); }) ==
          name + "::initialize: x0's size is 0, but must be at least 1");
    Eigen::VectorXd x0 = Eigen::VectorXd::Zero(3);
    x0[1] = std::numeric_limits<double>::infinity();
    CHECK(invalid_argument_message([&] { optimizer.initialize(x0); }) ==
          name + "::initialize: x0[1] is inf, but must be finite");
  }

  SECTION("bad step arguments") {
    optimizer.initialize(x);
    Eigen::VectorXd short_x = Eigen::VectorXd::Zero(3);
    CHECK(invalid_argument_message([&] { optimizer.step(short_x, gradient); }) ==
          name + "::step: x's size is 3, but must be the dimension passed to initialize, 4");
    const Eigen::VectorXd long_gradient = Eigen::VectorXd::Ones(5);
    CHECK(invalid_argument_message([&] { optimizer.step(x, long_gradient); }) ==
          name + "::step: gradient's size is 5, but must be the dimension passed to initialize, 4");
    gradient[2] = std::numeric_limits<double>::quiet_NaN();
    CHECK(invalid_argument_message([&] { optimizer.step(x, gradient); }) ==
          name + "::step: gradient[2] is nan, but must be finite");
    gradient[2] = 1.0;
    gradient[3] = -std::numeric_limits<double>::infinity();
    CHECK(invalid_argument_message([&] { optimizer.step(x, gradient); }) ==
          name + "::step: gradient[3] is -inf, but must be finite");
    gradient[3] = 1.0;
    x[0] = std::numeric_limits<double>::quiet_NaN();
    CHECK(invalid_argument_message([&] { optimizer.step(x, gradient); }) ==
          name + "::step: x[0] is nan, but must be finite");
    CHECK(invalid_argument_message([&] { (void)optimizer.averaged(short_x); }) ==
          name + "::averaged: x's size is 3, but must be the dimension passed to initialize, 4");
  }

  SECTION("bad reduction factor") {
    optimizer.initialize(x);
    for (const double factor : {0.0, 1.0, -0.5, 2.0}) {
      CHECK(invalid_argument_message([&] { optimizer.reduce_step_size(factor); }) ==
            name + "::reduce_step_size: factor is " + varia::detail::optim::format_value(factor) +
                ", but must be in (0, 1)");
    }
    CHECK(invalid_argument_message([&] {
            optimizer.reduce_step_size(std::numeric_limits<double>::quiet_NaN());
          }) == name + "::reduce_step_size: factor is nan, but must be in (0, 1)");
  }

  SECTION("failed step leaves state unchanged") {
    optimizer.initialize(x);
    auto copy = optimizer;
    gradient[1] = std::numeric_limits<double>::quiet_NaN();
    Eigen::VectorXd x_rejected = x;
    CHECK_THROWS_AS(optimizer.step(x_rejected, gradient), std::invalid_argument);
    CHECK(x_rejected == x);
    gradient[1] = 1.0;
    Eigen::VectorXd x_original = x;
    Eigen::VectorXd x_copy = x;
    optimizer.step(x_original, gradient);
    copy.step(x_copy, gradient);
    CHECK(x_original == x_copy);
  }
}

// On f(x) = (x - m)' A (x - m) / 2 with gradient noise N(0, sigma^2 I), the averaged iterate
// approaches the asymptotic law of Polyak and Juditsky (1992), xbar - m ~ A^-1 (weighted mean of
// the noise). Its mean squared norm is sigma^2 tr(A^-2) / n_eff, with n_eff = 1 / sum w_i^2 for
// the final averaging weights w_i. The last iterate instead keeps a noise floor set by the step
// size. Over 20 seeded runs, the mean squared error of the averaged iterate must be below that of
// the last iterate and below twice the asymptotic value. One squared error is a weighted sum of
// chi-square variables with tr(A^-2)^2 / tr(A^-4) = 1.55 effective degrees of freedom, so its
// relative standard deviation is sqrt(2 / 1.55) = 1.14. The mean of 20 then has a relative
// standard error of 0.25, and 2 is 4 standard errors above 1.
TEMPLATE_TEST_CASE("averaged iterate beats last iterate under noise", "[optim]", DogCase,
                   DowgCase) {
  const Quadratic quadratic;
  const int steps = 20000;
  const int runs = 20;
  const double noise_scale = 1.0;
  const Eigen::VectorXd x0 = Eigen::VectorXd::Zero(10);

  double averaged_squared_error = 0.0;
  double last_squared_error = 0.0;
  for (int r = 0; r < runs; ++r) {
    auto optimizer = TestType::make();
    const std::vector<Eigen::VectorXd> iterates =
        run(optimizer, quadratic, x0, steps, noise_scale, 1000 + static_cast<std::uint64_t>(r));
    averaged_squared_error +=
        (optimizer.averaged(iterates.back()) - quadratic.minimizer).squaredNorm() / runs;
    last_squared_error += (iterates.back() - quadratic.minimizer).squaredNorm() / runs;
  }

  // Final weight of iterate i: w_i = a_i prod_{j > i} (1 - a_j) with a_j = (gamma + 1)/(j + gamma).
  const double gamma = 8.0;
  double sum_of_squared_weights = 0.0;
  double survival = 1.0;
  for (int i = steps; i >= 1; --i) {
    const double a = (gamma + 1.0) / (i + gamma);
    const double weight = a * survival;
    sum_of_squared_weights += weight * weight;
    survival *= 1.0 - a;
  }
  const double trace_inverse_squared = quadratic.eigenvalues.array().inverse().square().sum();
  const double asymptotic_squared_error =
      noise_scale * noise_scale * trace_inverse_squared * sum_of_squared_weights;

  CHECK(averaged_squared_error < last_squared_error);
  CHECK(averaged_squared_error < 2.0 * asymptotic_squared_error);
}
