#include <varia/optim/adam.hpp>

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

Eigen::VectorXd vector4(double a, double b, double c, double d) {
  Eigen::VectorXd v(4);
  v << a, b, c, d;
  return v;
}

}  // namespace

TEST_CASE("Adam first step is lr times minus sign of gradient", "[optim]") {
  const double learning_rate = 0.1;
  const double epsilon = 1e-8;
  varia::Adam adam({.learning_rate = learning_rate});
  const Eigen::VectorXd x0 = vector4(1.0, -2.0, 0.5, 3.0);
  const Eigen::VectorXd g = vector4(0.3, -0.1, 2000.0, 0.0);
  Eigen::VectorXd x = x0;
  adam.initialize(x);
  adam.step(x, g);
  // Bias correction makes m1 / (1 - beta1) = g and v1 / (1 - beta2) = g^2, whatever the betas.
  for (Eigen::Index i = 0; i < 4; ++i) {
    const double expected = -learning_rate * g[i] / (std::abs(g[i]) + epsilon);
    CHECK(x[i] - x0[i] == Approx(expected).epsilon(1e-12).margin(1e-300));
  }
  CHECK(x[3] == x0[3]);
  CHECK(adam.iteration() == 1);
}

TEST_CASE("Adam first step with large epsilon", "[optim]") {
  // With g = 1 and epsilon = 1 the first step is -lr * 1 / (1 + 1).
  varia::Adam adam({.learning_rate = 0.2, .epsilon = 1.0});
  Eigen::VectorXd x = Eigen::VectorXd::Zero(2);
  adam.initialize(x);
  adam.step(x, Eigen::VectorXd::Ones(2));
  CHECK(x[0] == Approx(-0.1).epsilon(1e-14));
  CHECK(x[1] == Approx(-0.1).epsilon(1e-14));
}

TEST_CASE("Adam second step", "[optim]") {
  // beta1 = 0.9 and beta2 = 0.999: m2 = 0.09 g1 + 0.1 g2, v2 = 0.000999 g1^2 + 0.001 g2^2,
  // and the bias corrections are 1 - 0.9^2 = 0.19 and 1 - 0.999^2 = 0.001999.
  const double learning_rate = 0.05;
  varia::Adam adam({.learning_rate = learning_rate});
  const Eigen::VectorXd g1 = vector4(0.3, -0.1, 2.0, 1.0);
  const Eigen::VectorXd g2 = vector4(-1.0, 0.4, 0.2, 1.0);
  Eigen::VectorXd x = Eigen::VectorXd::Zero(4);
  adam.initialize(x);
  adam.step(x, g1);
  const Eigen::VectorXd x1 = x;
  adam.step(x, g2);
  for (Eigen::Index i = 0; i < 4; ++i) {
    const double m2 = 0.09 * g1[i] + 0.1 * g2[i];
    const double v2 = 0.000999 * g1[i] * g1[i] + 0.001 * g2[i] * g2[i];
    const double expected = -learning_rate * (m2 / 0.19) / (std::sqrt(v2 / 0.001999) + 1e-8);
    CHECK(x[i] - x1[i] == Approx(expected).epsilon(1e-12));
  }
  // A constant gradient gives steps of exactly lr (up to epsilon) at every iteration.
  CHECK(x[3] - x1[3] == Approx(-learning_rate).epsilon(1e-7));
}

TEST_CASE("Adam rejects bad options", "[optim]") {
  CHECK(invalid_argument_message([] { varia::Adam({.learning_rate = 0.0}); }) ==
        "varia::Adam: learning_rate is 0, but must be positive and finite");
  CHECK(invalid_argument_message([] { varia::Adam({.beta1 = 1.0}); }) ==
        "varia::Adam: beta1 is 1, but must be in [0, 1)");
  CHECK(invalid_argument_message([] { varia::Adam({.beta2 = -0.5}); }) ==
        "varia::Adam: beta2 is -0.5, but must be in [0, 1)");
  CHECK(invalid_argument_message([] { varia::Adam({.epsilon = 0.0}); }) ==
        "varia::Adam: epsilon is 0, but must be positive and finite");
  CHECK(invalid_argument_message([] {
          varia::Adam({.learning_rate = std::numeric_limits<double>::quiet_NaN()});
        }) == "varia::Adam: learning_rate is nan, but must be positive and finite");
  CHECK_NOTHROW(varia::Adam({.beta1 = 0.0, .beta2 = 0.0}));
}

TEST_CASE("Adam rejects gradient whose square overflows", "[optim]") {
  varia::Adam adam;
  Eigen::VectorXd x = Eigen::VectorXd::Zero(3);
  adam.initialize(x);
  Eigen::VectorXd gradient = Eigen::VectorXd::Ones(3);
  gradient[1] = -1e200;
  CHECK(invalid_argument_message([&] { adam.step(x, gradient); }) ==
        "varia::Adam::step: gradient[1] is -1e+200, but must be small enough in magnitude that "
        "its square is finite");
  CHECK(adam.iteration() == 0);
}
