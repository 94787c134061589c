#include <varia/ad/gradient.hpp>
#include <varia/ad/vector_operations.hpp>
#include <varia/math/reductions.hpp>

#include <stdexcept>

#include "support/catch.hpp"
#include "support/gradient_check.hpp"

namespace {

Eigen::MatrixXd test_matrix() {
  Eigen::MatrixXd matrix(4, 3);
  matrix << 1.0, -2.0, 0.5,  //
      0.3, 0.0, 1.5,         //
      -1.0, 2.0, 2.0,        //
      0.7, 0.1, -0.4;
  return matrix;
}

struct MatrixProduct {
  Eigen::MatrixXd matrix = test_matrix();
  Eigen::VectorXd weights = Eigen::Vector4d(0.5, -1.0, 2.0, 0.25);
  template <class T>
  auto operator()(const T& x) const {
    return varia::dot(weights, matrix * x) + varia::squared_norm(matrix * x);
  }
};

struct Reductions {
  template <class T>
  auto operator()(const T& x) const {
    return varia::sum(x) * varia::dot(x, x) - varia::squared_norm(x.head(2)) +
           varia::dot(x.tail(2), x.segment(1, 2));
  }
};

struct Arithmetic {
  Eigen::VectorXd data = Eigen::Vector3d(1.0, -2.0, 0.5);
  template <class T>
  auto operator()(const T& x) const {
    const auto v = x.head(3);
    const auto w = x.tail(3);
    return varia::sum(varia::elementwise_product(v + w, v - w)) + varia::dot(data, -v) +
           varia::sum((v - data) * x(0)) + varia::sum(x(1) * w) + varia::sum(2.0 * (data - w)) +
           varia::sum(data + v) + varia::dot(w, data);
  }
};

}  // namespace

TEST_CASE("matrix product matches finite differences") {
  varia::test::expect_ad(MatrixProduct{}, varia::test::uniform_points(3, 30, -2.0, 2.0));
}

TEST_CASE("matrix product gradient matches the closed form") {
  // f = w^T A x + |A x|^2 has gradient A^T w + 2 A^T A x.
  const MatrixProduct f;
  const Eigen::Vector3d x(0.3, -0.7, 1.1);
  const auto [value, gradient] = varia::value_and_gradient(f, x);
  const Eigen::VectorXd expected =
      f.matrix.transpose() * f.weights + 2.0 * f.matrix.transpose() * f.matrix * x;
  CHECK(gradient.isApprox(expected, 1e-14));
}

TEST_CASE("reductions match finite differences") {
  varia::test::expect_ad(Reductions{}, varia::test::uniform_points(4, 30, -2.0, 2.0));
}

TEST_CASE("vector arithmetic matches finite differences") {
  varia::test::expect_ad(Arithmetic{}, varia::test::uniform_points(6, 30, -2.0, 2.0));
}

TEST_CASE("vector size mismatch is rejected") {
  auto mismatched = [](const auto& v) { return varia::dot(v.head(2), v.head(3)); };
  const Eigen::Vector3d x(1.0, 2.0, 3.0);
  CHECK_THROWS_WITH(varia::value_and_gradient(mismatched, x),
                    "varia::ad::dot: the right vector's size is 3, but must be 2");
  const Eigen::MatrixXd matrix = Eigen::MatrixXd::Ones(2, 2);
  auto wrong_product = [&matrix](const auto& v) { return varia::sum(matrix * v); };
  CHECK_THROWS_AS(varia::value_and_gradient(wrong_product, x), std::invalid_argument);
}

TEST_CASE("element access out of range is rejected") {
  auto out_of_range = [](const auto& v) { return v(3); };
  const Eigen::Vector3d x(1.0, 2.0, 3.0);
  CHECK_THROWS_WITH(varia::value_and_gradient(out_of_range, x),
                    "varia::ad::Vector::operator(): index 3 is out of range for a vector of "
                    "size 3");
  auto bad_segment = [](const auto& v) { return varia::sum(v.segment(2, 2)); };
  CHECK_THROWS_AS(varia::value_and_gradient(bad_segment, x), std::out_of_range);
}
