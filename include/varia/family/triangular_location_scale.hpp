// Shared core of the families z = mu + L eps with L lower triangular and a positive diagonal
// (FullRankGaussian, StudentTLocationScale).
#pragma once

#include <cmath>
#include <string>
#include <string_view>

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include <varia/family/checks.hpp>

namespace varia::detail::family {

/// Number of entries in the lower triangle of a d x d matrix, diagonal included.
inline Eigen::Index packed_triangle_size(Eigen::Index dimension) {
  return dimension * (dimension + 1) / 2;
}

/// Location mu and lower-triangular scale factor L with a positive diagonal, stored in the
/// parameter vector lambda = [mu (d); lower triangle of L (d (d + 1) / 2)]. The triangle is packed
/// column by column: column j contributes log L_jj first, then L_ij for i = j + 1, ..., d - 1.
/// Storing log L_jj makes every finite lambda a valid parameter.
///
/// Derived supplies `static constexpr std::string_view type_name` for error messages.
template <class Derived>
class TriangularLocationScale {
 public:
  Eigen::Index dimension() const { return location_.size(); }
  Eigen::Index base_dimension() const { return location_.size(); }
  Eigen::Index parameter_count() const { return parameters_.size(); }

  /// The flat parameter vector lambda.
  const Eigen::VectorXd& parameters() const { return parameters_; }

  /// The location mu.
  const Eigen::VectorXd& location() const { return location_; }

  /// The scale factor L (lower triangular, zeros above the diagonal).
  const Eigen::MatrixXd& scale_factor() const { return scale_factor_; }

  /// Sets lambda. Throws std::invalid_argument if parameters has the wrong size or a non-finite
  /// entry.
  void set_parameters(const Eigen::VectorXd& parameters) {
    const FunctionName function{Derived::type_name, "set_parameters"};
    check_size(function, "parameters.size()", parameters.size(), parameters_.size(),
               "parameter_count()");
    check_finite(function, "parameters", parameters);
    parameters_ = parameters;
    unpack();
  }

  /// Computes z = mu + L eps for each column of eps (d x S). z must not alias eps.
  void transform(const Eigen::MatrixXd& eps, Eigen::MatrixXd& z) const {
    check_rows({Derived::type_name, "transform"}, "eps", eps.rows(), dimension(),
               "base_dimension()");
    z.resize(dimension(), eps.cols());
    z.noalias() = scale_factor_.triangularView<Eigen::Lower>() * eps;
    z.colwise() += location_;
  }

  /// Adds sum_s (dz_s / dlambda)^T upstream_s to gradient, where z_s = mu + L eps_s.
  void add_transform_adjoint(const Eigen::MatrixXd& eps, const Eigen::MatrixXd& upstream,
                             Eigen::VectorXd& gradient) const {
    const FunctionName function{Derived::type_name, "add_transform_adjoint"};
    check_rows(function, "eps", eps.rows(), dimension(), "base_dimension()");
    check_rows(function, "upstream", upstream.rows(), dimension(), "dimension()");
    check_columns(function, "upstream", upstream.cols(), eps.cols(), "eps.cols()");
    check_size(function, "gradient.size()", gradient.size(), parameter_count(),
               "parameter_count()");
    gradient.head(dimension()) += upstream.rowwise().sum();
    // dz / dL_ij = eps_j e_i, so the gradient for L is upstream eps^T (lower triangle).
    const Eigen::MatrixXd scale_gradient = upstream * eps.transpose();
    add_packed_scale_gradient(scale_gradient, gradient);
  }

  /// Adds sum_s weights_s d/dlambda log q(mu + L eps_s; lambda) to gradient. The base density
  /// term does not depend on lambda, so only -log det L = -sum_j log L_jj contributes, which
  /// gives -sum_s weights_s for each log-diagonal parameter.
  void add_log_density_total_gradient(const Eigen::MatrixXd& eps, const Eigen::VectorXd& weights,
                                      Eigen::VectorXd& gradient) const {
    const FunctionName function{Derived::type_name, "add_log_density_total_gradient"};
    check_rows(function, "eps", eps.rows(), dimension(), "base_dimension()");
    check_size(function, "weights.size()", weights.size(), eps.cols(), "eps.cols()");
    check_size(function, "gradient.size()", gradient.size(), parameter_count(),
               "parameter_count()");
    add_to_log_diagonal(-weights.sum(), gradient);
  }

 protected:
  explicit TriangularLocationScale(Eigen::Index dimension) {
    check_dimension({Derived::type_name, ""}, dimension);
    parameters_ = Eigen::VectorXd::Zero(dimension + packed_triangle_size(dimension));
    location_.resize(dimension);
    scale_factor_.resize(dimension, dimension);
    unpack();
  }

  /// Sets mu = location and L = the Cholesky factor of scale_matrix. Throws
  /// std::invalid_argument unless both are finite, of size d, and scale_matrix is symmetric
  /// (within 1e-10 of its largest entry) and positive definite.
  void set_location_and_scale_matrix(const FunctionName& function, std::string_view matrix_name,
                                     const Eigen::VectorXd& location,
                                     const Eigen::MatrixXd& scale_matrix) {
    const Eigen::Index d = dimension();
    check_size(function, "location.size()", location.size(), d, "the dimension");
    check_finite(function, "location", location);
    check_size(function, std::string(matrix_name) + ".rows()", scale_matrix.rows(), d,
               "the dimension");
    check_size(function, std::string(matrix_name) + ".cols()", scale_matrix.cols(), d,
               "the dimension");
    check_finite(function, matrix_name, scale_matrix);
    const double asymmetry = (scale_matrix - scale_matrix.transpose()).cwiseAbs().maxCoeff();
    const double tolerance = 1e-10 * scale_matrix.cwiseAbs().maxCoeff();
    if (asymmetry > tolerance) {
      throw_invalid_argument(function, std::string(matrix_name) + " asymmetry max|A - A^T|",
                             format_value(asymmetry),
                             "at most 1e-10 times the largest |entry| (symmetric)");
    }
    const Eigen::LLT<Eigen::MatrixXd> cholesky(scale_matrix);
    const Eigen::MatrixXd factor = cholesky.matrixL();
    if (cholesky.info() != Eigen::Success || !(factor.diagonal().array() > 0.0).all() ||
        !factor.allFinite()) {
      throw_invalid_argument(function, matrix_name, "not positive definite",
                             "symmetric positive definite");
    }
    Eigen::VectorXd parameters(parameters_.size());
    parameters.head(d) = location;
    Eigen::Index index = d;
    for (Eigen::Index j = 0; j < d; ++j) {
      parameters(index++) = std::log(factor(j, j));
      for (Eigen::Index i = j + 1; i < d; ++i) {
        parameters(index++) = factor(i, j);
      }
    }
    parameters_ = parameters;
    unpack();
  }

  /// Returns sum_j log L_jj.
  double log_determinant() const { return log_determinant_; }

  /// Computes y = L^{-1} (z - mu) column by column, after checking z's shape for `method`.
  void standardize(std::string_view method, const Eigen::MatrixXd& z, Eigen::MatrixXd& y) const {
    check_rows({Derived::type_name, method}, "z", z.rows(), dimension(), "dimension()");
    y = z.colwise() - location_;
    scale_factor_.triangularView<Eigen::Lower>().solveInPlace(y);
  }

  /// Replaces y by L^{-T} y.
  void solve_transposed_in_place(Eigen::MatrixXd& y) const {
    scale_factor_.triangularView<Eigen::Lower>().transpose().solveInPlace(y);
  }

  /// Fills out (parameter_count x S) with the score of a density whose log is
  /// -log det L + f(|y|^2), y = L^{-1}(z - mu), given y and v = -2 f'(|y_s|^2) L^{-T} y_s:
  /// d/dmu = v, d/dL_ij = v_i y_j - [i == j] / L_jj, and d/dlog L_jj = v_j y_j L_jj - 1.
  void fill_score(const Eigen::MatrixXd& y, const Eigen::MatrixXd& v, Eigen::MatrixXd& out) const {
    const Eigen::Index d = dimension();
    out.resize(parameter_count(), y.cols());
    out.topRows(d) = v;
    Eigen::Index index = d;
    for (Eigen::Index j = 0; j < d; ++j) {
      out.row(index++) = (v.row(j).array() * y.row(j).array()) * scale_factor_(j, j) - 1.0;
      for (Eigen::Index i = j + 1; i < d; ++i) {
        out.row(index++) = v.row(i).array() * y.row(j).array();
      }
    }
  }

  /// Adds to gradient the packed-parameter gradient for a gradient G with respect to the
  /// entries of L (only the lower triangle of G is read).
  void add_packed_scale_gradient(const Eigen::MatrixXd& scale_gradient,
                                 Eigen::VectorXd& gradient) const {
    const Eigen::Index d = dimension();
    Eigen::Index index = d;
    for (Eigen::Index j = 0; j < d; ++j) {
      gradient(index++) += scale_gradient(j, j) * scale_factor_(j, j);
      for (Eigen::Index i = j + 1; i < d; ++i) {
        gradient(index++) += scale_gradient(i, j);
      }
    }
  }

  /// Adds `value` to the gradient entry of every log-diagonal parameter.
  void add_to_log_diagonal(double value, Eigen::VectorXd& gradient) const {
    Eigen::Index index = dimension();
    for (Eigen::Index j = 0; j < dimension(); ++j) {
      gradient(index) += value;
      index += dimension() - j;
    }
  }

 private:
  // NOTE: a log-diagonal entry above about 709 makes L_jj overflow to infinity, and
  // set_parameters() accepts it because it is finite.
  void unpack() {
    const Eigen::Index d = location_.size();
    location_ = parameters_.head(d);
    scale_factor_.setZero();
    log_determinant_ = 0.0;
    Eigen::Index index = d;
    for (Eigen::Index j = 0; j < d; ++j) {
      log_determinant_ += parameters_(index);
      scale_factor_(j, j) = std::exp(parameters_(index++));
      for (Eigen::Index i = j + 1; i < d; ++i) {
        scale_factor_(i, j) = parameters_(index++);
      }
    }
  }

  Eigen::VectorXd parameters_;
  Eigen::VectorXd location_;
  Eigen::MatrixXd scale_factor_;
  double log_determinant_ = 0.0;
};

}  // namespace varia::detail::family
