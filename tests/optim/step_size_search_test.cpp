#include <varia/optim/advi_step_sequence.hpp>
#include <varia/optim/sgd.hpp>
#include <varia/optim/step_size_search.hpp>

#include <cmath>
#include <cstddef>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "support/catch.hpp"

namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();
constexpr double infinity = std::numeric_limits<double>::infinity();

template <class F>
std::string invalid_argument_message(F&& function) {
  try {
    function();
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "no std::invalid_argument was thrown";
}

// A trial that looks up each default candidate's objective in a table and counts its calls.
struct TableTrial {
  std::map<double, double> objectives;
  int calls = 0;
  double operator()(double step_size) {
    ++calls;
    return objectives.at(step_size);
  }
};

TableTrial make_table(double at100, double at10, double at1, double at01, double at001) {
  return TableTrial{{{100.0, at100}, {10.0, at10}, {1.0, at1}, {0.1, at01}, {0.01, at001}}};
}

// f(x) = sum_i lambda_i (x_i - 1)^2 / 2 with lambda_i = 10^(3 i / 9), i = 0..9.
struct DiagonalQuadratic {
  Eigen::VectorXd curvature =
      Eigen::VectorXd::LinSpaced(10, 0.0, 3.0).unaryExpr([](double exponent) {
        return std::pow(10.0, exponent);
      });

  double value(const Eigen::VectorXd& x) const {
    return 0.5 * (curvature.array() * (x.array() - 1.0).square()).sum();
  }
  Eigen::VectorXd gradient(const Eigen::VectorXd& x) const {
    return (curvature.array() * (x.array() - 1.0)).matrix();
  }
};

// Runs `iterations` steps of optimizer from zero and returns the objective at the end, or
// infinity once a gradient is not finite, as a fitting loop would report divergence.
template <class O>
double run_trial(O optimizer, const DiagonalQuadratic& quadratic, int iterations) {
  Eigen::VectorXd x = Eigen::VectorXd::Zero(10);
  optimizer.initialize(x);
  for (int t = 0; t < iterations; ++t) {
    const Eigen::VectorXd gradient = quadratic.gradient(x);
    if (!gradient.allFinite()) {
      return infinity;
    }
    optimizer.step(x, gradient);
  }
  return quadratic.value(x);
}

}  // namespace

TEST_CASE("search_step_size skips diverged candidates", "[optim]") {
  TableTrial trial = make_table(not_a_number, infinity, 3.0, 1.0, 2.0);
  const varia::StepSizeSearchResult result = varia::search_step_size(trial);
  CHECK(result.step_size == 0.1);
  CHECK(result.objective == 1.0);
  REQUIRE(result.objectives.size() == 5);
  CHECK(std::isnan(result.objectives[0]));
  CHECK(result.objectives[1] == infinity);
  CHECK(result.objectives[4] == 2.0);
  CHECK(trial.calls == 5);
}

TEST_CASE("search_step_size stops at first worse candidate", "[optim]") {
  TableTrial trial = make_table(5.0, 2.0, 4.0, 1.0, 0.0);
  const varia::StepSizeSearchResult result = varia::search_step_size(trial);
  CHECK(result.step_size == 10.0);
  CHECK(result.objective == 2.0);
  CHECK(result.objectives == std::vector<double>{5.0, 2.0, 4.0});
  CHECK(trial.calls == 3);

  TableTrial exhaustive_trial = make_table(5.0, 2.0, 4.0, 1.0, 0.0);
  const varia::StepSizeSearchResult exhaustive =
      varia::search_step_size(exhaustive_trial, {.stop_when_worse = false});
  CHECK(exhaustive.step_size == 0.01);
  CHECK(exhaustive.objective == 0.0);
  CHECK(exhaustive_trial.calls == 5);
}

TEST_CASE("search_step_size keeps earliest of ties", "[optim]") {
  TableTrial trial = make_table(2.0, 2.0, 3.0, 0.0, 0.0);
  const varia::StepSizeSearchResult result = varia::search_step_size(trial);
  CHECK(result.step_size == 100.0);
  CHECK(result.objectives.size() == 3);
}

TEST_CASE("search_step_size throws when every candidate diverges", "[optim]") {
  TableTrial trial = make_table(not_a_number, infinity, -infinity, not_a_number, infinity);
  CHECK_THROWS_AS(varia::search_step_size(trial), std::runtime_error);
  CHECK_THROWS_WITH(varia::search_step_size(trial),
                    "varia::search_step_size: the trial run diverged for every candidate step "
                    "size, but at least one must reach a finite objective; try smaller "
                    "candidates");
}

TEST_CASE("search_step_size rejects bad candidates", "[optim]") {
  const auto trial = [](double step_size) { return step_size; };
  CHECK(invalid_argument_message([&] { varia::search_step_size(trial, {.candidates = {}}); }) ==
        "varia::search_step_size: candidates' size is 0, but must be at least 1");
  CHECK(invalid_argument_message([&] {
          varia::search_step_size(trial, {.candidates = {1.0, -1.0}});
        }) == "varia::search_step_size: candidates[1] is -1, but must be positive and finite");
  CHECK(invalid_argument_message([&] {
          varia::search_step_size(trial, {.candidates = {infinity}});
        }) == "varia::search_step_size: candidates[0] is inf, but must be positive and finite");
}

TEST_CASE("search_step_size finds stable gradient descent step", "[optim]") {
  // Gradient descent with learning rate eta / 1000 contracts coordinate i by |1 - lr lambda_i|
  // per step: lr = 0.1 and 0.01 make the stiffest coordinate (lambda = 1000) grow by 99 and 9
  // per step, which overflows within 200 steps, while lr = 1e-3 contracts every coordinate
  // fastest (and the stiffest one exactly to zero). So eta = 1 wins and 100 and 10 diverge.
  const DiagonalQuadratic quadratic;
  const auto trial = [&](double eta) {
    return run_trial(varia::Sgd({.learning_rate = eta * 1e-3, .momentum = 0.0}), quadratic, 200);
  };
  const varia::StepSizeSearchResult result = varia::search_step_size(trial);
  CHECK(result.step_size == 1.0);
  REQUIRE(result.objectives.size() >= 3);
  CHECK(!std::isfinite(result.objectives[0]));
  CHECK(!std::isfinite(result.objectives[1]));
  CHECK(result.objective < quadratic.value(Eigen::VectorXd::Zero(10)));
}

TEST_CASE("search_step_size picks best ADVI eta on quadratic", "[optim]") {
  const DiagonalQuadratic quadratic;
  const auto trial = [&](double eta) {
    return run_trial(varia::AdviStepSequence({.eta = eta}), quadratic, 100);
  };
  const varia::StepSizeSearchOptions options;
  // The best candidate by direct evaluation of every trial.
  double best_eta = 0.0;
  double best_objective = infinity;
  for (const double eta : options.candidates) {
    const double objective = trial(eta);
    if (std::isfinite(objective) && objective < best_objective) {
      best_eta = eta;
      best_objective = objective;
    }
  }
  REQUIRE(best_objective < quadratic.value(Eigen::VectorXd::Zero(10)));

  const varia::StepSizeSearchResult exhaustive =
      varia::search_step_size(trial, {.stop_when_worse = false});
  CHECK(exhaustive.step_size == best_eta);
  CHECK(exhaustive.objective == best_objective);

  const varia::StepSizeSearchResult early = varia::search_step_size(trial, options);
  for (const double objective : early.objectives) {
    if (std::isfinite(objective)) {
      CHECK(early.objective <= objective);
    }
  }
}
