#include <varia/math/distribution/normal.hpp>
#include <varia/math/exp_log.hpp>

#include <cmath>
#include <numbers>

#include "support/catch.hpp"
#include "support/gradient_check.hpp"

namespace {

// The normal log density written out with scalar operations, as an independent reference.
double normal_reference(double y, double mu, double sigma) {
  const double z = (y - mu) / sigma;
  return -0.5 * z * z - std::log(sigma) - 0.5 * std::log(2.0 * std::numbers::pi);
}

// Parameters: y[0..2], mu, sigma (vector y, scalar mu and sigma, all autodiff).
struct VectorYScalarParameters {
  template <class T>
  auto operator()(const T& x) const {
    return varia::normal_lpdf(x.head(3), x(3), varia::exp(x(4)));
  }
};

// Parameters: mu[0..2], log sigma[0..2] against data y.
struct VectorParametersDataY {
  Eigen::VectorXd y = Eigen::Vector3d(0.3, -1.2, 2.5);
  template <class T>
  auto operator()(const T& x) const {
    return varia::normal_lpdf(y, x.head(3), varia::exp(x.tail(3)));
  }
};

// A standard normal with constant parameters.
struct StandardNormal {
  template <class T>
  auto operator()(const T& x) const {
    return varia::normal_lpdf(x, 0.0, 1.0);
  }
};

// The non-centered eight schools likelihood shape: parameters mu, log tau and theta[0..3];
// an autodiff vector y - tau theta against an autodiff scalar mu and a data vector sigma.
struct NonCenteredSchools {
  Eigen::VectorXd y = Eigen::Vector4d(28.0, 8.0, -3.0, 7.0);
  Eigen::VectorXd sigma = Eigen::Vector4d(15.0, 10.0, 16.0, 11.0);
  template <class T>
  auto operator()(const T& x) const {
    const auto tau = varia::exp(x(1));
    return varia::normal_lpdf(x(0), 0.0, 5.0) + varia::normal_lpdf(x.tail(4), 0.0, 1.0) +
           varia::normal_lpdf(y - tau * x.tail(4), x(0), sigma);
  }
};

// Data y given as an Eigen product expression, against vector mu and scalar sigma.
struct ProductData {
  Eigen::MatrixXd a = Eigen::Matrix3d::Identity() * 0.5 + Eigen::Matrix3d::Constant(0.25);
  Eigen::VectorXd b = Eigen::Vector3d(1.0, -2.0, 0.5);
  template <class T>
  auto operator()(const T& x) const {
    return varia::normal_lpdf(a * b, x.head(3), varia::exp(x(3)));
  }
};

}  // namespace

TEST_CASE("normal_lpdf of doubles matches the formula") {
  CHECK(varia::normal_lpdf(1.5, 0.5, 2.0) == Approx(normal_reference(1.5, 0.5, 2.0)));
  const Eigen::Vector3d y(0.1, 0.2, -3.0);
  const double expected = normal_reference(0.1, 1.0, 0.5) + normal_reference(0.2, 1.0, 0.5) +
                          normal_reference(-3.0, 1.0, 0.5);
  CHECK(varia::normal_lpdf(y, 1.0, 0.5) == Approx(expected).epsilon(1e-14));
}

TEST_CASE("normal_lpdf gradient with scalar parameters") {
  varia::test::expect_ad(VectorYScalarParameters{}, varia::test::uniform_points(5, 30, -2.0, 2.0));
}

TEST_CASE("normal_lpdf gradient with vector parameters") {
  varia::test::expect_ad(VectorParametersDataY{}, varia::test::uniform_points(6, 30, -2.0, 2.0));
}

TEST_CASE("normal_lpdf gradient with constant parameters") {
  const Eigen::MatrixXd points = varia::test::uniform_points(4, 30, -5.0, 5.0);
  varia::test::expect_ad(StandardNormal{}, points);
  for (Eigen::Index s = 0; s < points.cols(); ++s) {
    const auto [value, gradient] =
        varia::value_and_gradient(StandardNormal{}, Eigen::VectorXd(points.col(s)));
    CHECK(gradient.isApprox(-points.col(s), 1e-14));
  }
}

TEST_CASE("normal_lpdf gradient with a vector, a shared scalar mean and data sigma") {
  varia::test::expect_ad(NonCenteredSchools{}, varia::test::uniform_points(6, 30, -2.0, 2.0));
}

TEST_CASE("normal_lpdf gradient with data given as a product expression") {
  varia::test::expect_ad(ProductData{}, varia::test::uniform_points(4, 30, -2.0, 2.0));
  const ProductData model;
  const Eigen::Vector3d y = model.a * model.b;
  const Eigen::Vector4d x(0.1, -0.2, 0.3, 0.4);
  double expected = 0.0;
  for (Eigen::Index i = 0; i < 3; ++i) {
    expected += normal_reference(y(i), x(i), std::exp(x(3)));
  }
  CHECK(model(Eigen::VectorXd(x)) == Approx(expected).epsilon(1e-14));
}

TEST_CASE("normal_lpdf rejects invalid data") {
  const Eigen::Vector2d y(0.0, 1.0);
  CHECK_THROWS_WITH(varia::normal_lpdf(y, 0.0, -1.0),
                    "varia::normal_lpdf: sigma is -1.000000, but must be positive and finite");
  CHECK_THROWS_AS(varia::normal_lpdf(Eigen::VectorXd(y), Eigen::VectorXd::Zero(3), 1.0),
                  std::invalid_argument);
}
