// posteriordb gp_pois_regr-gp_pois_regr: Poisson regression on a latent one-dimensional Gaussian
// process with the exponentiated-quadratic kernel, in the whitened (non-centered) form.
#pragma once

#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include <varia/ad/vector.hpp>
#include <varia/math/distribution/gamma.hpp>
#include <varia/math/distribution/normal.hpp>
#include <varia/math/exp_log.hpp>
#include <varia/math/power.hpp>

#include "models/common.hpp"

namespace varia::posteriordb {

/// rho ~ Gamma(25, 4) (shape, rate), alpha ~ half-N(0, 2), f_tilde_i ~ N(0, 1), f = L f_tilde
/// with L the Cholesky factor of C_ij = alpha^2 exp(-(x_i - x_j)^2 / (2 rho^2)) + 1e-10 delta_ij,
/// k_i ~ Poisson(exp(f_i)). Unconstrained point: (log rho, log alpha, f_tilde[1..N]), with the
/// log-Jacobian log rho + log alpha. Reported: rho, alpha, f[1..N].
/// f is a transformed parameter, which varia::ParameterLayout does not declare, so the names,
/// constrain() and the transforms are written here.
struct GpPoisRegr {
  static constexpr std::string_view posterior = "gp_pois_regr-gp_pois_regr";

  /// The diagonal jitter the posteriordb model adds to the kernel matrix.
  static constexpr double jitter = 1e-10;

  Eigen::MatrixXd squared_distance;  // (x_i - x_j)^2
  Eigen::VectorXd counts;            // k
  double log_factorials = 0.0;       // sum_i log(k_i!)

  static GpPoisRegr from_json(const nlohmann::json& data) {
    const Eigen::Index size = read_integer(data, posterior, "N", 1);
    const Eigen::VectorXd x = read_vector(data, posterior, "x", size);
    GpPoisRegr model;
    model.counts = read_vector(data, posterior, "k", size);
    for (Eigen::Index i = 0; i < size; ++i) {
      const double k = model.counts(i);
      if (!(k >= 0.0) || k != std::floor(k)) {
        detail::fail(posterior, "k",
                     "entry " + std::to_string(i + 1) + " is " + std::to_string(k) +
                         ", expected a nonnegative integer");
      }
      model.log_factorials += std::lgamma(k + 1.0);
    }
    model.squared_distance =
        (x.replicate(1, size) - x.transpose().replicate(size, 1)).array().square().matrix();
    return model;
  }

  Eigen::Index size() const { return counts.size(); }

  Eigen::Index dimension() const { return size() + 2; }

  std::vector<std::string> parameter_names() const {
    std::vector<std::string> names{"rho", "alpha"};
    for (std::string& name : indexed_names("f", size())) {
      names.push_back(std::move(name));
    }
    return names;
  }

  /// Returns f = L f_tilde, with L the Cholesky factor of the kernel matrix at (rho, alpha).
  /// L differs per Monte Carlo lane, and varia's autodiff matrices are shared by all lanes, so
  /// the factorization is a loop over scalars (Cholesky-Banachiewicz, row by row): about N^3 / 6
  /// tape nodes, 300 for N = 11.
  template <class Real, class F>
  std::vector<Real> latent(const Real& rho, const Real& alpha, const F& f_tilde) const {
    const Eigen::Index n = size();
    const auto at = [n](Eigen::Index i, Eigen::Index j) {
      return static_cast<std::size_t>(i * n + j);
    };
    const Real alpha_squared = varia::square(alpha);
    const Real scale = -0.5 / varia::square(rho);  // -1 / (2 rho^2)
    std::vector<Real> factor(static_cast<std::size_t>(n * n));
    std::vector<Real> f;
    f.reserve(static_cast<std::size_t>(n));
    for (Eigen::Index i = 0; i < n; ++i) {
      for (Eigen::Index j = 0; j < i; ++j) {
        Real entry = alpha_squared * varia::exp(scale * squared_distance(i, j));
        for (Eigen::Index k = 0; k < j; ++k) {
          entry -= factor[at(i, k)] * factor[at(j, k)];
        }
        factor[at(i, j)] = entry / factor[at(j, j)];
      }
      Real diagonal = alpha_squared + jitter;
      for (Eigen::Index k = 0; k < i; ++k) {
        diagonal -= varia::square(factor[at(i, k)]);
      }
      factor[at(i, i)] = varia::sqrt(diagonal);
      Real value = factor[at(i, 0)] * f_tilde(0);
      for (Eigen::Index k = 1; k <= i; ++k) {
        value += factor[at(i, k)] * f_tilde(k);
      }
      f.push_back(value);
    }
    return f;
  }

  template <class T>
  auto operator()(const T& x) const {
    check_dimension(posterior, x.size(), dimension());
    using Real = scalar_t<T>;
    const Real log_rho = x(0);
    const Real log_alpha = x(1);
    const Real rho = varia::exp(log_rho);
    const Real alpha = varia::exp(log_alpha);
    const auto f_tilde = x.tail(size());
    const std::vector<Real> f = latent(rho, alpha, f_tilde);
    // The Poisson log mass k_i f_i - exp(f_i) - log(k_i!), one fused node per element, because
    // f exists only as scalars (see latent()).
    Real likelihood = 0.0;
    for (Eigen::Index i = 0; i < size(); ++i) {
      const Real& fi = f[static_cast<std::size_t>(i)];
      likelihood += counts(i) * fi - varia::exp(fi);
    }
    return varia::gamma_lpdf(rho, 25.0, 4.0) + varia::normal_lpdf(alpha, 0.0, 2.0) +
           varia::normal_lpdf(f_tilde, 0.0, 1.0) + likelihood +
           (log_rho + log_alpha + log_two - log_factorials);
  }

  Eigen::VectorXd constrain(const Eigen::VectorXd& x) const {
    check_dimension(posterior, x.size(), dimension());
    const double rho = std::exp(x(0));
    const double alpha = std::exp(x(1));
    const std::vector<double> f = latent(rho, alpha, x.tail(size()));
    Eigen::VectorXd result(dimension());
    result(0) = rho;
    result(1) = alpha;
    result.tail(size()) = Eigen::Map<const Eigen::VectorXd>(f.data(), size());
    return result;
  }
};

}  // namespace varia::posteriordb
