#include <varia/optim/dog.hpp>

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

TEST_CASE("Dog first step has length r_eps", "[optim]") {
  // ||x0|| = 5, so r_eps = 1e-6 (1 + 5) = 6e-6, and the step is -r_eps g / ||g||.
  varia::Dog dog;
  const Eigen::VectorXd x0 = vector2(3.0, 4.0);
  const Eigen::VectorXd g = vector2(1.0, 2.0);
  Eigen::VectorXd x = x0;
  dog.initialize(x);
  CHECK(dog.initial_movement() == Approx(6e-6).epsilon(1e-15));
  CHECK(dog.step_size() == 0.0);
  dog.step(x, g);
  CHECK((x - x0).norm() == Approx(6e-6).epsilon(1e-9));
  CHECK(x[0] - x0[0] == Approx(-6e-6 / std::sqrt(5.0)).epsilon(1e-9));
  CHECK(x[1] - x0[1] == Approx(-12e-6 / std::sqrt(5.0)).epsilon(1e-9));
  CHECK(dog.step_size() == Approx(6e-6 / std::sqrt(5.0)).epsilon(1e-15));
  CHECK(dog.averaged(x) == x);
}

TEST_CASE("Dog steps and averages by hand", "[optim]") {
  // relative_initial_movement = 0.1 and x0 = (3, 4) give r_eps = 0.6, large enough for the
  // distance term to take over at the third step.
  varia::Dog dog({.relative_initial_movement = 0.1});
  const Eigen::VectorXd x0 = vector2(3.0, 4.0);
  const Eigen::VectorXd g0 = vector2(1.0, 2.0);
  const Eigen::VectorXd g1 = vector2(-2.0, 0.5);
  const Eigen::VectorXd g2 = vector2(3.0, 1.0);
  Eigen::VectorXd x = x0;
  dog.initialize(x);

  // eta_0 = 0.6 / sqrt(5).
  dog.step(x, g0);
  const Eigen::VectorXd x1 = x0 - 0.6 / std::sqrt(5.0) * g0;
  check_close(x, x1);

  // ||x1 - x0|| = 0.6 = r_eps, so rbar_1 = 0.6 and eta_1 = 0.6 / sqrt(5 + 4.25).
  dog.step(x, g1);
  const Eigen::VectorXd x2 = x1 - 0.6 / std::sqrt(9.25) * g1;
  check_close(x, x2);
  check_close(dog.averaged(x), 0.1 * x1 + 0.9 * x2);

  // rbar_2 = ||x2 - x0|| > 0.6 and eta_2 = rbar_2 / sqrt(5 + 4.25 + 10).
  const double rbar2 = (x2 - x0).norm();
  REQUIRE(rbar2 > 0.6);
  const double eta2 = rbar2 / std::sqrt(19.25);
  dog.step(x, g2);
  const Eigen::VectorXd x3 = x2 - eta2 * g2;
  check_close(x, x3);
  CHECK(dog.max_distance() == Approx(rbar2).epsilon(1e-14));
  CHECK(dog.step_size() == Approx(eta2).epsilon(1e-14));
  // w_3 = 9 / 11.
  const Eigen::VectorXd average2 = 0.1 * x1 + 0.9 * x2;
  const Eigen::VectorXd average3 = (2.0 / 11.0) * average2 + (9.0 / 11.0) * x3;
  check_close(dog.averaged(x), average3);

  // A rejected step: the caller restores x2 and the average drops x3, only once.
  dog.reduce_step_size(0.5);
  check_close(dog.averaged(x2), average2);
  CHECK(dog.step_size() == Approx(0.5 * eta2).epsilon(1e-14));
  dog.reduce_step_size(0.5);
  check_close(dog.averaged(x2), average2);
  CHECK(dog.step_size() == Approx(0.25 * eta2).epsilon(1e-14));
}

TEST_CASE("Dog does not move on zero gradients", "[optim]") {
  varia::Dog dog;
  const Eigen::VectorXd x0 = vector2(3.0, 4.0);
  Eigen::VectorXd x = x0;
  dog.initialize(x);
  dog.step(x, Eigen::VectorXd::Zero(2));
  CHECK(x == x0);
  CHECK(dog.step_size() == 0.0);
  CHECK(dog.averaged(x) == x0);
  // The first non-zero gradient then moves r_eps.
  dog.step(x, vector2(0.0, -7.0));
  CHECK((x - x0).norm() == Approx(6e-6).epsilon(1e-9));
}

TEST_CASE("Dog reports overflow without changing state", "[optim]") {
  varia::Dog dog;
  Eigen::VectorXd x = Eigen::VectorXd::Zero(2);
  dog.initialize(x);
  // Each square, 1e308, is finite, but their sum is not.
  const Eigen::VectorXd gradient = Eigen::VectorXd::Constant(2, 1e154);
  CHECK_THROWS_AS(dog.step(x, gradient), std::overflow_error);
  CHECK_THROWS_WITH(dog.step(x, gradient),
                    "varia::Dog::step: the gradient accumulator is inf, but must be finite (the "
                    "gradient's squared norm is inf)");
  CHECK(dog.iteration() == 0);
  CHECK(x == Eigen::VectorXd::Zero(2));
  CHECK(invalid_argument_message([&] { dog.step(x, vector2(1e200, 0.0)); }) ==
        "varia::Dog::step: gradient[0] is 1e+200, but must be small enough in magnitude that "
        "its square is finite");
}

TEST_CASE("Dog rejects bad options", "[optim]") {
  CHECK(invalid_argument_message([] { varia::Dog({.relative_initial_movement = 0.0}); }) ==
        "varia::Dog: relative_initial_movement is 0, but must be positive and finite");
  CHECK(invalid_argument_message([] { varia::Dog({.averaging_gamma = -1.0}); }) ==
        "varia::Dog: averaging_gamma is -1, but must be non-negative and finite");
  CHECK_NOTHROW(varia::Dog({.averaging_gamma = 0.0}));
}
