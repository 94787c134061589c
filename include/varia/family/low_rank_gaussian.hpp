// Low-rank plus diagonal Gaussian family: z = mu + B e1 + diag(exp(omega)) e2.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <string>
#include <string_view>

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include <varia/family/checks.hpp>
#include <varia/random/counter_rng.hpp>

namespace varia {

/// Gaussian N(mu, B B^T + D^2) with a d x r factor B and D = diag(sigma), sigma = exp(omega).
/// lambda = [mu (d); B column-major (d r); omega (d)]. The base noise is eps ~ N(0, I_{r + d})
/// with rows 0, ..., r - 1 the factor noise e1 and rows r, ..., r + d - 1 the diagonal noise e2,
/// and z = mu + B e1 + sigma * e2.
///
/// Densities use the Woodbury identity and the matrix determinant lemma with the r x r matrix
/// C = I_r + B^T D^{-2} B:
///   Sigma^{-1} = D^{-2} - D^{-2} B C^{-1} B^T D^{-2},   log det Sigma = log det C + 2 sum omega,
/// so set_parameters() costs O(d r^2) and each sample O(d r) after it.
class LowRankGaussian {
 public:
  static constexpr std::string_view type_name = "varia::LowRankGaussian";

  /// Initial value of B(k, k) for k < rank; the other entries of B start at 0.
  static constexpr double initial_factor_scale = 0.1;

  /// Creates the family with mu = 0, omega = 0 and B(k, k) = initial_factor_scale for k < rank,
  /// so the covariance is I plus 0.01 on the first rank diagonal entries. B does not start at 0
  /// because B = 0 is a stationary point: the reparameterization gradient for B is
  /// E[grad_z f(z) e1^T], and with B = 0 the draw z does not depend on e1, so the expectation
  /// factors into E[grad_z f(z)] E[e1]^T = 0, and the entropy gradient Sigma^{-1} B is 0 there
  /// too. Throws std::invalid_argument if dimension < 1 or rank is outside [1, dimension].
  LowRankGaussian(Eigen::Index dimension, Eigen::Index rank) {
    const detail::family::FunctionName function{type_name, ""};
    detail::family::check_dimension(function, dimension);
    if (rank < 1 || rank > dimension) {
      detail::family::throw_invalid_argument(
          function, "rank", detail::family::format_value(rank),
          "in [1, dimension] = [1, " + std::to_string(dimension) + "]");
    }
    dimension_ = dimension;
    rank_ = rank;
    parameters_ = Eigen::VectorXd::Zero(2 * dimension + dimension * rank);
    for (Eigen::Index k = 0; k < rank; ++k) {
      parameters_(dimension + k * dimension + k) = initial_factor_scale;
    }
    unpack();
  }

  Eigen::Index dimension() const { return dimension_; }
  Eigen::Index rank() const { return rank_; }
  Eigen::Index base_dimension() const { return dimension_ + rank_; }
  Eigen::Index parameter_count() const { return parameters_.size(); }
  std::string_view name() const { return "low-rank Gaussian"; }

  /// The flat parameter vector lambda = [mu; B column-major; omega].
  const Eigen::VectorXd& parameters() const { return parameters_; }

  const Eigen::VectorXd& mean() const { return mean_; }

  /// The factor B (d x r).
  const Eigen::MatrixXd& factor() const { return factor_; }

  /// The diagonal standard deviations sigma = exp(omega).
  const Eigen::VectorXd& standard_deviation() const { return standard_deviation_; }

  /// Returns B B^T + diag(sigma^2).
  Eigen::MatrixXd covariance() const {
    Eigen::MatrixXd covariance = factor_ * factor_.transpose();
    covariance.diagonal() += standard_deviation_.array().square().matrix();
    return covariance;
  }

  /// Sets lambda. Throws std::invalid_argument if parameters has the wrong size or a non-finite
  /// entry.
  void set_parameters(const Eigen::VectorXd& parameters) {
    const detail::family::FunctionName function{type_name, "set_parameters"};
    detail::family::check_size(function, "parameters.size()", parameters.size(), parameters_.size(),
                               "parameter_count()");
    detail::family::check_finite(function, "parameters", parameters);
    parameters_ = parameters;
    unpack();
  }

  /// Fills base ((r + d) x S, S = base.cols()) with standard normals from rng.fill_normal at
  /// `iteration`, so column s is the same for every S.
  void draw_base(const CounterRng& rng, std::uint32_t iteration, Eigen::MatrixXd& base) const {
    base.resize(base_dimension(), base.cols());
    rng.fill_normal(iteration, 0, base);
  }

  /// Computes z = mu + B e1 + sigma * e2 for each column of eps ((r + d) x S). z must not alias
  /// eps.
  void transform(const Eigen::MatrixXd& eps, Eigen::MatrixXd& z) const {
    check_base_rows("transform", eps);
    z = eps.bottomRows(dimension_).array().colwise() * standard_deviation_.array();
    z.noalias() += factor_ * eps.topRows(rank_);
    z.colwise() += mean_;
  }

  /// Sets log_density(s) = log N(z_s; mu, B B^T + D^2) for each column of z (d x S).
  void log_density(const Eigen::MatrixXd& z, Eigen::VectorXd& log_density) const {
    check_point_rows("log_density", z);
    const Eigen::MatrixXd centered = z.colwise() - mean_;
    log_density = -0.5 * quadratic_form(centered).transpose();
    log_density.array() -= normalizing_term_;
  }

  /// Adds sum_s (dz_s / dlambda)^T upstream_s to gradient: dz/dmu = I, dz/dB = e1^T per row,
  /// dz_i/domega_i = sigma_i e2_i.
  void add_transform_adjoint(const Eigen::MatrixXd& eps, const Eigen::MatrixXd& upstream,
                             Eigen::VectorXd& gradient) const {
    const detail::family::FunctionName function{type_name, "add_transform_adjoint"};
    check_base_rows("add_transform_adjoint", eps);
    detail::family::check_rows(function, "upstream", upstream.rows(), dimension_, "dimension()");
    detail::family::check_columns(function, "upstream", upstream.cols(), eps.cols(), "eps.cols()");
    check_gradient_size("add_transform_adjoint", gradient);
    gradient.head(dimension_) += upstream.rowwise().sum();
    factor_part(gradient).noalias() += upstream * eps.topRows(rank_).transpose();
    omega_part(gradient).array() +=
        (upstream.array() * eps.bottomRows(dimension_).array()).rowwise().sum() *
        standard_deviation_.array();
  }

  /// Adds sum_s weights_s d/dlambda log q(T(eps_s; lambda); lambda) to gradient. This total
  /// derivative is the score at z_s = T(eps_s) plus the transform adjoint of
  /// grad_z log q(z_s) = -v_s, v_s = Sigma^{-1} (z_s - mu). The mu parts cancel, and
  ///   dB: sum_s weights_s v_s (B^T v_s - e1_s)^T - (sum_s weights_s) Sigma^{-1} B,
  ///   domega_i: sum_s weights_s (sigma_i^2 v_is^2 - sigma_i v_is e2_is)
  ///             - (sum_s weights_s) sigma_i^2 (Sigma^{-1})_ii.
  void add_log_density_total_gradient(const Eigen::MatrixXd& eps, const Eigen::VectorXd& weights,
                                      Eigen::VectorXd& gradient) const {
    const detail::family::FunctionName function{type_name, "add_log_density_total_gradient"};
    check_base_rows("add_log_density_total_gradient", eps);
    detail::family::check_size(function, "weights.size()", weights.size(), eps.cols(),
                               "eps.cols()");
    check_gradient_size("add_log_density_total_gradient", gradient);
    const double total_weight = weights.sum();
    Eigen::MatrixXd centered =
        eps.bottomRows(dimension_).array().colwise() * standard_deviation_.array();
    centered.noalias() += factor_ * eps.topRows(rank_);
    const Eigen::MatrixXd v = precision_times(centered);
    Eigen::MatrixXd projected = factor_.transpose() * v;
    projected -= eps.topRows(rank_);
    const Eigen::MatrixXd weighted_v = v * weights.asDiagonal();
    factor_part(gradient).noalias() += weighted_v * projected.transpose();
    factor_part(gradient) -= total_weight * precision_times_factor_;
    const Eigen::ArrayXd sigma = standard_deviation_.array();
    omega_part(gradient).array() +=
        sigma.square() * (weighted_v.array() * v.array()).rowwise().sum() -
        sigma * (weighted_v.array() * eps.bottomRows(dimension_).array()).rowwise().sum() -
        total_weight * sigma.square() * precision_diagonal_.array();
  }

  /// Sets gradient (d x S) to grad_z log q(z_s) = -Sigma^{-1} (z_s - mu).
  void log_density_gradient(const Eigen::MatrixXd& z, Eigen::MatrixXd& gradient) const {
    check_point_rows("log_density_gradient", z);
    gradient = -precision_times(z.colwise() - mean_);
  }

  /// Sets score (parameter_count x S) to grad_lambda log q(z_s; lambda) at fixed z_s, with
  /// v = Sigma^{-1} (z - mu): d/dmu = v, d/dB = v (B^T v)^T - Sigma^{-1} B and
  /// d/domega_i = sigma_i^2 (v_i^2 - (Sigma^{-1})_ii).
  void score(const Eigen::MatrixXd& z, Eigen::MatrixXd& score) const {
    check_point_rows("score", z);
    const Eigen::MatrixXd v = precision_times(z.colwise() - mean_);
    const Eigen::MatrixXd projected = factor_.transpose() * v;
    score.resize(parameter_count(), z.cols());
    score.topRows(dimension_) = v;
    for (Eigen::Index k = 0; k < rank_; ++k) {
      score.middleRows(dimension_ + k * dimension_, dimension_) =
          (v.array().rowwise() * projected.row(k).array()).colwise() -
          precision_times_factor_.col(k).array();
    }
    score.bottomRows(dimension_) =
        (v.array().square().colwise() - precision_diagonal_.array()).colwise() *
        standard_deviation_.array().square();
  }

  /// Returns the entropy (log det Sigma + d (1 + log(2 pi))) / 2.
  double entropy() const {
    return 0.5 * log_determinant_ +
           0.5 * static_cast<double>(dimension_) * (1.0 + std::log(2.0 * std::numbers::pi));
  }

  /// Adds dH/dlambda to gradient: Sigma^{-1} B for B, sigma_i^2 (Sigma^{-1})_ii for omega_i.
  void add_entropy_gradient(Eigen::VectorXd& gradient) const {
    check_gradient_size("add_entropy_gradient", gradient);
    factor_part(gradient) += precision_times_factor_;
    omega_part(gradient).array() +=
        standard_deviation_.array().square() * precision_diagonal_.array();
  }

 private:
  using FactorMap = Eigen::Map<Eigen::MatrixXd>;

  FactorMap factor_part(Eigen::VectorXd& gradient) const {
    return FactorMap(gradient.data() + dimension_, dimension_, rank_);
  }

  Eigen::VectorXd::SegmentReturnType omega_part(Eigen::VectorXd& gradient) const {
    return gradient.segment(dimension_ + dimension_ * rank_, dimension_);
  }

  // NOTE: |omega_i| above about 354 makes sigma_i^2 or its inverse overflow, and
  // set_parameters() accepts it because it is finite.
  void unpack() {
    const Eigen::Index d = dimension_;
    mean_ = parameters_.head(d);
    factor_ = Eigen::Map<const Eigen::MatrixXd>(parameters_.data() + d, d, rank_);
    const Eigen::ArrayXd omega = parameters_.tail(d).array();
    standard_deviation_ = omega.exp().matrix();
    inverse_variance_ = (-2.0 * omega).exp().matrix();
    scaled_factor_ = inverse_variance_.asDiagonal() * factor_;  // D^{-2} B
    Eigen::MatrixXd capacitance = Eigen::MatrixXd::Identity(rank_, rank_);
    capacitance.noalias() += factor_.transpose() * scaled_factor_;
    capacitance_cholesky_.compute(capacitance);
    const Eigen::MatrixXd capacitance_factor = capacitance_cholesky_.matrixL();
    log_determinant_ = 2.0 * capacitance_factor.diagonal().array().log().sum() + 2.0 * omega.sum();
    normalizing_term_ =
        0.5 * log_determinant_ + 0.5 * static_cast<double>(d) * std::log(2.0 * std::numbers::pi);
    // Sigma^{-1} B = D^{-2} B - D^{-2} B C^{-1} B^T D^{-2} B = D^{-2} B C^{-1}, because
    // B^T D^{-2} B = C - I.
    precision_times_factor_ = capacitance_cholesky_.solve(scaled_factor_.transpose()).transpose();
    // (Sigma^{-1})_ii = sigma_i^{-2} - |row i of D^{-2} B M^{-T}|^2 with C = M M^T.
    const Eigen::MatrixXd half_solved =
        capacitance_cholesky_.matrixL().solve(scaled_factor_.transpose());
    precision_diagonal_ = inverse_variance_ - half_solved.colwise().squaredNorm().transpose();
  }

  // Returns Sigma^{-1} x for each column of x (d x S) by the Woodbury identity.
  Eigen::MatrixXd precision_times(const Eigen::MatrixXd& x) const {
    Eigen::MatrixXd result = inverse_variance_.asDiagonal() * x;
    const Eigen::MatrixXd weights = capacitance_cholesky_.solve(scaled_factor_.transpose() * x);
    result.noalias() -= scaled_factor_ * weights;
    return result;
  }

  // Returns x_s^T Sigma^{-1} x_s for each column of x (d x S), as a column vector.
  Eigen::VectorXd quadratic_form(const Eigen::MatrixXd& x) const {
    Eigen::MatrixXd projected = scaled_factor_.transpose() * x;
    capacitance_cholesky_.matrixL().solveInPlace(projected);
    return ((x.array().square().colwise() * inverse_variance_.array()).colwise().sum() -
            projected.colwise().squaredNorm().array())
        .transpose();
  }

  void check_base_rows(std::string_view method, const Eigen::MatrixXd& eps) const {
    detail::family::check_rows({type_name, method}, "eps", eps.rows(), base_dimension(),
                               "base_dimension()");
  }

  void check_point_rows(std::string_view method, const Eigen::MatrixXd& z) const {
    detail::family::check_rows({type_name, method}, "z", z.rows(), dimension_, "dimension()");
  }

  void check_gradient_size(std::string_view method, const Eigen::VectorXd& gradient) const {
    detail::family::check_size({type_name, method}, "gradient.size()", gradient.size(),
                               parameter_count(), "parameter_count()");
  }

  Eigen::Index dimension_ = 0;
  Eigen::Index rank_ = 0;
  Eigen::VectorXd parameters_;
  Eigen::VectorXd mean_;
  Eigen::MatrixXd factor_;
  Eigen::VectorXd standard_deviation_;
  Eigen::VectorXd inverse_variance_;
  Eigen::MatrixXd scaled_factor_;
  Eigen::LLT<Eigen::MatrixXd> capacitance_cholesky_;
  Eigen::MatrixXd precision_times_factor_;
  Eigen::VectorXd precision_diagonal_;
  double log_determinant_ = 0.0;
  double normalizing_term_ = 0.0;
};

}  // namespace varia
