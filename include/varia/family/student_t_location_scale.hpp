// Multivariate Student-t family: z = mu + L eps with eps multivariate Student-t with nu degrees
// of freedom and L lower triangular.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <stdexcept>
#include <string>
#include <string_view>

#include <Eigen/Core>

#include <varia/family/checks.hpp>
#include <varia/family/triangular_location_scale.hpp>
#include <varia/math/special.hpp>
#include <varia/random/counter_rng.hpp>
#include <varia/random/gamma.hpp>

namespace varia {

/// Multivariate Student-t with nu degrees of freedom, location mu and scale matrix L L^T:
///   log q(z) = lgamma((nu + d) / 2) - lgamma(nu / 2) - (d / 2) log(nu pi) - sum_j log L_jj
///              - ((nu + d) / 2) log(1 + |y|^2 / nu),   y = L^{-1} (z - mu).
/// lambda is laid out as in FullRankGaussian: [mu; lower triangle of L packed column by column
/// with log L_jj first in each column]. nu is fixed, not a parameter. The base noise eps (d x S)
/// is the standard multivariate t, eps = n / sqrt(g / nu) with n ~ N(0, I_d) and
/// g ~ chi-square(nu) = 2 Gamma(nu / 2, 1) shared by all coordinates of a sample.
class StudentTLocationScale
    : public detail::family::TriangularLocationScale<StudentTLocationScale> {
  using Base = detail::family::TriangularLocationScale<StudentTLocationScale>;

 public:
  static constexpr std::string_view type_name = "varia::StudentTLocationScale";

  /// Default degrees of freedom: tails clearly heavier than a Gaussian's, while the variance and
  /// the fourth moments stay finite (they need nu > 2 and nu > 4).
  static constexpr double default_degrees_of_freedom = 5.0;

  /// Creates the t distribution with location 0 and scale matrix I_d. Throws
  /// std::invalid_argument if dimension < 1 or degrees_of_freedom is not positive and finite.
  explicit StudentTLocationScale(Eigen::Index dimension,
                                 double degrees_of_freedom = default_degrees_of_freedom)
      : Base(dimension), degrees_of_freedom_(degrees_of_freedom) {
    check_degrees_of_freedom({type_name, ""}, degrees_of_freedom);
    update_constant();
  }

  /// Returns the t distribution with the given location and scale matrix L L^T (L its
  /// Cholesky factor). Throws std::invalid_argument as FullRankGaussian::from_mean_and_covariance
  /// does, and if degrees_of_freedom is not positive and finite.
  static StudentTLocationScale from_location_and_scale_matrix(
      const Eigen::VectorXd& location, const Eigen::MatrixXd& scale_matrix,
      double degrees_of_freedom = default_degrees_of_freedom) {
    const detail::family::FunctionName function{type_name, "from_location_and_scale_matrix"};
    detail::family::check_dimension(function, location.size());
    check_degrees_of_freedom(function, degrees_of_freedom);
    StudentTLocationScale family(location.size(), degrees_of_freedom);
    family.set_location_and_scale_matrix(function, "scale_matrix", location, scale_matrix);
    return family;
  }

  std::string_view name() const { return "Student-t location-scale"; }

  double degrees_of_freedom() const { return degrees_of_freedom_; }

  /// Returns the location mu, which is the mean when nu > 1. For nu <= 1 the mean does not exist
  /// and this still returns mu, the center of symmetry.
  const Eigen::VectorXd& mean() const { return location(); }

  /// Returns the scale matrix L L^T.
  Eigen::MatrixXd scale_matrix() const {
    const Eigen::MatrixXd& factor = scale_factor();
    return factor.triangularView<Eigen::Lower>() * factor.transpose();
  }

  /// Returns the covariance nu / (nu - 2) L L^T. Throws std::domain_error if nu <= 2, where the
  /// covariance is infinite or undefined.
  Eigen::MatrixXd covariance() const {
    if (!(degrees_of_freedom_ > 2.0)) {
      throw std::domain_error(std::string(type_name) + "::covariance: degrees_of_freedom is " +
                              detail::family::format_value(degrees_of_freedom_) +
                              ", but must be above 2 for a finite covariance");
    }
    return degrees_of_freedom_ / (degrees_of_freedom_ - 2.0) * scale_matrix();
  }

  /// Fills base (d x S, S = base.cols()) with standard multivariate t draws. Entry (j, s) is
  /// rng.normal(iteration, s, j) * sqrt(nu / g_s) with g_s = 2 gamma_variate(rng, nu / 2,
  /// iteration, s, 0), so column s is the same for every S.
  void draw_base(const CounterRng& rng, std::uint32_t iteration, Eigen::MatrixXd& base) const {
    base.resize(dimension(), base.cols());
    rng.fill_normal(iteration, 0, base);
    const double half_nu = 0.5 * degrees_of_freedom_;
    for (Eigen::Index s = 0; s < base.cols(); ++s) {
      detail::CounterDrawSequence draws(rng, detail::RandomFamily::gamma, iteration, s, 0);
      // sqrt(nu / (2 Gamma)) = exp(-(log Gamma - log(nu / 2)) / 2), with log Gamma taken from
      // its split form, which does not underflow for small shapes.
      const double log_gamma_variate = detail::split_gamma(half_nu, draws).log_value();
      base.col(s) *= std::exp(-0.5 * (log_gamma_variate - std::log(half_nu)));
    }
  }

  /// Sets log_density(s) = log q(z_s) for each column of z (d x S).
  void log_density(const Eigen::MatrixXd& z, Eigen::VectorXd& log_density) const {
    Eigen::MatrixXd y;
    standardize("log_density", z, y);
    const double exponent = 0.5 * (degrees_of_freedom_ + static_cast<double>(dimension()));
    log_density = (log_constant_ - log_determinant() -
                   exponent * (y.colwise().squaredNorm().array() / degrees_of_freedom_).log1p())
                      .transpose();
  }

  /// Sets gradient (d x S) to grad_z log q(z_s) = -c_s L^{-T} y_s with
  /// c_s = (nu + d) / (nu + |y_s|^2).
  void log_density_gradient(const Eigen::MatrixXd& z, Eigen::MatrixXd& gradient) const {
    standardize("log_density_gradient", z, gradient);
    const Eigen::RowVectorXd factors = weight_factors(gradient);
    solve_transposed_in_place(gradient);
    gradient.array().rowwise() *= -factors.array();
  }

  /// Sets score (parameter_count x S) to grad_lambda log q(z_s; lambda) at fixed z_s.
  void score(const Eigen::MatrixXd& z, Eigen::MatrixXd& score) const {
    Eigen::MatrixXd y;
    standardize("score", z, y);
    Eigen::MatrixXd v = y;
    solve_transposed_in_place(v);
    v.array().rowwise() *= weight_factors(y).array();
    fill_score(y, v, score);
  }

  /// Returns the entropy sum_j log L_jj - lgamma((nu + d) / 2) + lgamma(nu / 2)
  /// + (d / 2) log(nu pi) + ((nu + d) / 2) (digamma((nu + d) / 2) - digamma(nu / 2)).
  double entropy() const {
    const double half_nu = 0.5 * degrees_of_freedom_;
    const double half_total = 0.5 * (degrees_of_freedom_ + static_cast<double>(dimension()));
    return log_determinant() - log_constant_ +
           half_total * (detail::digamma_scalar(half_total) - detail::digamma_scalar(half_nu));
  }

  /// Adds dH/dlambda to gradient: 1 for each log L_jj, 0 elsewhere.
  void add_entropy_gradient(Eigen::VectorXd& gradient) const {
    detail::family::check_size({type_name, "add_entropy_gradient"}, "gradient.size()",
                               gradient.size(), parameter_count(), "parameter_count()");
    add_to_log_diagonal(1.0, gradient);
  }

 private:
  static void check_degrees_of_freedom(const detail::family::FunctionName& function,
                                       double degrees_of_freedom) {
    if (!(std::isfinite(degrees_of_freedom) && degrees_of_freedom > 0.0)) {
      detail::family::throw_invalid_argument(function, "degrees_of_freedom",
                                             detail::family::format_value(degrees_of_freedom),
                                             "positive and finite");
    }
  }

  void update_constant() {
    const double d = static_cast<double>(dimension());
    log_constant_ = std::lgamma(0.5 * (degrees_of_freedom_ + d)) -
                    std::lgamma(0.5 * degrees_of_freedom_) -
                    0.5 * d * std::log(degrees_of_freedom_ * std::numbers::pi);
  }

  // c_s = (nu + d) / (nu + |y_s|^2) for each column of y.
  Eigen::RowVectorXd weight_factors(const Eigen::MatrixXd& y) const {
    const double nu = degrees_of_freedom_;
    return ((nu + static_cast<double>(dimension())) / (nu + y.colwise().squaredNorm().array()))
        .matrix();
  }

  double degrees_of_freedom_;
  double log_constant_ = 0.0;
};

}  // namespace varia
