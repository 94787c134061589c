// Autodiff matrices shared by all lanes (weights of a neural network, a Cholesky factor), and
// the operations that combine them with laned vectors: triangular solves and the
// log-determinant from a Cholesky factor.
#pragma once

#include <cmath>
#include <stdexcept>
#include <string>

#include <Eigen/Core>

#include <varia/ad/lanes.hpp>
#include <varia/ad/scalar.hpp>
#include <varia/ad/tape.hpp>
#include <varia/ad/vector.hpp>

namespace varia::ad {

/// An autodiff matrix with one lane: its value is shared by all Monte Carlo lanes, so its
/// adjoint sums their contributions. Column-major, like Eigen::MatrixXd.
class Matrix {
 public:
  using Index = Eigen::Index;

  Matrix(double* value, double* adjoint, Index rows, Index cols)
      : value_(value), adjoint_(adjoint), rows_(rows), cols_(cols) {}

  /// A new independent variable with the given values and zero adjoints.
  static Matrix from_values(const Eigen::MatrixXd& values) {
    Tape& t = tape();
    const auto count = static_cast<std::size_t>(values.size());
    double* value = t.uninitialized(count);
    Eigen::Map<Eigen::MatrixXd>(value, values.rows(), values.cols()) = values;
    return Matrix(value, t.zeros(count), values.rows(), values.cols());
  }

  Index rows() const { return rows_; }
  Index cols() const { return cols_; }
  Eigen::Map<const Eigen::MatrixXd> value() const {
    return Eigen::Map<const Eigen::MatrixXd>(value_, rows_, cols_);
  }
  Eigen::Map<Eigen::MatrixXd> adjoint() const {
    return Eigen::Map<Eigen::MatrixXd>(adjoint_, rows_, cols_);
  }

 private:
  double* value_;
  double* adjoint_;
  Index rows_;
  Index cols_;
};

/// The elements of a one-lane vector viewed as a rows x cols column-major matrix (no copy).
inline Matrix as_matrix(const Vector<1>& vector, Eigen::Index rows, Eigen::Index cols) {
  if (rows < 0 || cols < 0 || rows * cols != vector.size()) {
    throw std::invalid_argument("varia::ad::as_matrix: a " + std::to_string(rows) + " x " +
                                std::to_string(cols) + " matrix needs " +
                                std::to_string(rows * cols) + " elements, but the vector has " +
                                std::to_string(vector.size()));
  }
  return Matrix(vector.value_data(), vector.adjoint_data(), rows, cols);
}

namespace detail {

inline void check_dimension(const char* function, const char* what, Eigen::Index actual,
                            Eigen::Index expected) {
  if (actual != expected) {
    throw std::invalid_argument(std::string(function) + ": " + what + " is " +
                                std::to_string(actual) + ", but must be " +
                                std::to_string(expected));
  }
}

}  // namespace detail

/// Solves lower * x = b for a shared lower-triangular matrix and a laned right-hand side: one
/// triangular solve with W right-hand sides. Only the lower triangle of `lower` is read; its
/// adjoint is lower triangular.
template <int W>
Vector<W> solve_lower_triangular(const Matrix& lower, const Vector<W>& b) {
  constexpr const char* function = "varia::ad::solve_lower_triangular";
  detail::check_dimension(function, "the matrix's column count", lower.cols(), lower.rows());
  detail::check_dimension(function, "the right-hand side's size", b.size(), lower.rows());
  Vector<W> result = Vector<W>::uninitialized(b.size());
  auto solution = result.value_storage();
  solution = b.value();
  lower.value().template triangularView<Eigen::Lower>().solveInPlace(solution);
  tape().on_backward([lower, b, result] {
    // With x = L^-1 b: adj(b) = L^-T adj(x) and adj(L) = -lower(adj(b) x^T).
    auto adjoint_b_data = tape().uninitialized(static_cast<std::size_t>(b.size() * W));
    Eigen::Map<LaneBlock<W>> adjoint_b(adjoint_b_data, b.size(), W);
    adjoint_b = result.adjoint();
    lower.value().transpose().template triangularView<Eigen::Upper>().solveInPlace(adjoint_b);
    b.adjoint() += adjoint_b;
    auto lower_adjoint = lower.adjoint();
    lower_adjoint.template triangularView<Eigen::Lower>() -= adjoint_b * result.value().transpose();
  });
  return result;
}

/// log det(L L^T) = 2 sum_i log L_ii for a Cholesky factor L with positive diagonal.
inline Scalar<1> log_determinant_from_cholesky(const Matrix& factor) {
  detail::check_dimension("varia::ad::log_determinant_from_cholesky", "the column count",
                          factor.cols(), factor.rows());
  Tape& t = tape();
  double* value = t.uninitialized(1);
  double* adjoint = t.zeros(1);
  value[0] = 2.0 * factor.value().diagonal().array().log().sum();
  t.on_backward([factor, adjoint] {
    factor.adjoint().diagonal().array() += 2.0 * adjoint[0] / factor.value().diagonal().array();
  });
  return Scalar<1>(value, adjoint);
}

/// The sum of a scalar's W lanes, as a one-lane scalar: the Monte Carlo total of a batch.
template <int W>
Scalar<1> sum_lanes(const Scalar<W>& scalar) {
  Tape& t = tape();
  double* value = t.uninitialized(1);
  double* adjoint = t.zeros(1);
  value[0] = scalar.value().sum();
  t.on_backward([scalar, adjoint] { scalar.adjoint() += adjoint[0]; });
  return Scalar<1>(value, adjoint);
}

/// Sets the adjoint of `result` to one and runs the backward pass of the calling thread's tape,
/// inside a Recording: afterwards every variable's adjoint() is d result / d variable.
inline void backward(const Scalar<1>& result) {
  result.adjoint().setOnes();
  tape().backward();
}

}  // namespace varia::ad
