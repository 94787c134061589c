// posteriordb hmm_example-hmm_example: a two-state hidden Markov model with unit-variance normal
// emissions, marginalized over the hidden states by the forward algorithm.
#pragma once

#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include <varia/ad/vector.hpp>
#include <varia/math/exp_log.hpp>
#include <varia/math/log_sum_exp.hpp>
#include <varia/math/logistic.hpp>
#include <varia/math/power.hpp>

#include "models/common.hpp"

namespace varia::posteriordb {

/// Transition rows theta1, theta2 (2-simplexes, theta_j[k] = P(z_t = k | z_{t-1} = j), uniform
/// priors), emission means 0 < mu_1 < mu_2 with mu_1 ~ N(3, 1), mu_2 ~ N(10, 1), and
/// y_t | z_t = k ~ N(mu_k, 1); no initial-state term. Unconstrained point: (v_1, v_2, w_1, w_2)
/// with theta_j[1] = inv_logit(v_j) (Stan's stick-breaking simplex transform for two entries) and
/// mu_1 = exp(w_1), mu_2 = mu_1 + exp(w_2) (Stan's positive_ordered transform; Stan Reference
/// Manual, "Constraint transforms"). Reported: theta1[1..2], theta2[1..2], mu[1..2].
/// The model has two states only: the transforms and the forward recursion are written out for
/// K = 2. varia::ParameterLayout has no positive_ordered constraint, so the transforms are written
/// here; the log theta come from log_sigmoid, without rounding theta first.
struct HmmExample {
  static constexpr std::string_view posterior = "hmm_example-hmm_example";

  Eigen::VectorXd y;

  static HmmExample from_json(const nlohmann::json& data) {
    const Eigen::Index size = read_integer(data, posterior, "N", 1);
    const Eigen::Index states = read_integer(data, posterior, "K", 2);
    if (states != 2) {
      detail::fail(posterior, "K", "is " + std::to_string(states) + ", expected 2");
    }
    HmmExample model;
    model.y = read_vector(data, posterior, "y", size);
    return model;
  }

  Eigen::Index dimension() const { return 4; }

  std::vector<std::string> parameter_names() const {
    return {"theta1[1]", "theta1[2]", "theta2[1]", "theta2[2]", "mu[1]", "mu[2]"};
  }

  template <class T>
  auto operator()(const T& x) const {
    check_dimension(posterior, x.size(), dimension());
    using Real = scalar_t<T>;
    const Real v1 = x(0);
    const Real v2 = x(1);
    const Real w1 = x(2);
    const Real w2 = x(3);
    // log theta_j[k] from the stable log_sigmoid: log theta_j[1] = log_sigmoid(v_j) and
    // log theta_j[2] = log_sigmoid(-v_j).
    const Real log_theta11 = varia::log_sigmoid(v1);
    const Real log_theta12 = varia::log_sigmoid(-v1);
    const Real log_theta21 = varia::log_sigmoid(v2);
    const Real log_theta22 = varia::log_sigmoid(-v2);
    const Real mu1 = varia::exp(w1);
    const Real mu2 = mu1 + varia::exp(w2);

    // The forward algorithm in log space:
    // g_t(k) = log_sum_exp_j(g_{t-1}(j) + log theta_j[k]) + log N(y_t | mu_k, 1). The constant
    // -log(2 pi) / 2 of each emission is added once per step at the end.
    Real forward1 = -0.5 * varia::square(y(0) - mu1);
    Real forward2 = -0.5 * varia::square(y(0) - mu2);
    for (Eigen::Index t = 1; t < y.size(); ++t) {
      const Real next1 = varia::log_sum_exp(forward1 + log_theta11, forward2 + log_theta21) -
                         0.5 * varia::square(y(t) - mu1);
      const Real next2 = varia::log_sum_exp(forward1 + log_theta12, forward2 + log_theta22) -
                         0.5 * varia::square(y(t) - mu2);
      forward1 = next1;
      forward2 = next2;
    }
    const double constants = -static_cast<double>(y.size() + 2) * half_log_two_pi;
    const Real priors = -0.5 * (varia::square(mu1 - 3.0) + varia::square(mu2 - 10.0));
    const Real log_jacobian = log_theta11 + log_theta12 + log_theta21 + log_theta22 + w1 + w2;
    return varia::log_sum_exp(forward1, forward2) + priors + log_jacobian + constants;
  }

  Eigen::VectorXd constrain(const Eigen::VectorXd& x) const {
    check_dimension(posterior, x.size(), dimension());
    const double mu1 = std::exp(x(2));
    return (Eigen::VectorXd(6) << varia::inv_logit(x(0)), varia::inv_logit(-x(0)),
            varia::inv_logit(x(1)), varia::inv_logit(-x(1)), mu1, mu1 + std::exp(x(3)))
        .finished();
  }
};

}  // namespace varia::posteriordb
