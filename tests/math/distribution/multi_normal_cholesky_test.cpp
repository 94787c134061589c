#include <varia/math/distribution/multi_normal_cholesky.hpp>

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

#include <Eigen/LU>

#include "support/catch.hpp"
#include "support/gradient_check.hpp"

namespace {

Eigen::MatrixXd example_factor() {
  Eigen::MatrixXd L(3, 3);
  L << 1.5, 0.0, 0.0,  //
      0.4, 0.9, 0.0,   //
      -0.7, 0.2, 2.1;
  return L;
}

// A random lower-triangular factor of order k with diagonal entries in [0.5, 2].
Eigen::MatrixXd random_factor(Eigen::Index k) {
  std::srand(77u);
  Eigen::MatrixXd L = Eigen::MatrixXd::Random(k, k).triangularView<Eigen::Lower>();
  L.diagonal() = (L.diagonal().array().abs() * 1.5 + 0.5).matrix();
  return L;
}

// The density from the covariance itself, with its inverse and determinant, as an independent
// reference.
double multi_normal_reference(const Eigen::VectorXd& y, const Eigen::VectorXd& mu,
                              const Eigen::MatrixXd& L) {
  const Eigen::MatrixXd covariance = L * L.transpose();
  const Eigen::VectorXd d = y - mu;
  const double k = static_cast<double>(y.size());
  return -0.5 * d.dot(covariance.inverse() * d) - 0.5 * std::log(covariance.determinant()) -
         0.5 * k * std::log(2.0 * std::numbers::pi);
}

// Parameters: y[0..k-1] (autodiff) against a data mean.
struct AutodiffY {
  Eigen::MatrixXd L;
  Eigen::VectorXd mu;
  template <class T>
  auto operator()(const T& x) const {
    return varia::multi_normal_cholesky_lpdf(x, mu, L);
  }
};

// Parameters: mu[0..k-1] (autodiff) against data y.
struct AutodiffMu {
  Eigen::MatrixXd L;
  Eigen::VectorXd y;
  template <class T>
  auto operator()(const T& x) const {
    return varia::multi_normal_cholesky_lpdf(y, x, L);
  }
};

// Parameters: y[0..k-1] and mu[0..k-1], both autodiff.
struct AutodiffBoth {
  Eigen::MatrixXd L;
  template <class T>
  auto operator()(const T& x) const {
    const Eigen::Index k = L.rows();
    return varia::multi_normal_cholesky_lpdf(x.head(k), x.tail(k), L);
  }
};

}  // namespace

TEST_CASE("multi_normal_cholesky_lpdf of doubles matches references") {
  const Eigen::MatrixXd L = example_factor();
  const Eigen::Vector3d y(0.3, -1.1, 2.4);
  const Eigen::Vector3d mu(0.1, 0.2, -0.5);
  CHECK(varia::multi_normal_cholesky_lpdf(y, mu, L) ==
        Approx(multi_normal_reference(y, mu, L)).epsilon(1e-13));

  // /usr/bin/python3 -c "from scipy import stats; import numpy as np; L = np.array([[1.5, 0, 0],
  // [0.4, 0.9, 0], [-0.7, 0.2, 2.1]]); print(repr(stats.multivariate_normal.logpdf([0.3, -1.1,
  // 2.4], [0.1, 0.2, -0.5], L @ L.T)))"
  CHECK(varia::multi_normal_cholesky_lpdf(y, mu, L) == Approx(-6.168572332634331).epsilon(1e-14));

  // A factor with condition number 1e6, where L L^T is too ill-conditioned for SciPy:
  // /usr/bin/python3 -c "from mpmath import mp, mpf, matrix, lu_solve, log, pi; mp.dps = 40;
  // L = matrix([[mpf('1e-3'), 0, 0], [5, 1000, 0], [mpf('-0.7'), mpf('0.2'), mpf('2.1')]]);
  // z = lu_solve(L, matrix([mpf('0.3') - mpf('0.3005'), mpf('-1.3'), mpf('2.9')]));
  // print(mp.nstr(-sum(x**2 for x in z)/2 - log(mpf('2.1')) - 3*log(2*pi)/2, 17))"
  Eigen::MatrixXd stiff(3, 3);
  stiff << 1e-3, 0.0, 0.0,  //
      5.0, 1e3, 0.0,        //
      -0.7, 0.2, 2.1;
  CHECK(varia::multi_normal_cholesky_lpdf(y, Eigen::Vector3d(0.3005, 0.2, -0.5), stiff) ==
        Approx(-4.3608597933229874).epsilon(1e-12));

  // The upper triangle of L is not read.
  Eigen::MatrixXd with_upper = L;
  with_upper(0, 2) = std::numeric_limits<double>::quiet_NaN();
  CHECK(varia::multi_normal_cholesky_lpdf(y, mu, with_upper) ==
        varia::multi_normal_cholesky_lpdf(y, mu, L));
}

TEST_CASE("multi_normal_cholesky_lpdf of one element is the normal") {
  const Eigen::MatrixXd L = Eigen::MatrixXd::Constant(1, 1, 2.0);
  const double z = (1.3 - 0.4) / 2.0;
  CHECK(varia::multi_normal_cholesky_lpdf(Eigen::VectorXd::Constant(1, 1.3),
                                          Eigen::VectorXd::Constant(1, 0.4), L) ==
        Approx(-0.5 * z * z - std::log(2.0) - 0.5 * std::log(2.0 * std::numbers::pi)));
}

TEST_CASE("multi_normal_cholesky_lpdf gradient with autodiff y") {
  const AutodiffY f{example_factor(), Eigen::Vector3d(0.1, 0.2, -0.5)};
  varia::test::expect_ad(f, varia::test::uniform_points(3, 30, -4.0, 4.0));
}

TEST_CASE("multi_normal_cholesky_lpdf gradient with autodiff mu") {
  const AutodiffMu f{example_factor(), Eigen::Vector3d(0.3, -1.1, 2.4)};
  varia::test::expect_ad(f, varia::test::uniform_points(3, 30, -4.0, 4.0));
}

TEST_CASE("multi_normal_cholesky_lpdf gradient with autodiff y and mu") {
  const AutodiffBoth f{random_factor(12)};
  varia::test::expect_ad(f, varia::test::uniform_points(24, 30, -3.0, 3.0));
}

TEST_CASE("multi_normal_cholesky_lpdf gradient with a stiff factor") {
  Eigen::MatrixXd stiff(3, 3);
  stiff << 1e-3, 0.0, 0.0,  //
      5.0, 1e3, 0.0,        //
      -0.7, 0.2, 2.1;
  const AutodiffBoth f{stiff};
  // The density changes by 1 when y_0 moves by 1e-3, so the points and the finite-difference
  // step stay on that scale.
  varia::test::expect_ad(f, varia::test::uniform_points(6, 30, -1e-3, 1e-3), 1e-6, 1e-6);
}

TEST_CASE("multi_normal_cholesky_lpdf rejects invalid arguments") {
  const Eigen::MatrixXd L = example_factor();
  const Eigen::VectorXd y = Eigen::Vector3d(0.3, -1.1, 2.4);
  const Eigen::VectorXd mu = Eigen::VectorXd::Zero(3);
  CHECK_THROWS_WITH(varia::multi_normal_cholesky_lpdf(y, mu, Eigen::MatrixXd::Identity(3, 2)),
                    "varia::multi_normal_cholesky_lpdf: L is 3 x 2, but must be square");
  CHECK_THROWS_WITH(varia::multi_normal_cholesky_lpdf(Eigen::VectorXd::Zero(2), mu, L),
                    "varia::multi_normal_cholesky_lpdf: y has size 2, but must have size 3, the "
                    "order of L");
  CHECK_THROWS_AS(varia::multi_normal_cholesky_lpdf(y, Eigen::VectorXd::Zero(4), L),
                  std::invalid_argument);

  Eigen::MatrixXd negative = L;
  negative(1, 1) = -0.9;
  CHECK_THROWS_WITH(varia::multi_normal_cholesky_lpdf(y, mu, negative),
                    "varia::multi_normal_cholesky_lpdf: L(1, 1) is -0.900000, but must be "
                    "positive and finite, because it is on the diagonal of a Cholesky factor");
  Eigen::MatrixXd infinite = L;
  infinite(2, 0) = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(varia::multi_normal_cholesky_lpdf(y, mu, infinite),
                    "varia::multi_normal_cholesky_lpdf: L(2, 0) is inf, but must be finite");
  CHECK_THROWS_WITH(
      varia::multi_normal_cholesky_lpdf(y, Eigen::Vector3d(0.0, std::nan(""), 0.0), L),
      "varia::multi_normal_cholesky_lpdf: mu[1] is nan, but must be finite");
}
