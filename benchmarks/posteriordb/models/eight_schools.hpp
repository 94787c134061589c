// posteriordb eight_schools-eight_schools_noncentered: the hierarchical normal model of the
// eight-schools coaching data (Rubin 1981, "Estimation in parallel randomized experiments"),
// non-centered.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include <varia/ad/vector.hpp>
#include <varia/math/distribution/cauchy.hpp>
#include <varia/math/distribution/normal.hpp>
#include <varia/math/exp_log.hpp>

#include "models/common.hpp"

namespace varia::posteriordb {

/// theta_trans_j ~ N(0, 1), theta_j = mu + tau theta_trans_j, y_j ~ N(theta_j, sigma_j),
/// mu ~ N(0, 5), tau ~ half-Cauchy(0, 5). Unconstrained point: (theta_trans[1..J], mu, log tau),
/// with the log-Jacobian log tau. Reported: theta[1..J], mu, tau.
/// theta is a transformed parameter, which varia::ParameterLayout does not declare, so the
/// names, constrain() and the transform of tau are written here.
struct EightSchools {
  static constexpr std::string_view posterior = "eight_schools-eight_schools_noncentered";

  Eigen::VectorXd y;      // estimated effects
  Eigen::VectorXd sigma;  // their standard errors

  static EightSchools from_json(const nlohmann::json& data) {
    const Eigen::Index schools = read_integer(data, posterior, "J", 1);
    EightSchools model;
    model.y = read_vector(data, posterior, "y", schools);
    model.sigma = read_vector(data, posterior, "sigma", schools);
    if (!(model.sigma.array() > 0.0).all()) {
      detail::fail(posterior, "sigma", "has an entry that is not positive");
    }
    return model;
  }

  Eigen::Index dimension() const { return y.size() + 2; }

  std::vector<std::string> parameter_names() const {
    std::vector<std::string> names = indexed_names("theta", y.size());
    names.emplace_back("mu");
    names.emplace_back("tau");
    return names;
  }

  template <class T>
  auto operator()(const T& x) const {
    check_dimension(posterior, x.size(), dimension());
    using Real = scalar_t<T>;
    const Eigen::Index schools = y.size();
    const auto theta_trans = x.head(schools);
    const Real mu = x(schools);
    const Real log_tau = x(schools + 1);
    const Real tau = varia::exp(log_tau);
    const auto theta = scale_and_shift(theta_trans, tau, mu);
    return varia::normal_lpdf(theta_trans, 0.0, 1.0) + varia::normal_lpdf(y, theta, sigma) +
           varia::normal_lpdf(mu, 0.0, 5.0) + varia::cauchy_lpdf(tau, 0.0, 5.0) +
           (log_two + log_tau);
  }

  Eigen::VectorXd constrain(const Eigen::VectorXd& x) const {
    check_dimension(posterior, x.size(), dimension());
    const Eigen::Index schools = y.size();
    const double mu = x(schools);
    const double tau = std::exp(x(schools + 1));
    Eigen::VectorXd result(dimension());
    result.head(schools) = (mu + tau * x.head(schools).array()).matrix();
    result(schools) = mu;
    result(schools + 1) = tau;
    return result;
  }
};

}  // namespace varia::posteriordb
