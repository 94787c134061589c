#include <varia/model/parameter_layout.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Core>

#include <varia/ad/gradient.hpp>
#include <varia/math/distribution/normal.hpp>
#include <varia/math/reductions.hpp>
#include <varia/model/log_density.hpp>

#include "support/catch.hpp"
#include "support/gradient_check.hpp"

namespace {

namespace transform = varia::transform;

/// The non-centered eight schools model with theta = mu + tau theta_tilde,
/// y_j ~ normal(theta_j, sigma_j), mu ~ normal(0, 5) and tau ~ half-normal(0, 5) (unnormalized).
struct EightSchools : varia::ConstrainedModel {
  Eigen::VectorXd y{{28.0, 8.0, -3.0, 7.0, -1.0, 1.0, 18.0, 12.0}};
  Eigen::VectorXd sigma{{15.0, 10.0, 16.0, 11.0, 9.0, 11.0, 10.0, 18.0}};

  EightSchools() { layout.real("mu").positive("tau").real("theta_tilde", 8); }

  template <class T>
  auto operator()(const T& x) const {
    auto reader = layout.reader(x);
    const auto mu = reader.scalar();
    const auto tau = reader.scalar();
    const auto theta_tilde = reader.vector();
    varia::scalar_t<T> lp = varia::normal_lpdf(mu, 0.0, 5.0);
    lp += varia::normal_lpdf(tau, 0.0, 5.0);
    lp += varia::normal_lpdf(theta_tilde, 0.0, 1.0);
    // y - tau theta_tilde ~ normal(mu, sigma) is y ~ normal(mu + tau theta_tilde, sigma).
    lp += varia::normal_lpdf(y - tau * theta_tilde, mu, sigma);
    return lp + reader.log_jacobian();
  }
};

/// Every kind of parameter, with a log density that is a weighted sum of the constrained values,
/// so that the gradient reaches each of them.
struct AllKinds : varia::ConstrainedModel {
  AllKinds() {
    layout.real("a")
        .positive("b")
        .lower_bounded("c", -2.0)
        .upper_bounded("d", 3.0, 2)
        .bounded("e", -1.0, 4.0)
        .bounded("f", 0.0, 1.0, 2)
        .positive("g", 2)
        .simplex("h", 3)
        .ordered("k", 3)
        .cholesky_factor_corr("L", 3)
        .real("m", 2);
  }

  template <class T>
  auto operator()(const T& x) const {
    auto reader = layout.reader(x);
    const auto a = reader.scalar();
    const auto b = reader.scalar();
    const auto c = reader.scalar();
    const auto d = reader.vector();
    const auto e = reader.scalar();
    const auto f = reader.vector();
    const auto g = reader.vector();
    const auto h = reader.vector();
    const auto k = reader.vector();
    const auto factor = reader.vector();
    const auto m = reader.vector();
    varia::scalar_t<T> lp = 0.3 * a - 0.2 * b + 0.1 * c + 0.5 * e;
    lp += varia::dot(d_weights, d) + varia::dot(pair_weights, f) + varia::dot(pair_weights, g);
    lp += varia::dot(triple_weights, h) + varia::dot(triple_weights, k);
    lp += varia::dot(factor_weights, factor) + varia::dot(pair_weights, m);
    return lp + reader.log_jacobian();
  }

  Eigen::VectorXd d_weights{{0.4, -0.1}};
  Eigen::VectorXd pair_weights{{-0.3, 0.6}};
  Eigen::VectorXd triple_weights{{0.2, -0.7, 0.9}};
  Eigen::VectorXd factor_weights{{0.1, 0.2, -0.3, 0.4, -0.5, 0.6}};
};

static_assert(varia::ConstrainedLogDensity<EightSchools>);
static_assert(varia::ConstrainedLogDensity<AllKinds>);

}  // namespace

TEST_CASE("layout names and dimensions") {
  const AllKinds model;
  const std::vector<std::string> expected = {
      "a",      "b",      "c",      "d[1]",   "d[2]",   "e",      "f[1]",   "f[2]",   "g[1]",
      "g[2]",   "h[1]",   "h[2]",   "h[3]",   "k[1]",   "k[2]",   "k[3]",   "L[1,1]", "L[2,1]",
      "L[3,1]", "L[1,2]", "L[2,2]", "L[3,2]", "L[1,3]", "L[2,3]", "L[3,3]", "m[1]",   "m[2]"};
  CHECK(model.parameter_names() == expected);
  CHECK(varia::parameter_names(model) == expected);
  CHECK(model.layout.constrained_dimension() == 27);
  // 1 + 1 + 1 + 2 + 1 + 2 + 2 + (3 - 1) + 3 + 3 + 2
  CHECK(model.layout.unconstrained_dimension() == 20);
  CHECK(model.dimension() == 20);
}

TEST_CASE("layout constrain applies each transform") {
  const AllKinds model;
  const Eigen::VectorXd x = varia::test::uniform_points(20, 1, -2.0, 2.0).col(0);
  const Eigen::VectorXd y = model.constrain(x);
  REQUIRE(y.size() == 27);
  CHECK(y(0) == x(0));
  CHECK(y(1) == transform::Positive{}.constrain(x(1)));
  CHECK(y(2) == transform::LowerBounded(-2.0).constrain(x(2)));
  CHECK(y.segment(3, 2) ==
        transform::UpperBounded(3.0).constrain(Eigen::VectorXd(x.segment(3, 2))));
  CHECK(y(5) == transform::Bounded(-1.0, 4.0).constrain(x(5)));
  CHECK(y.segment(6, 2) ==
        transform::Bounded(0.0, 1.0).constrain(Eigen::VectorXd(x.segment(6, 2))));
  CHECK(y.segment(8, 2) == transform::Positive{}.constrain(Eigen::VectorXd(x.segment(8, 2))));
  CHECK(y.segment(10, 3) == transform::Simplex(3).constrain(Eigen::VectorXd(x.segment(10, 2))));
  CHECK(y.segment(13, 3) == transform::Ordered(3).constrain(Eigen::VectorXd(x.segment(12, 3))));
  const transform::CholeskyFactorCorr corr(3);
  const Eigen::MatrixXd factor = corr.to_matrix(corr.constrain(Eigen::VectorXd(x.segment(15, 3))));
  CHECK(y.segment(16, 9) == factor.reshaped());
  CHECK(y.segment(25, 2) == x.segment(18, 2));
}

TEST_CASE("layout unconstrain inverts constrain") {
  const AllKinds model;
  const Eigen::MatrixXd points = varia::test::uniform_points(20, 5, -3.0, 3.0);
  for (Eigen::Index s = 0; s < points.cols(); ++s) {
    const Eigen::VectorXd x = points.col(s);
    const Eigen::VectorXd back = model.unconstrain(model.constrain(x));
    INFO("x = " << varia::test::describe(x));
    for (Eigen::Index i = 0; i < x.size(); ++i) {
      INFO("coordinate " << i << ": " << back(i));
      CHECK(std::abs(back(i) - x(i)) <= 1e-12 * std::max(1.0, std::abs(x(i))));
    }
  }
}

TEST_CASE("reader gives constrained values and log-Jacobian") {
  // The model's log density minus its weighted sum is the sum of the transforms' log-Jacobians.
  const AllKinds model;
  const Eigen::VectorXd x = varia::test::uniform_points(20, 1, -2.0, 2.0).col(0);
  const Eigen::VectorXd y = model.constrain(x);
  double expected = 0.3 * y(0) - 0.2 * y(1) + 0.1 * y(2) + 0.5 * y(5);
  expected += model.d_weights.dot(y.segment(3, 2)) + model.pair_weights.dot(y.segment(6, 2)) +
              model.pair_weights.dot(y.segment(8, 2)) + model.triple_weights.dot(y.segment(10, 3)) +
              model.triple_weights.dot(y.segment(13, 3)) + model.pair_weights.dot(y.segment(25, 2));
  const transform::CholeskyFactorCorr corr(3);
  const Eigen::VectorXd factor = corr.constrain(Eigen::VectorXd(x.segment(15, 3)));
  expected += model.factor_weights.dot(factor);
  expected += transform::Positive{}.log_jacobian(x(1)) +
              transform::LowerBounded(-2.0).log_jacobian(x(2)) +
              transform::UpperBounded(3.0).log_jacobian(Eigen::VectorXd(x.segment(3, 2))) +
              transform::Bounded(-1.0, 4.0).log_jacobian(x(5)) +
              transform::Bounded(0.0, 1.0).log_jacobian(Eigen::VectorXd(x.segment(6, 2))) +
              transform::Positive{}.log_jacobian(Eigen::VectorXd(x.segment(8, 2))) +
              transform::Simplex(3).log_jacobian(Eigen::VectorXd(x.segment(10, 2))) +
              transform::Ordered(3).log_jacobian(Eigen::VectorXd(x.segment(12, 3))) +
              corr.log_jacobian(Eigen::VectorXd(x.segment(15, 3)));
  CHECK(model(x) == Approx(expected).epsilon(1e-13));
}

TEST_CASE("layout model gradients match finite differences") {
  varia::test::expect_ad(AllKinds{}, varia::test::uniform_points(20, 30, -2.0, 2.0));
  varia::test::expect_ad(EightSchools{}, varia::test::uniform_points(10, 30, -2.0, 2.0));
}

TEST_CASE("eight schools value matches a direct computation") {
  const EightSchools model;
  Eigen::VectorXd x(10);
  x << 1.5, 0.4, -0.3, 0.2, 1.1, -0.9, 0.0, 0.5, -1.2, 0.8;
  const double mu = x(0);
  const double tau = std::exp(x(1));
  const double log_sqrt_two_pi = 0.5 * std::log(2.0 * M_PI);
  auto log_normal = [&](double value, double mean, double scale) {
    const double z = (value - mean) / scale;
    return -0.5 * z * z - std::log(scale) - log_sqrt_two_pi;
  };
  double expected = log_normal(mu, 0.0, 5.0) + log_normal(tau, 0.0, 5.0) + x(1);
  for (Eigen::Index j = 0; j < 8; ++j) {
    expected += log_normal(x(2 + j), 0.0, 1.0);
    expected += log_normal(model.y(j), mu + tau * x(2 + j), model.sigma(j));
  }
  CHECK(model(x) == Approx(expected).epsilon(1e-13));
  const auto [value, gradient] = varia::value_and_gradient(model, x);
  CHECK(value == Approx(expected).epsilon(1e-13));
  CHECK(gradient.size() == 10);
}

namespace {

/// Reads the parameters of a layout with the kinds given, then takes the log-Jacobian.
struct Reads {
  const varia::ParameterLayout* layout;
  std::vector<char> kinds;  // 's' for scalar(), 'v' for vector()

  double operator()(const Eigen::VectorXd& x) const {
    auto reader = layout->reader(x);
    for (const char kind : kinds) {
      if (kind == 's') {
        reader.scalar();
      } else {
        reader.vector();
      }
    }
    return reader.log_jacobian();
  }
};

std::string logic_error_message(const Reads& reads, const Eigen::VectorXd& x) {
  try {
    reads(x);
  } catch (const std::logic_error& error) {
    return error.what();
  }
  return "no exception";
}

}  // namespace

TEST_CASE("reader rejects wrong reads") {
  varia::ParameterLayout layout;
  layout.positive("tau").real("theta", 2);
  const Eigen::VectorXd x = Eigen::VectorXd::Zero(3);
  CHECK(Reads{&layout, {'s', 'v'}}(x) == 0.0);

  const std::string wrong_kind = logic_error_message(Reads{&layout, {'v'}}, x);
  CHECK(wrong_kind.find("'tau' is declared as a scalar") != std::string::npos);
  const std::string wrong_vector = logic_error_message(Reads{&layout, {'s', 's'}}, x);
  CHECK(wrong_vector.find("'theta' is declared as a vector") != std::string::npos);
  const std::string too_many = logic_error_message(Reads{&layout, {'s', 'v', 's'}}, x);
  CHECK(too_many.find("all 2 declared parameters have been read") != std::string::npos);
  const std::string unread = logic_error_message(Reads{&layout, {'s'}}, x);
  CHECK(unread.find("'theta' was not read") != std::string::npos);

  CHECK_THROWS_AS(layout.reader(Eigen::VectorXd(Eigen::VectorXd::Zero(4))), std::invalid_argument);
  CHECK_THROWS_AS(layout.constrain(Eigen::VectorXd::Zero(2)), std::invalid_argument);
  CHECK_THROWS_AS(layout.unconstrain(Eigen::VectorXd::Zero(4)), std::invalid_argument);
}

TEST_CASE("reader adds no Jacobian for real parameters") {
  varia::ParameterLayout layout;
  layout.real("mu").real("beta", 3);
  const Eigen::VectorXd x = Eigen::VectorXd::LinSpaced(4, -1.0, 2.0);
  auto reader = layout.reader(x);
  CHECK(reader.scalar() == x(0));
  CHECK(reader.vector() == x.tail(3));
  CHECK(reader.log_jacobian() == 0.0);
  CHECK(layout.constrain(x) == x);
  CHECK(layout.unconstrain(x) == x);
}

TEST_CASE("layout rejects invalid declarations") {
  const double inf = std::numeric_limits<double>::infinity();
  varia::ParameterLayout layout;
  layout.real("mu");
  CHECK_THROWS_AS(layout.real(""), std::invalid_argument);
  CHECK_THROWS_AS(layout.positive("mu"), std::invalid_argument);
  CHECK_THROWS_AS(layout.real("beta", 0), std::invalid_argument);
  CHECK_THROWS_AS(layout.simplex("theta", 1), std::invalid_argument);
  CHECK_THROWS_AS(layout.ordered("cut", 0), std::invalid_argument);
  CHECK_THROWS_AS(layout.cholesky_factor_corr("L", 1), std::invalid_argument);
  CHECK_THROWS_AS(layout.lower_bounded("sigma", inf), std::invalid_argument);
  CHECK_THROWS_AS(layout.upper_bounded("u", std::nan("")), std::invalid_argument);
  CHECK_THROWS_AS(layout.bounded("rho", 1.0, -1.0), std::invalid_argument);
  CHECK_THROWS_AS(layout.bounded("rho", 0.0, inf, 2), std::invalid_argument);
  // A failed declaration leaves the layout unchanged.
  CHECK(layout.declarations().size() == 1);
  CHECK(layout.unconstrained_dimension() == 1);
}

TEST_CASE("layout unconstrain names the parameter") {
  varia::ParameterLayout layout;
  layout.real("mu").positive("sigma", 2).cholesky_factor_corr("L", 2);
  Eigen::VectorXd y(7);
  y << 0.0, 1.0, -3.0, 1.0, 0.6, 0.0, 0.8;
  try {
    layout.unconstrain(y);
    FAIL("no exception");
  } catch (const std::domain_error& error) {
    const std::string message = error.what();
    INFO(message);
    CHECK(message.find("sigma[2] is -3") != std::string::npos);
  }
  y(2) = 3.0;
  CHECK_NOTHROW(layout.unconstrain(y));
  y(5) = 0.2;  // L[1,2], above the diagonal
  try {
    layout.unconstrain(y);
    FAIL("no exception");
  } catch (const std::domain_error& error) {
    const std::string message = error.what();
    INFO(message);
    CHECK(message.find("L[1,2] is 0.2") != std::string::npos);
  }
}
