// posteriordb kidiq-kidscore_interaction: a linear regression of a child's test score on the
// mother's high-school completion and IQ, with their interaction (Gelman and Hill 2007, "Data
// Analysis Using Regression and Multilevel/Hierarchical Models", chapter 3).
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

/// kid_score_n ~ N(beta_1 + beta_2 mom_hs_n + beta_3 mom_iq_n + beta_4 mom_hs_n mom_iq_n, sigma),
/// a flat prior on beta and sigma ~ half-Cauchy(0, 2.5); predictors are not centered.
/// Unconstrained point: (beta[1..4], log sigma), with the log-Jacobian log sigma. Reported:
/// beta[1..4], sigma.
struct Kidiq : ConstrainedModel {
  static constexpr std::string_view posterior = "kidiq-kidscore_interaction";

  Eigen::MatrixXd design;   // rows (1, mom_hs, mom_iq, mom_hs mom_iq)
  Eigen::VectorXd outcome;  // kid_score

  static Kidiq from_json(const nlohmann::json& data) {
    const Eigen::Index rows = read_integer(data, posterior, "N", 1);
    Kidiq model;
    model.outcome = read_vector(data, posterior, "kid_score", rows);
    const Eigen::VectorXd mom_hs = read_vector(data, posterior, "mom_hs", rows);
    const Eigen::VectorXd mom_iq = read_vector(data, posterior, "mom_iq", rows);
    model.design.resize(rows, 4);
    model.design.col(0).setOnes();
    model.design.col(1) = mom_hs;
    model.design.col(2) = mom_iq;
    model.design.col(3) = mom_hs.cwiseProduct(mom_iq);
    model.layout.real("beta", 4).positive("sigma");
    return model;
  }

  template <class T>
  auto operator()(const T& x) const {
    using Real = scalar_t<T>;
    auto reader = layout.reader(x);
    const auto beta = reader.vector();
    const Real sigma = reader.scalar();
    const Real log_jacobian = reader.log_jacobian();
    return varia::cauchy_lpdf(sigma, 0.0, 2.5) + (log_two + log_jacobian) +
           varia::normal_lpdf(outcome, evaluated(design * beta), sigma);
  }
};

}  // namespace varia::posteriordb
