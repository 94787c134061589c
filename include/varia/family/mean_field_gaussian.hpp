// Mean-field Gaussian family: independent normals z_i = mu_i + exp(omega_i) eps_i.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <string_view>

#include <Eigen/Core>

#include <varia/family/checks.hpp>
#include <varia/random/counter_rng.hpp>

namespace varia {

/// Gaussian N(mu, diag(sigma^2)) with sigma = exp(omega) and lambda = [mu (d); omega (d)].
/// The base noise is eps ~ N(0, I_d) and z = mu + sigma * eps elementwise.
class MeanFieldGaussian {
 public:
  static constexpr std::string_view type_name = "varia::MeanFieldGaussian";

  /// Creates N(0, I_d). Throws std::invalid_argument if dimension < 1.
  explicit MeanFieldGaussian(Eigen::Index dimension) {
    detail::family::check_dimension({type_name, ""}, dimension);
    parameters_ = Eigen::VectorXd::Zero(2 * dimension);
    unpack();
  }

  /// Returns N(mean, diag(standard_deviation^2)). Throws std::invalid_argument if mean is empty
  /// or not finite, or standard_deviation differs in size or has an entry that is not positive
  /// and finite.
  static MeanFieldGaussian from_mean_and_standard_deviation(
      const Eigen::VectorXd& mean, const Eigen::VectorXd& standard_deviation) {
    const detail::family::FunctionName function{type_name, "from_mean_and_standard_deviation"};
    detail::family::check_dimension(function, mean.size());
    detail::family::check_finite(function, "mean", mean);
    detail::family::check_size(function, "standard_deviation.size()", standard_deviation.size(),
                               mean.size(), "mean.size()");
    detail::family::check_positive_finite(function, "standard_deviation", standard_deviation);
    MeanFieldGaussian family(mean.size());
    Eigen::VectorXd parameters(2 * mean.size());
    parameters << mean, standard_deviation.array().log().matrix();
    family.set_parameters(parameters);
    return family;
  }

  Eigen::Index dimension() const { return mean_.size(); }
  Eigen::Index base_dimension() const { return mean_.size(); }
  Eigen::Index parameter_count() const { return parameters_.size(); }
  std::string_view name() const { return "mean-field Gaussian"; }

  /// The flat parameter vector lambda = [mu; omega].
  const Eigen::VectorXd& parameters() const { return parameters_; }

  const Eigen::VectorXd& mean() const { return mean_; }

  /// The standard deviations sigma = exp(omega).
  const Eigen::VectorXd& standard_deviation() const { return standard_deviation_; }

  /// Returns diag(sigma^2).
  Eigen::MatrixXd covariance() const {
    return standard_deviation_.array().square().matrix().asDiagonal();
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

  /// Fills base (d x S, S = base.cols()) with standard normals from rng.fill_normal at
  /// `iteration`, so column s is the same for every S.
  void draw_base(const CounterRng& rng, std::uint32_t iteration, Eigen::MatrixXd& base) const {
    base.resize(dimension(), base.cols());
    rng.fill_normal(iteration, 0, base);
  }

  /// Computes z = mu + sigma * eps for each column of eps (d x S).
  void transform(const Eigen::MatrixXd& eps, Eigen::MatrixXd& z) const {
    check_block_rows("transform", "eps", eps);
    z = (eps.array().colwise() * standard_deviation_.array()).matrix();
    z.colwise() += mean_;
  }

  /// Sets log_density(s) = log N(z_s; mu, diag(sigma^2)) for each column of z (d x S).
  void log_density(const Eigen::MatrixXd& z, Eigen::VectorXd& log_density) const {
    check_block_rows("log_density", "z", z);
    log_density = (-0.5 * ((z.colwise() - mean_).array().colwise() * inverse_standard_deviation_)
                              .square()
                              .colwise()
                              .sum() -
                   normalizing_term_)
                      .transpose();
  }

  /// Adds sum_s (dz_s / dlambda)^T upstream_s to gradient: dz/dmu = I and
  /// dz_i/domega_i = sigma_i eps_i.
  void add_transform_adjoint(const Eigen::MatrixXd& eps, const Eigen::MatrixXd& upstream,
                             Eigen::VectorXd& gradient) const {
    const detail::family::FunctionName function{type_name, "add_transform_adjoint"};
    check_block_rows("add_transform_adjoint", "eps", eps);
    detail::family::check_rows(function, "upstream", upstream.rows(), dimension(), "dimension()");
    detail::family::check_columns(function, "upstream", upstream.cols(), eps.cols(), "eps.cols()");
    check_gradient_size("add_transform_adjoint", gradient);
    const Eigen::Index d = dimension();
    gradient.head(d) += upstream.rowwise().sum();
    gradient.tail(d).array() +=
        (upstream.array() * eps.array()).rowwise().sum() * standard_deviation_.array();
  }

  /// Adds sum_s weights_s d/dlambda log q(mu + sigma eps_s; lambda) to gradient. That log
  /// density is log N(eps_s; 0, I) - sum_i omega_i, so each omega_i gets -sum_s weights_s.
  void add_log_density_total_gradient(const Eigen::MatrixXd& eps, const Eigen::VectorXd& weights,
                                      Eigen::VectorXd& gradient) const {
    const detail::family::FunctionName function{type_name, "add_log_density_total_gradient"};
    check_block_rows("add_log_density_total_gradient", "eps", eps);
    detail::family::check_size(function, "weights.size()", weights.size(), eps.cols(),
                               "eps.cols()");
    check_gradient_size("add_log_density_total_gradient", gradient);
    gradient.tail(dimension()).array() -= weights.sum();
  }

  /// Sets gradient (d x S) to grad_z log q(z_s) = -(z_s - mu) / sigma^2.
  void log_density_gradient(const Eigen::MatrixXd& z, Eigen::MatrixXd& gradient) const {
    check_block_rows("log_density_gradient", "z", z);
    gradient = ((z.colwise() - mean_).array().colwise() * -inverse_variance_.array()).matrix();
  }

  /// Sets score (2d x S) to grad_lambda log q(z_s; lambda) at fixed z_s:
  /// d/dmu = (z - mu) / sigma^2 and d/domega = ((z - mu) / sigma)^2 - 1.
  void score(const Eigen::MatrixXd& z, Eigen::MatrixXd& score) const {
    check_block_rows("score", "z", z);
    const Eigen::Index d = dimension();
    score.resize(2 * d, z.cols());
    score.topRows(d) = (z.colwise() - mean_).array().colwise() * inverse_standard_deviation_;
    score.bottomRows(d) = score.topRows(d).array().square() - 1.0;
    score.topRows(d).array().colwise() *= inverse_standard_deviation_;
  }

  /// Returns the entropy sum_i omega_i + d (1 + log(2 pi)) / 2.
  double entropy() const {
    return parameters_.tail(dimension()).sum() +
           0.5 * static_cast<double>(dimension()) * (1.0 + std::log(2.0 * std::numbers::pi));
  }

  /// Adds dH/dlambda to gradient: 0 for mu, 1 for each omega_i.
  void add_entropy_gradient(Eigen::VectorXd& gradient) const {
    check_gradient_size("add_entropy_gradient", gradient);
    gradient.tail(dimension()).array() += 1.0;
  }

 private:
  // NOTE: |omega_i| above about 709 makes sigma_i or 1 / sigma_i overflow, and set_parameters()
  // accepts it because it is finite.
  void unpack() {
    const Eigen::Index d = parameters_.size() / 2;
    mean_ = parameters_.head(d);
    standard_deviation_ = parameters_.tail(d).array().exp().matrix();
    inverse_standard_deviation_ = (-parameters_.tail(d).array()).exp();
    inverse_variance_ = inverse_standard_deviation_.square().matrix();
    normalizing_term_ =
        parameters_.tail(d).sum() + 0.5 * static_cast<double>(d) * std::log(2.0 * std::numbers::pi);
  }

  void check_block_rows(std::string_view method, std::string_view argument,
                        const Eigen::MatrixXd& block) const {
    detail::family::check_rows({type_name, method}, argument, block.rows(), dimension(),
                               argument == "z" ? "dimension()" : "base_dimension()");
  }

  void check_gradient_size(std::string_view method, const Eigen::VectorXd& gradient) const {
    detail::family::check_size({type_name, method}, "gradient.size()", gradient.size(),
                               parameter_count(), "parameter_count()");
  }

  Eigen::VectorXd parameters_;
  Eigen::VectorXd mean_;
  Eigen::VectorXd standard_deviation_;
  Eigen::ArrayXd inverse_standard_deviation_;
  Eigen::VectorXd inverse_variance_;
  double normalizing_term_ = 0.0;
};

}  // namespace varia
