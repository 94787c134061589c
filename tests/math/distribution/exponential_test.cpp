#include <varia/math/distribution/exponential.hpp>
#include <varia/math/exp_log.hpp>

#include <cmath>
#include <stdexcept>

#include "support/catch.hpp"
#include "support/gradient_check.hpp"

namespace {

// The exponential log density written out with scalar operations, as an independent reference.
double exponential_reference(double y, double lambda) {
  return std::log(lambda) - lambda * y;
}

// Parameters: y[0..2] and lambda, all autodiff.
struct AllAutodiff {
  template <class T>
  auto operator()(const T& x) const {
    return varia::exponential_lpdf(x.head(3), x(3));
  }
};

// Parameters: lambda[0..2] against data y.
struct DataYVectorRate {
  Eigen::VectorXd y = Eigen::Vector3d(0.0, 0.7, 3.2);
  template <class T>
  auto operator()(const T& x) const {
    return varia::exponential_lpdf(y, x);
  }
};

// Parameters: a scalar y broadcast against data rates.
struct ScalarYDataRate {
  Eigen::VectorXd lambda = Eigen::Vector3d(0.2, 1.0, 6.5);
  template <class T>
  auto operator()(const T& x) const {
    return varia::exponential_lpdf(x(0), lambda);
  }
};

// Parameters: log lambda, over a wide range, against data y.
struct LogRate {
  Eigen::VectorXd y = Eigen::Vector2d(1e-6, 2.0);
  template <class T>
  auto operator()(const T& x) const {
    return varia::exponential_lpdf(y, varia::exp(x(0)));
  }
};

}  // namespace

TEST_CASE("exponential_lpdf of doubles matches references") {
  CHECK(varia::exponential_lpdf(0.3, 1.7) == Approx(exponential_reference(0.3, 1.7)));
  CHECK(varia::exponential_lpdf(0.0, 2.0) == Approx(std::log(2.0)));
  const Eigen::Vector3d rates(0.5, 1.0, 4.0);
  CHECK(varia::exponential_lpdf(2.0, rates) ==
        Approx(exponential_reference(2.0, 0.5) + exponential_reference(2.0, 1.0) +
               exponential_reference(2.0, 4.0))
            .epsilon(1e-14));

  // /usr/bin/python3 -c "from scipy import stats; print(repr(stats.expon.logpdf([0.0, 0.3, 2.5,
  // 40.0], scale=1/1.7).tolist()))"
  const double scipy[] = {0.5306282510621704, 0.020628251062170366, -3.7193717489378297,
                          -67.46937174893783};
  const double y[] = {0.0, 0.3, 2.5, 40.0};
  for (int i = 0; i < 4; ++i) {
    CHECK(varia::exponential_lpdf(y[i], 1.7) == Approx(scipy[i]).epsilon(1e-14));
  }
  CHECK(varia::exponential_lpdf(Eigen::Vector4d(0.0, 0.3, 2.5, 40.0), 1.7) ==
        Approx(scipy[0] + scipy[1] + scipy[2] + scipy[3]).epsilon(1e-14));
}

TEST_CASE("exponential_lpdf gradient with all arguments autodiff") {
  varia::test::expect_ad(AllAutodiff{}, varia::test::uniform_points(4, 30, 0.05, 4.0));
}

TEST_CASE("exponential_lpdf gradient with data y and vector rate") {
  varia::test::expect_ad(DataYVectorRate{}, varia::test::uniform_points(3, 30, 0.01, 5.0));
}

TEST_CASE("exponential_lpdf gradient with scalar y and data rates") {
  varia::test::expect_ad(ScalarYDataRate{}, varia::test::uniform_points(1, 30, 0.0, 10.0));
}

TEST_CASE("exponential_lpdf gradient over extreme rates") {
  varia::test::expect_ad(LogRate{}, varia::test::uniform_points(1, 30, -25.0, 25.0));
}

TEST_CASE("exponential_lpdf gives NaN for an invalid autodiff rate") {
  const auto [value, gradient] =
      varia::value_and_gradient(DataYVectorRate{}, Eigen::Vector3d(1.0, -0.5, 2.0));
  CHECK(std::isnan(value));
  const auto [negative_y, unused] =
      varia::value_and_gradient(AllAutodiff{}, Eigen::Vector4d(1.0, -0.1, 2.0, 1.0));
  CHECK(std::isnan(negative_y));
}

TEST_CASE("exponential_lpdf rejects invalid data") {
  CHECK_THROWS_WITH(varia::exponential_lpdf(Eigen::Vector2d(0.5, -1.0), 1.0),
                    "varia::exponential_lpdf: y[1] is -1.000000, but must be nonnegative");
  CHECK_THROWS_WITH(varia::exponential_lpdf(1.0, 0.0),
                    "varia::exponential_lpdf: lambda is 0.000000, but must be positive and finite");
  CHECK_THROWS_AS(varia::exponential_lpdf(1.0, 0.0), std::domain_error);
  CHECK_THROWS_AS(varia::exponential_lpdf(Eigen::VectorXd::Ones(2), Eigen::VectorXd::Ones(3)),
                  std::invalid_argument);
}
