#include <varia/optim/advi_step_sequence.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include <Eigen/Core>

#include "support/catch.hpp"

namespace {

template <class F>
std::string invalid_argument_message(F&& function) {
  try {
    function();
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "no std::invalid_argument was thrown";
}

Eigen::VectorXd vector3(double a, double b, double c) {
  Eigen::VectorXd v(3);
  v << a, b, c;
  return v;
}

}  // namespace

TEST_CASE("AdviStepSequence first step uses s1 = g1^2", "[optim]") {
  // rho_1 = eta / (tau + |g1|), so with eta = 0.5 and tau = 1 the step is -0.5 g / (1 + |g|):
  // -0.15 / 1.3, 0.05 / 1.1 and -1 / 3.
  varia::AdviStepSequence advi({.eta = 0.5});
  const Eigen::VectorXd x0 = vector3(1.0, -2.0, 0.5);
  Eigen::VectorXd x = x0;
  advi.initialize(x);
  CHECK(advi.step_size() == 0.5);
  advi.step(x, vector3(0.3, -0.1, 2.0));
  CHECK(x[0] - x0[0] == Approx(-0.15 / 1.3).epsilon(1e-14));
  CHECK(x[1] - x0[1] == Approx(0.05 / 1.1).epsilon(1e-14));
  CHECK(x[2] - x0[2] == Approx(-1.0 / 3.0).epsilon(1e-14));
  CHECK(advi.step_size() == 0.5);
  CHECK(advi.iteration() == 1);
}

TEST_CASE("AdviStepSequence second step", "[optim]") {
  // s2 = 0.1 g2^2 + 0.9 g1^2 and rho_2 = eta 2^(-1/2 + 1e-16) / (1 + sqrt(s2)); 2^(1e-16)
  // rounds to 1, so the factor is eta / sqrt(2) to double precision.
  const double eta = 0.5;
  varia::AdviStepSequence advi({.eta = eta});
  const Eigen::VectorXd g1 = vector3(0.3, -0.1, 2.0);
  const Eigen::VectorXd g2 = vector3(-1.0, 0.4, 0.0);
  Eigen::VectorXd x = vector3(1.0, -2.0, 0.5);
  advi.initialize(x);
  advi.step(x, g1);
  const Eigen::VectorXd x1 = x;
  advi.step(x, g2);
  for (Eigen::Index i = 0; i < 3; ++i) {
    const double s2 = 0.1 * g2[i] * g2[i] + 0.9 * g1[i] * g1[i];
    const double expected = -eta / std::sqrt(2.0) * g2[i] / (1.0 + std::sqrt(s2));
    CHECK(x[i] - x1[i] == Approx(expected).epsilon(1e-13).margin(1e-300));
  }
  CHECK(x[2] == x1[2]);
  CHECK(advi.step_size() == Approx(eta / std::sqrt(2.0)).epsilon(1e-15));
}

TEST_CASE("AdviStepSequence options alpha tau and exponent", "[optim]") {
  // alpha = 1 keeps only the newest squared gradient, tau = 2, and exponent_offset = 0.25 makes
  // the schedule k^(-1/4): rho_2 = 2^(-1/4) / (2 + |g2|).
  varia::AdviStepSequence advi({.eta = 1.0, .alpha = 1.0, .tau = 2.0, .exponent_offset = 0.25});
  Eigen::VectorXd x = Eigen::VectorXd::Zero(1);
  advi.initialize(x);
  advi.step(x, Eigen::VectorXd::Constant(1, 5.0));
  CHECK(x[0] == Approx(-5.0 / 7.0).epsilon(1e-14));
  const double x1 = x[0];
  advi.step(x, Eigen::VectorXd::Constant(1, 3.0));
  CHECK(x[0] - x1 == Approx(-std::pow(2.0, -0.25) * 3.0 / 5.0).epsilon(1e-14));
}

TEST_CASE("AdviStepSequence rejects bad options", "[optim]") {
  CHECK(invalid_argument_message([] { varia::AdviStepSequence({.eta = -1.0}); }) ==
        "varia::AdviStepSequence: eta is -1, but must be positive and finite");
  CHECK(invalid_argument_message([] { varia::AdviStepSequence({.alpha = 0.0}); }) ==
        "varia::AdviStepSequence: alpha is 0, but must be in (0, 1]");
  CHECK(invalid_argument_message([] { varia::AdviStepSequence({.alpha = 1.5}); }) ==
        "varia::AdviStepSequence: alpha is 1.5, but must be in (0, 1]");
  CHECK(invalid_argument_message([] { varia::AdviStepSequence({.tau = 0.0}); }) ==
        "varia::AdviStepSequence: tau is 0, but must be positive and finite");
  CHECK(invalid_argument_message([] { varia::AdviStepSequence({.exponent_offset = 0.5}); }) ==
        "varia::AdviStepSequence: exponent_offset is 0.5, but must be in [0, 0.5)");
  CHECK(invalid_argument_message([] { varia::AdviStepSequence({.exponent_offset = -1e-3}); }) ==
        "varia::AdviStepSequence: exponent_offset is -0.001, but must be in [0, 0.5)");
  CHECK(invalid_argument_message([] {
          varia::AdviStepSequence({.alpha = std::numeric_limits<double>::quiet_NaN()});
        }) == "varia::AdviStepSequence: alpha is nan, but must be in (0, 1]");
  CHECK_NOTHROW(varia::AdviStepSequence({.exponent_offset = 0.0}));
}
