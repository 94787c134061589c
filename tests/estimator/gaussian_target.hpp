// A Gaussian target N(m, Sigma) written as a generic model, with the closed forms that the
// estimator and fit tests compare against.
#pragma once

#include <cmath>
#include <numbers>

#include <Eigen/Dense>

#include <varia/math/reductions.hpp>
#include <varia/random/counter_rng.hpp>

namespace varia::test {

/// log p(x) = -1/2 (x - m)^T P (x - m) + log_scale, an unnormalized Gaussian with precision P.
/// Its normalizer is log Z = log_scale + d/2 log(2 pi) - 1/2 log det P.
struct GaussianTarget {
  Eigen::VectorXd m;
  Eigen::MatrixXd precision;
  double log_scale = 0.0;

  Eigen::Index dimension() const { return m.size(); }

  template <class T>
  auto operator()(const T& x) const {
    const auto centered = x - m;
    return -0.5 * varia::dot(centered, precision * centered) + log_scale;
  }

  Eigen::MatrixXd covariance() const { return precision.inverse(); }

  double log_z() const {
    const Eigen::LLT<Eigen::MatrixXd> cholesky(precision);
    const double log_det = 2.0 * cholesky.matrixL().toDenseMatrix().diagonal().array().log().sum();
    return log_scale + 0.5 * static_cast<double>(m.size()) * std::log(2.0 * std::numbers::pi) -
           0.5 * log_det;
  }

  /// The exact ELBO of q = N(mu, C): E_q[log p] + H(q), with
  /// E_q[log p] = -1/2 [(mu - m)^T P (mu - m) + tr(P C)] + log_scale.
  double elbo(const Eigen::VectorXd& mu, const Eigen::MatrixXd& c) const {
    const Eigen::VectorXd centered = mu - m;
    const double expected_log_p =
        -0.5 * (centered.dot(precision * centered) + (precision * c).trace()) + log_scale;
    const Eigen::LLT<Eigen::MatrixXd> cholesky(c);
    const double log_det = 2.0 * cholesky.matrixL().toDenseMatrix().diagonal().array().log().sum();
    const double entropy =
        0.5 * static_cast<double>(m.size()) * (1.0 + std::log(2.0 * std::numbers::pi)) +
        0.5 * log_det;
    return expected_log_p + entropy;
  }
};

/// A d-dimensional target with a random mean, a random rotation and standard deviations spread
/// log-uniformly over [1 / sqrt(condition), 1], so Sigma has the given condition number.
inline GaussianTarget make_gaussian_target(Eigen::Index d, double condition, std::uint64_t seed,
                                           double log_scale = 0.0) {
  const CounterRng rng(seed);
  const Eigen::MatrixXd noise = rng.normal_block(0, d, d + 1);
  GaussianTarget target;
  target.m = noise.col(d);
  const Eigen::HouseholderQR<Eigen::MatrixXd> qr(noise.leftCols(d));
  const Eigen::MatrixXd rotation = qr.householderQ();
  Eigen::VectorXd variance(d);
  for (Eigen::Index i = 0; i < d; ++i) {
    const double fraction = d == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(d - 1);
    variance(i) = std::pow(condition, -fraction);
  }
  target.precision = rotation * variance.cwiseInverse().asDiagonal() * rotation.transpose();
  target.precision = 0.5 * (target.precision + target.precision.transpose());
  target.log_scale = log_scale;
  return target;
}

}  // namespace varia::test
