#include <varia/optim/dowg.hpp>

#include <cmath>
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

Eigen::VectorXd vector2(double a, double b) {
  Eigen::VectorXd v(2);
  v << a, b;
  return v;
}

void check_close(const Eigen::VectorXd& actual, const Eigen::VectorXd& expected) {
  REQUIRE(actual.size() == expected.size());
  for (Eigen::Index i = 0; i < expected.size(); ++i) {
    CHECK(actual[i] == Approx(expected[i]).epsilon(1e-13));
  }
}

}  // namespace

TEST_CASE("Dowg first step has length r_eps", "[optim]") {
  // v_0 = r_eps^2 ||g||^2, so eta_0 = r_eps / ||g|| and the step has length r_eps = 6e-6.
  varia::Dowg dowg;
  const Eigen::VectorXd x0 = vector2(3.0, 4.0);
  Eigen::VectorXd x = x0;
  dowg.initialize(x);
  dowg.step(x, vector2(1.0, 2.0));
  CHECK((x - x0).norm() == Approx(6e-6).epsilon(1e-9));
  CHECK(x[0] - x0[0] == Approx(-6e-6 / std::sqrt(5.0)).epsilon(1e-9));
  CHECK(x[1] - x0[1] == Approx(-12e-6 / std::sqrt(5.0)).epsilon(1e-9));
  CHECK(dowg.step_size() == Approx(6e-6 / std::sqrt(5.0)).epsilon(1e-14));
  CHECK(dowg.averaged(x) == x);
}

TEST_CASE("Dowg steps and averages by hand", "[optim]") {
  // r_eps = 0.1 (1 + 5) = 0.6, as in the Dog test; the steps differ once rbar grows.
  varia::Dowg dowg({.relative_initial_movement = 0.1});
  const Eigen::VectorXd x0 = vector2(3.0, 4.0);
  const Eigen::VectorXd g0 = vector2(1.0, 2.0);
  const Eigen::VectorXd g1 = vector2(-2.0, 0.5);
  const Eigen::VectorXd g2 = vector2(3.0, 1.0);
  Eigen::VectorXd x = x0;
  dowg.initialize(x);

  dowg.step(x, g0);
  const Eigen::VectorXd x1 = x0 - 0.6 / std::sqrt(5.0) * g0;
  check_close(x, x1);

  // rbar_1 = 0.6: v_1 = 0.36 (5 + 4.25), eta_1 = 0.36 / sqrt(v_1) = 0.6 / sqrt(9.25).
  dowg.step(x, g1);
  const Eigen::VectorXd x2 = x1 - 0.6 / std::sqrt(9.25) * g1;
  check_close(x, x2);

  // rbar_2 = ||x2 - x0||: v_2 = v_1 + rbar_2^2 * 10 and eta_2 = rbar_2^2 / sqrt(v_2).
  const double rbar2 = (x2 - x0).norm();
  REQUIRE(rbar2 > 0.6);
  const double v2 = 0.36 * 9.25 + rbar2 * rbar2 * 10.0;
  const double eta2 = rbar2 * rbar2 / std::sqrt(v2);
  // Distinct from DoG's rbar_2 / sqrt(19.25), so the test distinguishes the two rules.
  REQUIRE(std::abs(eta2 - rbar2 / std::sqrt(19.25)) > 1e-3 * eta2);
  dowg.step(x, g2);
  const Eigen::VectorXd x3 = x2 - eta2 * g2;
  check_close(x, x3);
  CHECK(dowg.step_size() == Approx(eta2).epsilon(1e-14));
  const Eigen::VectorXd average3 = (2.0 / 11.0) * (0.1 * x1 + 0.9 * x2) + (9.0 / 11.0) * x3;
  check_close(dowg.averaged(x), average3);
}

TEST_CASE("Dowg rejects bad options", "[optim]") {
  CHECK(invalid_argument_message([] { varia::Dowg({.relative_initial_movement = -1e-6}); }) ==
        "varia::Dowg: relative_initial_movement is -1e-06, but must be positive and finite");
  CHECK(invalid_argument_message([] { varia::Dowg({.averaging_gamma = -0.5}); }) ==
        "varia::Dowg: averaging_gamma is -0.5, but must be non-negative and finite");
}
