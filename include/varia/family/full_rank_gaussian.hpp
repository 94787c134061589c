// Full-rank Gaussian family: z = mu + L eps with eps ~ N(0, I) and L lower triangular.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <string_view>

#include <Eigen/Core>

#include <varia/family/checks.hpp>
#include <varia/family/triangular_location_scale.hpp>
#include <varia/random/counter_rng.hpp>

namespace varia {

/// Gaussian N(mu, L L^T) with a lower-triangular Cholesky factor L that has a positive diagonal.
/// lambda = [mu (d); lower triangle of L packed column by column (d (d + 1) / 2)], where each
/// column j starts with log L_jj followed by L_ij for i > j, so every finite lambda is valid.
/// The base noise is eps ~ N(0, I_d).
class FullRankGaussian : public detail::family::TriangularLocationScale<FullRankGaussian> {
  using Base = detail::family::TriangularLocationScale<FullRankGaussian>;

 public:
  static constexpr std::string_view type_name = "varia::FullRankGaussian";

  /// Creates N(0, I_d). Throws std::invalid_argument if dimension < 1.
  explicit FullRankGaussian(Eigen::Index dimension) : Base(dimension) {}

  /// Returns N(mean, covariance), with L the Cholesky factor of covariance. Throws
  /// std::invalid_argument if mean is empty or not finite, or covariance is not a finite,
  /// symmetric, positive definite matrix of matching size.
  static FullRankGaussian from_mean_and_covariance(const Eigen::VectorXd& mean,
                                                   const Eigen::MatrixXd& covariance) {
    const detail::family::FunctionName function{type_name, "from_mean_and_covariance"};
    detail::family::check_dimension(function, mean.size());
    FullRankGaussian family(mean.size());
    family.set_location_and_scale_matrix(function, "covariance", mean, covariance);
    return family;
  }

  std::string_view name() const { return "full-rank Gaussian"; }

  const Eigen::VectorXd& mean() const { return location(); }

  /// Returns L L^T.
  Eigen::MatrixXd covariance() const {
    const Eigen::MatrixXd& factor = scale_factor();
    return factor.triangularView<Eigen::Lower>() * factor.transpose();
  }

  /// Fills base (d x S, S = base.cols()) with standard normals from rng.fill_normal at
  /// `iteration`, so column s is the same for every S.
  void draw_base(const CounterRng& rng, std::uint32_t iteration, Eigen::MatrixXd& base) const {
    base.resize(dimension(), base.cols());
    rng.fill_normal(iteration, 0, base);
  }

  /// Sets log_density(s) = log N(z_s; mu, L L^T) for each column of z (d x S).
  void log_density(const Eigen::MatrixXd& z, Eigen::VectorXd& log_density) const {
    Eigen::MatrixXd y;
    standardize("log_density", z, y);
    log_density = (-0.5 * y.colwise().squaredNorm().array() - normalizing_term()).transpose();
  }

  /// Sets gradient (d x S) to grad_z log q(z_s) = -L^{-T} L^{-1} (z_s - mu).
  void log_density_gradient(const Eigen::MatrixXd& z, Eigen::MatrixXd& gradient) const {
    standardize("log_density_gradient", z, gradient);
    solve_transposed_in_place(gradient);
    gradient = -gradient;
  }

  /// Sets score (parameter_count x S) to grad_lambda log q(z_s; lambda) at fixed z_s.
  void score(const Eigen::MatrixXd& z, Eigen::MatrixXd& score) const {
    Eigen::MatrixXd y;
    standardize("score", z, y);
    Eigen::MatrixXd v = y;
    solve_transposed_in_place(v);
    fill_score(y, v, score);
  }

  /// Returns the entropy sum_j log L_jj + d (1 + log(2 pi)) / 2.
  double entropy() const {
    return log_determinant() +
           0.5 * static_cast<double>(dimension()) * (1.0 + std::log(2.0 * std::numbers::pi));
  }

  /// Adds dH/dlambda to gradient: 1 for each log L_jj, 0 elsewhere.
  void add_entropy_gradient(Eigen::VectorXd& gradient) const {
    detail::family::check_size({type_name, "add_entropy_gradient"}, "gradient.size()",
                               gradient.size(), parameter_count(), "parameter_count()");
    add_to_log_diagonal(1.0, gradient);
  }

 private:
  double normalizing_term() const {
    return log_determinant() +
           0.5 * static_cast<double>(dimension()) * std::log(2.0 * std::numbers::pi);
  }
};

}  // namespace varia
