#include <varia/optim/sgd.hpp>

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

void check_close(const Eigen::VectorXd& actual, const Eigen::VectorXd& expected) {
  REQUIRE(actual.size() == expected.size());
  for (Eigen::Index i = 0; i < expected.size(); ++i) {
    CHECK(actual[i] == Approx(expected[i]).epsilon(1e-14).margin(1e-15));
  }
}

}  // namespace

// Hand-computed with x0 = (1, -2, 0.5), g1 = (0.3, -0.1, 2), g2 = (-1, 0.4, 0.2), lr = 0.1 and
// mu = 0.9. Both steps use the velocity v1 = g1, v2 = 0.9 g1 + g2 = (-0.73, 0.31, 2).
TEST_CASE("Sgd heavy-ball first steps", "[optim]") {
  varia::Sgd sgd({.learning_rate = 0.1, .momentum = 0.9});
  Eigen::VectorXd x = vector3(1.0, -2.0, 0.5);
  sgd.initialize(x);
  sgd.step(x, vector3(0.3, -0.1, 2.0));
  check_close(x, vector3(0.97, -1.99, 0.3));
  sgd.step(x, vector3(-1.0, 0.4, 0.2));
  // x2 = x1 - 0.1 v2.
  check_close(x, vector3(1.043, -2.021, 0.1));
  CHECK(sgd.step_size() == 0.1);
}

TEST_CASE("Sgd Nesterov first steps", "[optim]") {
  varia::Sgd sgd({.learning_rate = 0.1, .momentum = 0.9, .nesterov = true});
  Eigen::VectorXd x = vector3(1.0, -2.0, 0.5);
  sgd.initialize(x);
  // x1 = x0 - 0.1 (g1 + 0.9 g1) = x0 - 0.19 g1.
  sgd.step(x, vector3(0.3, -0.1, 2.0));
  check_close(x, vector3(0.943, -1.981, 0.12));
  // x2 = x1 - 0.1 (g2 + 0.9 v2) = x1 - 0.1 (-1.657, 0.679, 2).
  sgd.step(x, vector3(-1.0, 0.4, 0.2));
  check_close(x, vector3(1.1087, -2.0489, -0.08));
}

TEST_CASE("Sgd without momentum is plain gradient descent", "[optim]") {
  varia::Sgd sgd({.learning_rate = 0.5, .momentum = 0.0});
  Eigen::VectorXd x = vector3(1.0, -2.0, 0.5);
  sgd.initialize(x);
  sgd.step(x, vector3(0.3, -0.1, 2.0));
  sgd.step(x, vector3(-1.0, 0.4, 0.2));
  // x2 = x0 - 0.5 (g1 + g2) = x0 - 0.5 (-0.7, 0.3, 2.2).
  check_close(x, vector3(1.35, -2.15, -0.6));
}

TEST_CASE("Sgd averaged returns the iterate", "[optim]") {
  varia::Sgd sgd;
  Eigen::VectorXd x = vector3(1.0, -2.0, 0.5);
  sgd.initialize(x);
  sgd.step(x, vector3(0.3, -0.1, 2.0));
  CHECK(sgd.averaged(x) == x);
}

TEST_CASE("Sgd rejects bad options", "[optim]") {
  CHECK(invalid_argument_message([] { varia::Sgd({.learning_rate = 0.0}); }) ==
        "varia::Sgd: learning_rate is 0, but must be positive and finite");
  CHECK(invalid_argument_message([] { varia::Sgd({.learning_rate = -0.1}); }) ==
        "varia::Sgd: learning_rate is -0.1, but must be positive and finite");
  CHECK(invalid_argument_message([] {
          varia::Sgd({.learning_rate = std::numeric_limits<double>::infinity()});
        }) == "varia::Sgd: learning_rate is inf, but must be positive and finite");
  CHECK(invalid_argument_message([] { varia::Sgd({.learning_rate = 0.1, .momentum = 1.0}); }) ==
        "varia::Sgd: momentum is 1, but must be in [0, 1)");
  CHECK(invalid_argument_message([] { varia::Sgd({.learning_rate = 0.1, .momentum = -0.2}); }) ==
        "varia::Sgd: momentum is -0.2, but must be in [0, 1)");
  CHECK(invalid_argument_message([] {
          varia::Sgd({.learning_rate = 0.1, .momentum = std::numeric_limits<double>::quiet_NaN()});
        }) == "varia::Sgd: momentum is nan, but must be in [0, 1)");
  CHECK_NOTHROW(varia::Sgd({.learning_rate = 0.1, .momentum = 0.0}));
}
