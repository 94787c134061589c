#include <varia/ad/gradient.hpp>
#include <varia/ad/matrix.hpp>
#include <varia/math/reductions.hpp>

#include <cmath>

#include "support/catch.hpp"
#include "support/gradient_check.hpp"

namespace {

constexpr Eigen::Index dimension = 3;

// f(L, b) = w^T L^-1 b + log det(L L^T), with L the lower triangle of the first 9 parameters
// (column-major) and b the last 3. The double path computes the same with Eigen.
struct SolveAndLogDeterminant {
  Eigen::VectorXd weights = Eigen::Vector3d(0.5, -1.0, 2.0);
  template <class T>
  auto operator()(const T& x) const {
    if constexpr (varia::ad::VectorExpression<T>) {
      const varia::ad::Matrix lower =
          varia::ad::as_matrix(x.head(dimension * dimension), dimension, dimension);
      const auto solution = varia::ad::solve_lower_triangular(lower, x.tail(dimension));
      return varia::ad::Scalar<1>(varia::dot(weights, solution) +
                                  varia::ad::log_determinant_from_cholesky(lower));
    } else {
      const Eigen::Map<const Eigen::MatrixXd> lower(x.data(), dimension, dimension);
      const Eigen::VectorXd solution =
          lower.triangularView<Eigen::Lower>().solve(x.tail(dimension));
      return weights.dot(solution) + 2.0 * lower.diagonal().array().log().sum();
    }
  }
};

Eigen::VectorXd parameters(unsigned seed) {
  Eigen::VectorXd x =
      varia::test::uniform_points(dimension * dimension + dimension, 1, -1.0, 1.0, seed);
  for (Eigen::Index i = 0; i < dimension; ++i) {
    x(i * dimension + i) = 1.0 + std::abs(x(i * dimension + i));  // positive diagonal
  }
  return x;
}

}  // namespace

TEST_CASE("triangular solve and log-determinant match finite differences") {
  for (unsigned seed = 1; seed <= 10; ++seed) {
    const Eigen::VectorXd x = parameters(seed);
    varia::test::check_gradient(SolveAndLogDeterminant{}, x);
    // The strict upper triangle is never read, so its gradient is exactly zero.
    const auto [value, gradient] = varia::value_and_gradient(SolveAndLogDeterminant{}, x);
    CHECK(gradient(1 * dimension + 0) == 0.0);
    CHECK(gradient(2 * dimension + 1) == 0.0);
  }
}

TEST_CASE("triangular solve with lanes sums the shared factor's adjoint") {
  const Eigen::VectorXd x = parameters(3);
  const Eigen::MatrixXd lower_values = Eigen::Map<const Eigen::MatrixXd>(x.data(), 3, 3);
  const Eigen::MatrixXd right_sides = varia::test::uniform_points(3, 16, -2.0, 2.0);
  const Eigen::Vector3d weights(0.5, -1.0, 2.0);

  Eigen::MatrixXd expected_lower_adjoint = Eigen::MatrixXd::Zero(3, 3);
  Eigen::MatrixXd expected_b_adjoint(3, 16);
  for (Eigen::Index lane = 0; lane < 16; ++lane) {
    varia::ad::Recording recording("test");
    const auto lower = varia::ad::Matrix::from_values(lower_values);
    const auto b = varia::ad::Vector<1>::from_values(right_sides.col(lane));
    varia::ad::backward(varia::dot(weights, varia::ad::solve_lower_triangular(lower, b)));
    expected_lower_adjoint += lower.adjoint();
    expected_b_adjoint.col(lane) = b.adjoint();
  }

  varia::ad::Recording recording("test");
  const auto lower = varia::ad::Matrix::from_values(lower_values);
  const auto b = varia::ad::Vector<16>::from_values(right_sides);
  const auto per_lane = varia::dot(weights, varia::ad::solve_lower_triangular(lower, b));
  varia::ad::backward(varia::ad::sum_lanes(per_lane));
  CHECK(lower.adjoint().isApprox(expected_lower_adjoint, 1e-12));
  CHECK(b.adjoint().isApprox(expected_b_adjoint, 1e-12));
}

TEST_CASE("as_matrix rejects a wrong element count") {
  varia::ad::Recording recording("test");
  const auto v = varia::ad::Vector<1>::from_values(Eigen::VectorXd::Ones(5));
  CHECK_THROWS_WITH(varia::ad::as_matrix(v, 2, 3),
                    "varia::ad::as_matrix: a 2 x 3 matrix needs 6 elements, but the vector has 5");
}
