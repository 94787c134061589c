// Beta and Dirichlet variates as normalised gamma variates from a CounterRng.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>

#include <Eigen/Core>

#include <varia/random/counter_rng.hpp>
#include <varia/random/gamma.hpp>

namespace varia {

/// Returns a Beta(a, b) variate X / (X + Y), where X ~ Gamma(a) and Y ~ Gamma(b) are drawn from
/// their own counter families at the same (iteration, sample, coordinate). The ratio is formed
/// from log X and log Y, so it stays defined when both gammas underflow. Throws
/// std::invalid_argument if a or b is not positive and finite, or as CounterRng::uniform() does.
inline double beta_variate(const CounterRng& rng, double a, double b, std::uint32_t iteration,
                           Eigen::Index sample, Eigen::Index coordinate) {
  constexpr const char* function = "varia::beta_variate";
  detail::check_gamma_shape(function, "a", a);
  detail::check_gamma_shape(function, "b", b);
  CounterRng::check_index(function, sample, coordinate);
  detail::CounterDrawSequence first_draws(rng, detail::RandomFamily::beta_first, iteration, sample,
                                          coordinate);
  detail::CounterDrawSequence second_draws(rng, detail::RandomFamily::beta_second, iteration,
                                           sample, coordinate);
  const double log_x = detail::split_gamma(a, first_draws).log_value();
  const double log_y = detail::split_gamma(b, second_draws).log_value();
  return 1.0 / (1.0 + std::exp(log_y - log_x));
}

/// Fills each column c of `out` with a Dirichlet(concentration) variate for sample
/// first_sample + c. Component j is G_j / sum_k G_k with G_j ~ Gamma(concentration(j)) drawn at
/// coordinate j. The sum is formed in log space, so it stays defined for small concentrations.
/// Throws std::invalid_argument if concentration.size() differs from out.rows() or is 0, if a
/// concentration is not positive and finite, or if a sample or coordinate is out of range.
inline void fill_dirichlet(const CounterRng& rng,
                           const Eigen::Ref<const Eigen::VectorXd>& concentration,
                           std::uint32_t iteration, Eigen::Index first_sample,
                           Eigen::Ref<Eigen::MatrixXd> out) {
  constexpr const char* function = "varia::fill_dirichlet";
  if (concentration.size() == 0) {
    throw detail::random_argument_error(function, "concentration.size()", 0, "positive");
  }
  if (concentration.size() != out.rows()) {
    throw detail::random_argument_error(function, "concentration.size()", concentration.size(),
                                        "equal to out.rows() (" + std::to_string(out.rows()) + ")");
  }
  for (Eigen::Index j = 0; j < concentration.size(); ++j) {
    detail::check_gamma_shape(function, "concentration(" + std::to_string(j) + ")",
                              concentration(j));
  }
  if (out.cols() == 0) {
    return;
  }
  CounterRng::check_index(function, first_sample, out.rows() - 1);
  CounterRng::check_index(function, first_sample + out.cols() - 1, 0);
  Eigen::VectorXd log_gamma(out.rows());
  for (Eigen::Index column = 0; column < out.cols(); ++column) {
    for (Eigen::Index j = 0; j < out.rows(); ++j) {
      detail::CounterDrawSequence draws(rng, detail::RandomFamily::dirichlet, iteration,
                                        first_sample + column, j);
      log_gamma(j) = detail::split_gamma(concentration(j), draws).log_value();
    }
    const Eigen::ArrayXd weights = (log_gamma.array() - log_gamma.maxCoeff()).exp();
    out.col(column) = weights.matrix() / weights.sum();
  }
}

/// Returns one Dirichlet(concentration) variate: column 0 of fill_dirichlet() started at
/// `sample`. Throws as fill_dirichlet() does.
inline Eigen::VectorXd dirichlet_variate(const CounterRng& rng,
                                         const Eigen::Ref<const Eigen::VectorXd>& concentration,
                                         std::uint32_t iteration, Eigen::Index sample) {
  Eigen::MatrixXd out(concentration.size(), 1);
  fill_dirichlet(rng, concentration, iteration, sample, out);
  return out.col(0);
}

}  // namespace varia
