#include <varia/optim/averaging.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "support/catch.hpp"

namespace {

std::vector<Eigen::VectorXd> sample_iterates() {
  std::vector<Eigen::VectorXd> iterates;
  for (int t = 1; t <= 12; ++t) {
    Eigen::VectorXd x(2);
    x << 1.0 / t, static_cast<double>(t * t % 7) - 3.0;
    iterates.push_back(x);
  }
  return iterates;
}

}  // namespace

TEST_CASE("PolynomialDecayAverage with gamma 0 is the mean", "[optim]") {
  varia::PolynomialDecayAverage average(0.0);
  average.reset(Eigen::VectorXd::Constant(2, 100.0));
  const std::vector<Eigen::VectorXd> iterates = sample_iterates();
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(2);
  for (std::size_t t = 0; t < iterates.size(); ++t) {
    average.add(iterates[t]);
    sum += iterates[t];
    const Eigen::VectorXd mean = sum / static_cast<double>(t + 1);
    CHECK(average.value()[0] == Approx(mean[0]).epsilon(1e-14));
    CHECK(average.value()[1] == Approx(mean[1]).epsilon(1e-14).margin(1e-14));
  }
  CHECK(average.count() == 12);
}

TEST_CASE("PolynomialDecayAverage matches closed-form weights", "[optim]") {
  // After T adds, iterate i has weight a_i prod_{j > i} (1 - a_j) with a_j = 9 / (j + 8).
  const double gamma = 8.0;
  varia::PolynomialDecayAverage average(gamma);
  const Eigen::VectorXd x0 = Eigen::VectorXd::Constant(2, 100.0);
  average.reset(x0);
  CHECK(average.value() == x0);
  const std::vector<Eigen::VectorXd> iterates = sample_iterates();
  for (const Eigen::VectorXd& x : iterates) {
    average.add(x);
  }
  CHECK(average.value() != x0);
  const int count = static_cast<int>(iterates.size());
  Eigen::VectorXd expected = Eigen::VectorXd::Zero(2);
  double survival = 1.0;
  double total_weight = 0.0;
  for (int i = count; i >= 1; --i) {
    const double a = (gamma + 1.0) / (i + gamma);
    expected += a * survival * iterates[static_cast<std::size_t>(i - 1)];
    total_weight += a * survival;
    survival *= 1.0 - a;
  }
  // a_1 = 1, so x0 gets no weight and the weights sum to one.
  CHECK(survival == 0.0);
  CHECK(total_weight == Approx(1.0).epsilon(1e-14));
  CHECK(average.value()[0] == Approx(expected[0]).epsilon(1e-13));
  CHECK(average.value()[1] == Approx(expected[1]).epsilon(1e-13));
}

TEST_CASE("PolynomialDecayAverage remove_last undoes one add", "[optim]") {
  varia::PolynomialDecayAverage average;
  const Eigen::VectorXd x0 = Eigen::VectorXd::Zero(2);
  average.reset(x0);
  average.remove_last();
  CHECK(average.value() == x0);
  CHECK(average.count() == 0);

  const std::vector<Eigen::VectorXd> iterates = sample_iterates();
  average.add(iterates[0]);
  CHECK(average.value() == iterates[0]);
  average.add(iterates[1]);
  const Eigen::VectorXd after_two = average.value();
  average.add(iterates[2]);
  average.remove_last();
  CHECK(average.value() == after_two);
  CHECK(average.count() == 2);
  average.remove_last();
  CHECK(average.value() == after_two);
  CHECK(average.count() == 2);
  // Adding the same iterate again gives the same result as the undone add.
  average.add(iterates[2]);
  varia::PolynomialDecayAverage reference;
  reference.reset(x0);
  reference.add(iterates[0]);
  reference.add(iterates[1]);
  reference.add(iterates[2]);
  CHECK(average.value() == reference.value());
}

TEST_CASE("PolynomialDecayAverage rejects bad gamma", "[optim]") {
  CHECK_THROWS_WITH(varia::PolynomialDecayAverage(-1.0),
                    "varia::PolynomialDecayAverage: gamma is -1, but must be non-negative and "
                    "finite");
  CHECK_THROWS_AS(varia::PolynomialDecayAverage(-1.0), std::invalid_argument);
}
