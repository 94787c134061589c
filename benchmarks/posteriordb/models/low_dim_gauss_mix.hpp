// posteriordb low_dim_gauss_mix-low_dim_gauss_mix: a two-component normal mixture in one
// dimension with ordered means.
#pragma once

#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include <varia/ad/vector.hpp>
#include <varia/ad/vector_operations.hpp>
#include <varia/math/distribution/normal.hpp>
#include <varia/math/exp_log.hpp>
#include <varia/math/log_sum_exp.hpp>
#include <varia/math/logistic.hpp>
#include <varia/math/power.hpp>
#include <varia/math/reductions.hpp>

#include "models/common.hpp"

namespace varia::posteriordb {

/// y_n ~ theta N(mu_1, sigma_1) + (1 - theta) N(mu_2, sigma_2) with mu_1 < mu_2,
/// mu_k ~ N(0, 2), sigma_k ~ half-N(0, 2), theta ~ Beta(5, 5). Unconstrained point:
/// (mu_1, log(mu_2 - mu_1), log sigma_1, log sigma_2, logit theta), the ordered transform for mu
/// (Stan Reference Manual, "Constraint transforms"). Reported: mu[1..2], sigma[1..2], theta.
/// The transforms are written here rather than declared in a varia::ParameterLayout, because the
/// mixture weights need log theta and log(1 - theta) from the logit (log_sigmoid), which stay
/// finite where theta rounds to 0 or 1.
struct LowDimGaussMix {
  static constexpr std::string_view posterior = "low_dim_gauss_mix-low_dim_gauss_mix";

  Eigen::VectorXd y;

  static LowDimGaussMix from_json(const nlohmann::json& data) {
    const Eigen::Index size = read_integer(data, posterior, "N", 1);
    LowDimGaussMix model;
    model.y = read_vector(data, posterior, "y", size);
    return model;
  }

  Eigen::Index dimension() const { return 5; }

  std::vector<std::string> parameter_names() const {
    return {"mu[1]", "mu[2]", "sigma[1]", "sigma[2]", "theta"};
  }

  template <class T>
  auto operator()(const T& x) const {
    check_dimension(posterior, x.size(), dimension());
    using Real = scalar_t<T>;
    const Real mu1 = x(0);
    const Real log_gap = x(1);
    const Real log_sigma1 = x(2);
    const Real log_sigma2 = x(3);
    const Real theta_logit = x(4);
    const Real mu2 = mu1 + varia::exp(log_gap);
    const Real sigma1 = varia::exp(log_sigma1);
    const Real sigma2 = varia::exp(log_sigma2);
    const Real log_theta = varia::log_sigmoid(theta_logit);
    const Real log_one_minus_theta = varia::log_sigmoid(-theta_logit);

    // Beta(5, 5) as 4 log theta + 4 log(1 - theta) - log B(5, 5) from the stable logarithms,
    // plus the log-Jacobian of theta = inv_logit(u_5), log theta + log(1 - theta).
    const double log_beta_function = 2.0 * std::lgamma(5.0) - std::lgamma(10.0);
    const Real priors = varia::normal_lpdf(sigma1, 0.0, 2.0) +
                        varia::normal_lpdf(sigma2, 0.0, 2.0) + varia::normal_lpdf(mu1, 0.0, 2.0) +
                        varia::normal_lpdf(mu2, 0.0, 2.0) +
                        5.0 * (log_theta + log_one_minus_theta) +
                        (2.0 * log_two - log_beta_function) + log_gap + log_sigma1 + log_sigma2;

    // Component log densities of all observations, each a vector over n:
    // log theta - log sigma_k - z_nk^2 / 2 with z_nk = (y_n - mu_k) / sigma_k.
    const auto& observations = as_argument<T>(y);
    const Real scale1 = 1.0 / sigma1;
    const Real scale2 = 1.0 / sigma2;
    const auto z1 = scale_and_shift(observations, scale1, -mu1 * scale1);
    const auto z2 = scale_and_shift(observations, scale2, -mu2 * scale2);
    const auto first = scale_and_shift(varia::square(z1), -0.5, log_theta - log_sigma1);
    const auto second = scale_and_shift(varia::square(z2), -0.5, log_one_minus_theta - log_sigma2);
    const double constant = -static_cast<double>(y.size()) * half_log_two_pi;
    return priors + varia::sum(varia::log_sum_exp(first, second)) + constant;
  }

  Eigen::VectorXd constrain(const Eigen::VectorXd& x) const {
    check_dimension(posterior, x.size(), dimension());
    return (Eigen::VectorXd(5) << x(0), x(0) + std::exp(x(1)), std::exp(x(2)), std::exp(x(3)),
            varia::inv_logit(x(4)))
        .finished();
  }
};

}  // namespace varia::posteriordb
