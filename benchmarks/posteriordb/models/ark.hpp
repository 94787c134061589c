// posteriordb arK-arK: an autoregressive AR(K) time-series model with normal priors.
#pragma once

#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include <varia/ad/vector.hpp>
#include <varia/ad/vector_operations.hpp>
#include <varia/math/distribution/cauchy.hpp>
#include <varia/math/distribution/normal.hpp>
#include <varia/model/parameter_layout.hpp>

#include "models/common.hpp"

namespace varia::posteriordb {

/// alpha ~ N(0, 10), beta_k ~ N(0, 10), sigma ~ half-Cauchy(0, 2.5),
/// y_t ~ N(alpha + sum_k beta_k y_{t-k}, sigma) for t = K + 1, ..., T (the first K observations
/// enter only as lags). Unconstrained point: (alpha, beta[1..K], log sigma), with the
/// log-Jacobian log sigma. Reported: alpha, beta[1..K], sigma.
struct ArK : ConstrainedModel {
  static constexpr std::string_view posterior = "arK-arK";

  /// Row t - K - 1 is (y_{t-1}, ..., y_{t-K}), so that the means of all modelled observations
  /// are alpha plus one product with beta.
  Eigen::MatrixXd lags;
  Eigen::VectorXd outcome;  // y_{K+1}, ..., y_T

  static ArK from_json(const nlohmann::json& data) {
    const Eigen::Index order = read_integer(data, posterior, "K", 1);
    const Eigen::Index length = read_integer(data, posterior, "T", order + 1);
    const Eigen::VectorXd y = read_vector(data, posterior, "y", length);
    ArK model;
    const Eigen::Index rows = length - order;
    model.outcome = y.tail(rows);
    model.lags.resize(rows, order);
    for (Eigen::Index k = 1; k <= order; ++k) {
      model.lags.col(k - 1) = y.segment(order - k, rows);
    }
    model.layout.real("alpha").real("beta", order).positive("sigma");
    return model;
  }

  template <class T>
  auto operator()(const T& x) const {
    using Real = scalar_t<T>;
    auto reader = layout.reader(x);
    const Real alpha = reader.scalar();
    const auto beta = reader.vector();
    const Real sigma = reader.scalar();
    const Real log_jacobian = reader.log_jacobian();
    return varia::normal_lpdf(alpha, 0.0, 10.0) + varia::normal_lpdf(beta, 0.0, 10.0) +
           varia::cauchy_lpdf(sigma, 0.0, 2.5) + (log_two + log_jacobian) +
           varia::normal_lpdf(outcome, shifted(lags * beta, alpha), sigma);
  }
};

}  // namespace varia::posteriordb
