// Operations on autodiff vectors, each recorded as one tape node with an analytic adjoint:
// products with data matrices (GEMM across lanes), reductions, arithmetic and elementwise maps.
#pragma once

#include <stdexcept>
#include <string>
#include <type_traits>

#include <Eigen/Core>

#include <varia/ad/expression.hpp>
#include <varia/ad/lanes.hpp>
#include <varia/ad/scalar.hpp>
#include <varia/ad/tape.hpp>
#include <varia/ad/vector.hpp>

namespace varia::ad {

namespace detail {

/// A column-major data matrix seen through a pointer, so that tape nodes stay trivially
/// destructible. The matrix must outlive the recording (model data does).
struct MatrixView {
  const double* data;
  Eigen::Index rows;
  Eigen::Index cols;
  Eigen::Index outer_stride;

  auto map() const {
    return Eigen::Map<const Eigen::MatrixXd, 0, Eigen::OuterStride<>>(
        data, rows, cols, Eigen::OuterStride<>(outer_stride));
  }
};

template <class Derived>
MatrixView view_of(const Eigen::MatrixBase<Derived>& matrix) {
  static_assert(
      (Derived::Flags & Eigen::DirectAccessBit) && !(Derived::Flags & Eigen::RowMajorBit) &&
          std::is_same_v<typename Derived::Scalar, double>,
      "varia::ad: a data matrix multiplying an autodiff vector must be a column-major Eigen "
      "matrix of doubles, or a map or block of one; evaluate other expressions into an "
      "Eigen::MatrixXd that lives as long as the model");
  if (matrix.innerStride() != 1) {
    throw std::invalid_argument("varia::ad: data matrix columns must be contiguous");
  }
  return MatrixView{matrix.derived().data(), matrix.rows(), matrix.cols(), matrix.outerStride()};
}

inline void check_sizes(const char* function, const char* what, Eigen::Index expected,
                        Eigen::Index actual) {
  if (expected != actual) {
    throw std::invalid_argument(std::string(function) + ": " + what + " is " +
                                std::to_string(actual) + ", but must be " +
                                std::to_string(expected));
  }
}

}  // namespace detail

/// X * v for a data matrix X (m x n) and an autodiff vector v (n elements): with W lanes this is
/// one matrix-matrix product, m x n times n x W. The adjoint is X^T times the output's adjoint.
template <class Derived, int W>
Vector<W> operator*(const Eigen::MatrixBase<Derived>& matrix, const Vector<W>& vector) {
  detail::check_sizes("varia::ad::operator*(matrix, vector)", "the vector's size", matrix.cols(),
                      vector.size());
  const detail::MatrixView x = detail::view_of(matrix);
  Vector<W> result = Vector<W>::uninitialized(x.rows);
  result.value_storage().noalias() = x.map() * vector.value();
  tape().on_backward([x, vector, result] {
    vector.adjoint().noalias() += x.map().transpose() * result.adjoint();
  });
  return result;
}

/// Deleted: the product would keep a pointer to a temporary matrix.
template <int W>
Vector<W> operator*(Eigen::MatrixXd&& matrix, const Vector<W>& vector) = delete;

/// The sum of the elements, per lane.
template <int W>
Scalar<W> sum(const Vector<W>& vector) {
  Tape& t = tape();
  double* value = t.uninitialized(W);
  double* adjoint = t.zeros(W);
  Eigen::Map<Lanes<W>> result(value);
  result = vector.value().colwise().sum().transpose().array();
  t.on_backward([vector, adjoint] {
    const Eigen::Map<const Eigen::Matrix<double, 1, W>> g(adjoint);
    vector.adjoint().rowwise() += g;
  });
  return Scalar<W>(value, adjoint);
}

/// y^T v for a data vector y, per lane.
template <class Derived, int W>
Scalar<W> dot(const Eigen::MatrixBase<Derived>& data, const Vector<W>& vector) {
  detail::check_sizes("varia::ad::dot", "the data vector's size", vector.size(), data.size());
  const detail::MatrixView y = detail::view_of(data);
  Tape& t = tape();
  double* value = t.uninitialized(W);
  double* adjoint = t.zeros(W);
  Eigen::Map<Eigen::Matrix<double, 1, W>> result(value);
  result.noalias() = y.map().col(0).transpose() * vector.value();
  t.on_backward([y, vector, adjoint] {
    const Eigen::Map<const Eigen::Matrix<double, 1, W>> g(adjoint);
    vector.adjoint().noalias() += y.map().col(0) * g;
  });
  return Scalar<W>(value, adjoint);
}

template <class Derived, int W>
Scalar<W> dot(const Vector<W>& vector, const Eigen::MatrixBase<Derived>& data) {
  return dot(data, vector);
}

/// u^T v for two autodiff vectors, per lane.
template <int W>
Scalar<W> dot(const Vector<W>& left, const Vector<W>& right) {
  detail::check_sizes("varia::ad::dot", "the right vector's size", left.size(), right.size());
  Tape& t = tape();
  double* value = t.uninitialized(W);
  double* adjoint = t.zeros(W);
  Eigen::Map<Eigen::Matrix<double, 1, W>> result(value);
  result = left.value().cwiseProduct(right.value()).colwise().sum();
  t.on_backward([left, right, adjoint] {
    const Eigen::Map<const Eigen::Matrix<double, 1, W>> g(adjoint);
    left.adjoint().array() += right.value().array().rowwise() * g.array();
    right.adjoint().array() += left.value().array().rowwise() * g.array();
  });
  return Scalar<W>(value, adjoint);
}

/// v^T v, per lane.
template <int W>
Scalar<W> squared_norm(const Vector<W>& vector) {
  Tape& t = tape();
  double* value = t.uninitialized(W);
  double* adjoint = t.zeros(W);
  Eigen::Map<Eigen::Matrix<double, 1, W>> result(value);
  result = vector.value().colwise().squaredNorm();
  t.on_backward([vector, adjoint] {
    const Eigen::Map<const Eigen::Matrix<double, 1, W>> g(adjoint);
    vector.adjoint().array() += 2.0 * (vector.value().array().rowwise() * g.array());
  });
  return Scalar<W>(value, adjoint);
}

/// f applied to each element, for a derivative rule with value(x) and derivative(x, value) on
/// Eigen arrays: one node for the whole vector, vectorized across elements and lanes.
template <class Rule, int W>
Vector<W> elementwise(const Vector<W>& vector) {
  Vector<W> result = Vector<W>::uninitialized(vector.size());
  result.value_storage().array() = Rule::value(vector.value().array());
  tape().on_backward([vector, result] {
    vector.adjoint().array() +=
        result.adjoint().array() * Rule::derivative(vector.value().array(), result.value().array());
  });
  return result;
}

/// u + v, elementwise.
template <int W>
Vector<W> operator+(const Vector<W>& left, const Vector<W>& right) {
  detail::check_sizes("varia::ad::operator+", "the right vector's size", left.size(), right.size());
  Vector<W> result = Vector<W>::uninitialized(left.size());
  result.value_storage() = left.value() + right.value();
  tape().on_backward([left, right, result] {
    left.adjoint() += result.adjoint();
    right.adjoint() += result.adjoint();
  });
  return result;
}

/// u - v, elementwise.
template <int W>
Vector<W> operator-(const Vector<W>& left, const Vector<W>& right) {
  detail::check_sizes("varia::ad::operator-", "the right vector's size", left.size(), right.size());
  Vector<W> result = Vector<W>::uninitialized(left.size());
  result.value_storage() = left.value() - right.value();
  tape().on_backward([left, right, result] {
    left.adjoint() += result.adjoint();
    right.adjoint() -= result.adjoint();
  });
  return result;
}

/// v + y and y + v for a data vector y, elementwise.
template <class Derived, int W>
Vector<W> operator+(const Vector<W>& vector, const Eigen::MatrixBase<Derived>& data) {
  detail::check_sizes("varia::ad::operator+", "the data vector's size", vector.size(), data.size());
  Vector<W> result = Vector<W>::uninitialized(vector.size());
  result.value_storage() = vector.value().colwise() + data.derived().col(0);
  tape().on_backward([vector, result] { vector.adjoint() += result.adjoint(); });
  return result;
}

template <class Derived, int W>
Vector<W> operator+(const Eigen::MatrixBase<Derived>& data, const Vector<W>& vector) {
  return vector + data;
}

/// v - y for a data vector y, elementwise.
template <class Derived, int W>
Vector<W> operator-(const Vector<W>& vector, const Eigen::MatrixBase<Derived>& data) {
  detail::check_sizes("varia::ad::operator-", "the data vector's size", vector.size(), data.size());
  Vector<W> result = Vector<W>::uninitialized(vector.size());
  result.value_storage() = vector.value().colwise() - data.derived().col(0);
  tape().on_backward([vector, result] { vector.adjoint() += result.adjoint(); });
  return result;
}

/// y - v for a data vector y, elementwise.
template <class Derived, int W>
Vector<W> operator-(const Eigen::MatrixBase<Derived>& data, const Vector<W>& vector) {
  detail::check_sizes("varia::ad::operator-", "the data vector's size", vector.size(), data.size());
  Vector<W> result = Vector<W>::uninitialized(vector.size());
  result.value_storage() = (-vector.value()).colwise() + data.derived().col(0);
  tape().on_backward([vector, result] { vector.adjoint() -= result.adjoint(); });
  return result;
}

/// -v.
template <int W>
Vector<W> operator-(const Vector<W>& vector) {
  Vector<W> result = Vector<W>::uninitialized(vector.size());
  result.value_storage() = -vector.value();
  tape().on_backward([vector, result] { vector.adjoint() -= result.adjoint(); });
  return result;
}

/// s * v for a scalar s (an autodiff scalar expression or a double), per lane.
template <ScalarOperand S, int W>
Vector<W> operator*(const S& scale, const Vector<W>& vector) {
  if constexpr (ScalarExpression<S>) {
    const Scalar<W> s(scale);
    Vector<W> result = Vector<W>::uninitialized(vector.size());
    const Eigen::Map<const Eigen::Matrix<double, 1, W>> s_row(s.value().data());
    result.value_storage().array() = vector.value().array().rowwise() * s_row.array();
    tape().on_backward([s, vector, result] {
      const Eigen::Map<const Eigen::Matrix<double, 1, W>> s_lanes(s.value().data());
      vector.adjoint().array() += result.adjoint().array().rowwise() * s_lanes.array();
      s.adjoint() +=
          result.adjoint().cwiseProduct(vector.value()).colwise().sum().transpose().array();
    });
    return result;
  } else {
    const auto factor = static_cast<double>(scale);
    Vector<W> result = Vector<W>::uninitialized(vector.size());
    result.value_storage() = factor * vector.value();
    tape().on_backward([factor, vector, result] { vector.adjoint() += factor * result.adjoint(); });
    return result;
  }
}

template <ScalarOperand S, int W>
Vector<W> operator*(const Vector<W>& vector, const S& scale) {
  return scale * vector;
}

/// s + v: a scalar (autodiff or double) added to every element, per lane.
template <ScalarOperand S, int W>
Vector<W> operator+(const S& shift, const Vector<W>& vector) {
  if constexpr (ScalarExpression<S>) {
    const Scalar<W> s(shift);
    Vector<W> result = Vector<W>::uninitialized(vector.size());
    const Eigen::Map<const Eigen::Matrix<double, 1, W>> s_row(s.value().data());
    result.value_storage() = vector.value().rowwise() + s_row;
    tape().on_backward([s, vector, result] {
      vector.adjoint() += result.adjoint();
      s.adjoint() += result.adjoint().colwise().sum().transpose().array();
    });
    return result;
  } else {
    const auto constant = static_cast<double>(shift);
    Vector<W> result = Vector<W>::uninitialized(vector.size());
    result.value_storage() = vector.value().array() + constant;
    tape().on_backward([vector, result] { vector.adjoint() += result.adjoint(); });
    return result;
  }
}

template <ScalarOperand S, int W>
Vector<W> operator+(const Vector<W>& vector, const S& shift) {
  return shift + vector;
}

template <ScalarOperand S, int W>
Vector<W> operator-(const Vector<W>& vector, const S& shift) {
  return (-shift) + vector;
}

/// u .* v, the elementwise product.
template <int W>
Vector<W> elementwise_product(const Vector<W>& left, const Vector<W>& right) {
  detail::check_sizes("varia::ad::elementwise_product", "the right vector's size", left.size(),
                      right.size());
  Vector<W> result = Vector<W>::uninitialized(left.size());
  result.value_storage() = left.value().cwiseProduct(right.value());
  tape().on_backward([left, right, result] {
    left.adjoint() += result.adjoint().cwiseProduct(right.value());
    right.adjoint() += result.adjoint().cwiseProduct(left.value());
  });
  return result;
}

}  // namespace varia::ad
