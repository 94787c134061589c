// The transform from R^(K(K-1)/2) onto Cholesky factors of K x K correlation matrices.
#pragma once

#include <cmath>
#include <numbers>
#include <string>
#include <string_view>

#include <Eigen/Core>

#include <varia/math/logistic.hpp>
#include <varia/model/transform_base.hpp>

namespace varia::transform {

/// Maps x in R^(K(K-1)/2) onto lower-triangular K x K matrices L with positive diagonal and
/// rows of unit norm, so that L L^T is a correlation matrix. The construction is Stan's
/// (Stan Reference Manual, "Constraint Transforms", section "Cholesky factors of correlation
/// matrices"): x is read row by row into the strictly lower triangle, z = tanh(x) are canonical
/// partial correlations, and in row i (0-based)
///   L(i, 0) = z_i0,  L(i, j) = z_ij sqrt(1 - sum_(m<j) L(i, m)^2),  L(i, i) = sqrt(1 - ...).
/// Since 1 - sum_(m<j) L(i, m)^2 = prod_(m<j) (1 - z_im^2), with a_im = log(1 - z_im^2) the
/// log-Jacobian of x -> strictly lower triangle is sum_i sum_(m<i) a_im (1 + (i - 1 - m) / 2),
/// and a = -2 log cosh x is computed without forming 1 - z^2, so it is finite for every finite x.
///
/// Autodiff matrices have one lane, so the factor is returned as a flat vector of K(K+1)/2
/// entries: the lower triangle with the diagonal, in column-major order. index(i, j) returns the
/// position of L(i, j).
class CholeskyFactorCorr : public TransformBase<CholeskyFactorCorr> {
 public:
  static constexpr bool elementwise = false;

  /// Throws std::invalid_argument unless size >= 2.
  explicit CholeskyFactorCorr(Eigen::Index size) : size_(size) {
    if (size < 2) {
      throw std::invalid_argument("varia::transform::CholeskyFactorCorr: size is " +
                                  std::to_string(size) + ", expected at least 2");
    }
  }

  /// K, the number of rows and columns of the factor.
  Eigen::Index size() const { return size_; }

  /// K(K-1)/2, the number of unconstrained values.
  Eigen::Index unconstrained_size() const { return size_ * (size_ - 1) / 2; }

  /// Returns the position of L(i, j), 0-based with j <= i < K, in the flat constrained vector.
  Eigen::Index index(Eigen::Index i, Eigen::Index j) const {
    return j * size_ - j * (j - 1) / 2 + (i - j);
  }

  /// K(K+1)/2; throws std::invalid_argument unless unconstrained_size is K(K-1)/2.
  Eigen::Index constrained_size(Eigen::Index unconstrained_size) const {
    if (unconstrained_size != this->unconstrained_size()) {
      throw std::invalid_argument(
          "varia::transform::CholeskyFactorCorr: the unconstrained vector has " +
          std::to_string(unconstrained_size) + " elements, but a " + std::to_string(size_) + " x " +
          std::to_string(size_) + " factor needs " + std::to_string(this->unconstrained_size()));
    }
    return size_ * (size_ + 1) / 2;
  }

  /// Returns the flat vector as the K x K lower-triangular matrix (zeros above the diagonal).
  Eigen::MatrixXd to_matrix(const Eigen::VectorXd& flat) const {
    check_flat_size("varia::transform::CholeskyFactorCorr::to_matrix", "the flat vector", flat);
    Eigen::MatrixXd matrix = Eigen::MatrixXd::Zero(size_, size_);
    for (Eigen::Index j = 0; j < size_; ++j) {
      for (Eigen::Index i = j; i < size_; ++i) {
        matrix(i, j) = flat(index(i, j));
      }
    }
    return matrix;
  }

  /// Returns the lower triangle of a K x K matrix as the flat vector. Throws std::invalid_argument
  /// unless the matrix is K x K, and std::domain_error unless the entries above the diagonal
  /// are 0 within 1e-8.
  Eigen::VectorXd from_matrix(const Eigen::MatrixXd& matrix, std::string_view name = "L") const {
    const char* function = "varia::transform::CholeskyFactorCorr::from_matrix";
    if (matrix.rows() != size_ || matrix.cols() != size_) {
      throw std::invalid_argument(std::string(function) + ": " + std::string(name) + " is " +
                                  std::to_string(matrix.rows()) + " x " +
                                  std::to_string(matrix.cols()) + ", expected " +
                                  std::to_string(size_) + " x " + std::to_string(size_));
    }
    Eigen::VectorXd flat(size_ * (size_ + 1) / 2);
    for (Eigen::Index j = 0; j < size_; ++j) {
      for (Eigen::Index i = 0; i < j; ++i) {
        if (!(std::abs(matrix(i, j)) <= 1e-8)) {
          detail::throw_outside_support(function, entry_name(name, i, j), matrix(i, j),
                                        "0 above the diagonal of a lower-triangular factor");
        }
      }
      for (Eigen::Index i = j; i < size_; ++i) {
        flat(index(i, j)) = matrix(i, j);
      }
    }
    return flat;
  }

  template <int W>
  void forward(const detail::ConstBlockMap<W>& x, detail::BlockMap<W> y,
               ad::Lanes<W>& log_jacobian) const {
    log_jacobian.setZero();
    y.row(index(0, 0)).setOnes();
    for (Eigen::Index i = 1; i < size_; ++i) {
      ad::Lanes<W> half_log_width = ad::Lanes<W>::Zero();  // log sqrt(1 - sum_(m<j) L(i, m)^2)
      for (Eigen::Index j = 0; j < i; ++j) {
        const ad::Lanes<W> v = detail::lanes_of_row(x, first_input(i) + j);
        const ad::Lanes<W> a = log_one_minus_tanh_squared(v);
        y.row(index(i, j)) = (v.tanh() * half_log_width.exp()).matrix().transpose();
        log_jacobian += a * weight(i, j);
        half_log_width += 0.5 * a;
      }
      y.row(index(i, i)) = half_log_width.exp().matrix().transpose();
    }
  }

  // In row i, with w_m = exp(half_log_width before m): dL(i, m)/dx_m = w_m (1 - z_m^2),
  // dL(i, j)/dx_m = -z_m L(i, j) for m < j <= i, and the log-Jacobian term a_m has derivative
  // -2 z_m. The sum over j > m is kept as a running suffix sum.
  template <int W>
  void backward(const detail::ConstBlockMap<W>& x, const detail::ConstBlockMap<W>& y,
                const detail::BlockMap<W>& y_adjoint, const ad::Lanes<W>& log_jacobian_adjoint,
                detail::BlockMap<W> x_adjoint) const {
    for (Eigen::Index i = 1; i < size_; ++i) {
      ad::Lanes<W> log_width = ad::Lanes<W>::Zero();
      for (Eigen::Index j = 0; j < i; ++j) {
        log_width += 0.5 * log_one_minus_tanh_squared(detail::lanes_of_row(x, first_input(i) + j));
      }
      ad::Lanes<W> suffix =
          detail::lanes_of_row(y_adjoint, index(i, i)) * detail::lanes_of_row(y, index(i, i));
      for (Eigen::Index m = i - 1; m >= 0; --m) {
        const ad::Lanes<W> v = detail::lanes_of_row(x, first_input(i) + m);
        const ad::Lanes<W> a = log_one_minus_tanh_squared(v);
        const ad::Lanes<W> z = v.tanh();
        const ad::Lanes<W> g = detail::lanes_of_row(y_adjoint, index(i, m));
        log_width -= 0.5 * a;  // now the log of w_m
        const ad::Lanes<W> adjoint =
            g * (log_width + a).exp() - z * suffix - 2.0 * weight(i, m) * log_jacobian_adjoint * z;
        x_adjoint.row(first_input(i) + m) += adjoint.matrix().transpose();
        suffix += g * detail::lanes_of_row(y, index(i, m));
      }
    }
  }

  /// Returns the x with constrain(x) = y for a flat factor y (see index()). Throws
  /// std::invalid_argument unless y has K(K+1)/2 elements, and std::domain_error unless the
  /// diagonal is positive, L(0, 0) = 1 and every row has unit norm, within 1e-8.
  Eigen::VectorXd unconstrain(const Eigen::VectorXd& y, std::string_view name = "L") const {
    const char* function = "varia::transform::CholeskyFactorCorr::unconstrain";
    check_flat_size(function, name, y);
    Eigen::VectorXd x(unconstrained_size());
    for (Eigen::Index i = 0; i < size_; ++i) {
      if (!(y(index(i, i)) > 0.0)) {
        detail::throw_outside_support(function, entry_name(name, i, i), y(index(i, i)),
                                      "positive on the diagonal of a Cholesky factor");
      }
      double squared_norm = 0.0;
      for (Eigen::Index j = 0; j <= i; ++j) {
        squared_norm += y(index(i, j)) * y(index(i, j));
      }
      if (!(std::abs(squared_norm - 1.0) <= 1e-8)) {
        detail::throw_outside_support(
            function,
            "the squared norm of row " + std::to_string(i + 1) + " of " + std::string(name),
            squared_norm, "1 (within 1e-8) for the Cholesky factor of a correlation matrix");
      }
      // z_ij = L(i, j) / sqrt(sum_(m>=j) L(i, m)^2): the tail sum avoids the cancellation in
      // 1 - sum_(m<j), and |z_ij| < 1 because it includes L(i, i)^2 > 0.
      double tail = y(index(i, i)) * y(index(i, i));
      for (Eigen::Index j = i - 1; j >= 0; --j) {
        tail += y(index(i, j)) * y(index(i, j));
        x(first_input(i) + j) = std::atanh(y(index(i, j)) / std::sqrt(tail));
      }
    }
    return x;
  }

 private:
  /// The position of x's first value for row i: the rows before it hold i(i-1)/2 values.
  static Eigen::Index first_input(Eigen::Index i) { return i * (i - 1) / 2; }

  /// The factor of a_ij in the log-Jacobian: 1 from tanh and 1/2 for each later entry of row i.
  static double weight(Eigen::Index i, Eigen::Index j) {
    return 1.0 + 0.5 * static_cast<double>(i - 1 - j);
  }

  /// log(1 - tanh(v)^2) = -2 log cosh v = 2 log 2 - 2|v| - 2 log(1 + exp(-2|v|)).
  template <int W>
  static ad::Lanes<W> log_one_minus_tanh_squared(const ad::Lanes<W>& v) {
    const ad::Lanes<W> e = (-2.0 * v.abs()).exp();
    return 2.0 * std::numbers::ln2 - 2.0 * v.abs() - 2.0 * varia::detail::log1p_small(e);
  }

  static std::string entry_name(std::string_view name, Eigen::Index i, Eigen::Index j) {
    return std::string(name) + "[" + std::to_string(i + 1) + "," + std::to_string(j + 1) + "]";
  }

  void check_flat_size(const char* function, std::string_view name,
                       const Eigen::VectorXd& flat) const {
    const Eigen::Index expected = size_ * (size_ + 1) / 2;
    if (flat.size() != expected) {
      throw std::invalid_argument(
          std::string(function) + ": " + std::string(name) + " has " + std::to_string(flat.size()) +
          " elements, but the lower " + "triangle of a " + std::to_string(size_) + " x " +
          std::to_string(size_) + " factor has " + std::to_string(expected));
    }
  }

  Eigen::Index size_;
};

}  // namespace varia::transform
