// posteriordb garch-garch11: a GARCH(1,1) volatility model with flat priors.
#pragma once

#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include <varia/ad/vector.hpp>
#include <varia/math/exp_log.hpp>
#include <varia/math/logistic.hpp>
#include <varia/math/power.hpp>

#include "models/common.hpp"

namespace varia::posteriordb {

/// y_t ~ N(mu, s_t) with s_1 = sigma1 and s_t^2 = alpha0 + alpha1 (y_{t-1} - mu)^2 +
/// beta1 s_{t-1}^2, under a flat prior on alpha0 > 0, 0 < alpha1 < 1, 0 < beta1 < 1 - alpha1.
/// Unconstrained point: (mu, log alpha0, logit alpha1, logit(beta1 / (1 - alpha1))). Reported:
/// mu, alpha0, alpha1, beta1.
/// The upper bound of beta1 depends on alpha1, so the transform is written here rather than
/// declared as independent bounds: beta1 = (1 - alpha1) inv_logit(u_4), with the log-Jacobian
/// log(1 - alpha1) + log inv_logit(u_4) + log(1 - inv_logit(u_4)).
struct Garch11 {
  static constexpr std::string_view posterior = "garch-garch11";

  Eigen::VectorXd y;
  double sigma1 = 0.0;  // the fixed initial volatility s_1

  static Garch11 from_json(const nlohmann::json& data) {
    const Eigen::Index length = read_integer(data, posterior, "T", 1);
    Garch11 model;
    model.y = read_vector(data, posterior, "y", length);
    model.sigma1 = read_number(data, posterior, "sigma1");
    if (!(model.sigma1 > 0.0)) {
      detail::fail(posterior, "sigma1", "is " + std::to_string(model.sigma1) + ", expected > 0");
    }
    return model;
  }

  Eigen::Index dimension() const { return 4; }

  std::vector<std::string> parameter_names() const { return {"mu", "alpha0", "alpha1", "beta1"}; }

  template <class T>
  auto operator()(const T& x) const {
    check_dimension(posterior, x.size(), dimension());
    using Real = scalar_t<T>;
    const Real mu = x(0);
    const Real log_alpha0 = x(1);
    const Real alpha1_logit = x(2);
    const Real beta1_logit = x(3);
    const Real alpha0 = varia::exp(log_alpha0);
    const Real alpha1 = varia::inv_logit(alpha1_logit);
    // 1 - alpha1 = inv_logit(-u_3), without cancellation when alpha1 is near 1.
    const Real beta1 = varia::inv_logit(-alpha1_logit) * varia::inv_logit(beta1_logit);
    const Real log_jacobian = log_alpha0 + varia::log_sigmoid(alpha1_logit) +
                              2.0 * varia::log_sigmoid(-alpha1_logit) +
                              varia::log_sigmoid(beta1_logit) + varia::log_sigmoid(-beta1_logit);

    // The volatility recursion is sequential, so it is a loop over scalars: two tape nodes per
    // observation.
    const Eigen::Index length = y.size();
    Real variance = sigma1 * sigma1;
    Real lp = -0.5 * varia::square(y(0) - mu) / variance;
    for (Eigen::Index t = 1; t < length; ++t) {
      variance = alpha0 + alpha1 * varia::square(y(t - 1) - mu) + beta1 * variance;
      lp += -0.5 * (varia::square(y(t) - mu) / variance + varia::log(variance));
    }
    const double constants = -std::log(sigma1) - static_cast<double>(length) * half_log_two_pi;
    return lp + (log_jacobian + constants);
  }

  Eigen::VectorXd constrain(const Eigen::VectorXd& x) const {
    check_dimension(posterior, x.size(), dimension());
    const double alpha1 = varia::inv_logit(x(2));
    return (Eigen::VectorXd(4) << x(0), std::exp(x(1)), alpha1,
            varia::inv_logit(-x(2)) * varia::inv_logit(x(3)))
        .finished();
  }
};

}  // namespace varia::posteriordb
