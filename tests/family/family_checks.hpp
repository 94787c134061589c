// Checks shared by the family tests: derivatives against finite differences of the same
// family's values, Monte Carlo moments and entropy against closed forms, and reproducible draws.
#pragma once

#include <cmath>
#include <cstdint>

#include <Eigen/Core>

#include <varia/family/family.hpp>
#include <varia/random/counter_rng.hpp>

#include "support/catch.hpp"
#include "support/gradient_check.hpp"

namespace varia::test {

inline constexpr double derivative_tolerance = 1e-6;
inline constexpr double difference_step = 1e-3;
// Monte Carlo checks allow 4 standard errors: a correct estimate fails one check with
// probability about 6e-5.
inline constexpr double standard_errors = 4.0;

template <Family Q>
Q with_parameters(const Q& family, const Eigen::VectorXd& parameters) {
  Q copy = family;
  copy.set_parameters(parameters);
  return copy;
}

template <Family Q>
Eigen::MatrixXd draw_base(const Q& family, std::uint64_t seed, std::uint32_t iteration,
                          Eigen::Index samples) {
  Eigen::MatrixXd base(family.base_dimension(), samples);
  family.draw_base(CounterRng(seed), iteration, base);
  return base;
}

template <Family Q>
Eigen::MatrixXd draw(const Q& family, std::uint64_t seed, Eigen::Index samples) {
  Eigen::MatrixXd z;
  family.transform(draw_base(family, seed, 0, samples), z);
  return z;
}

template <class F>
void check_against_differences(const Eigen::VectorXd& analytic, const F& function,
                               const Eigen::VectorXd& at) {
  REQUIRE(analytic.size() == at.size());
  for (Eigen::Index i = 0; i < at.size(); ++i) {
    const double expected = finite_difference(function, at, i, difference_step);
    INFO("coordinate " << i << ": analytic " << analytic(i) << ", finite difference " << expected);
    CHECK(close(analytic(i), expected, derivative_tolerance));
  }
}

// The adjoint is added to a gradient that starts at 0.5 everywhere, which also checks that it
// adds rather than overwrites.
template <ReparameterizableFamily Q>
void check_transform_adjoint(const Q& family, const Eigen::MatrixXd& eps,
                             const Eigen::MatrixXd& upstream) {
  Eigen::VectorXd gradient = Eigen::VectorXd::Constant(family.parameter_count(), 0.5);
  family.add_transform_adjoint(eps, upstream, gradient);
  gradient.array() -= 0.5;
  const auto weighted_sum = [&](const Eigen::VectorXd& parameters) {
    Eigen::MatrixXd z;
    with_parameters(family, parameters).transform(eps, z);
    return (z.array() * upstream.array()).sum();
  };
  check_against_differences(gradient, weighted_sum, family.parameters());
}

template <ReparameterizableFamily Q>
void check_log_density_total_gradient(const Q& family, const Eigen::MatrixXd& eps,
                                      const Eigen::VectorXd& weights) {
  Eigen::VectorXd gradient = Eigen::VectorXd::Constant(family.parameter_count(), 0.5);
  family.add_log_density_total_gradient(eps, weights, gradient);
  gradient.array() -= 0.5;
  const auto weighted_log_density = [&](const Eigen::VectorXd& parameters) {
    const Q moved = with_parameters(family, parameters);
    Eigen::MatrixXd z;
    moved.transform(eps, z);
    Eigen::VectorXd log_density;
    moved.log_density(z, log_density);
    return weights.dot(log_density);
  };
  check_against_differences(gradient, weighted_log_density, family.parameters());
}

template <ReparameterizableFamily Q>
void check_log_density_gradient(const Q& family, const Eigen::MatrixXd& z) {
  Eigen::MatrixXd gradient;
  family.log_density_gradient(z, gradient);
  REQUIRE(gradient.rows() == z.rows());
  REQUIRE(gradient.cols() == z.cols());
  for (Eigen::Index s = 0; s < z.cols(); ++s) {
    INFO("sample " << s);
    const auto log_density = [&](const Eigen::VectorXd& point) {
      Eigen::VectorXd value;
      family.log_density(point, value);
      return value(0);
    };
    check_against_differences(gradient.col(s), log_density, z.col(s));
  }
}

template <ScoreFamily Q>
void check_score(const Q& family, const Eigen::MatrixXd& z) {
  Eigen::MatrixXd score;
  family.score(z, score);
  REQUIRE(score.rows() == family.parameter_count());
  REQUIRE(score.cols() == z.cols());
  for (Eigen::Index s = 0; s < z.cols(); ++s) {
    INFO("sample " << s);
    const Eigen::MatrixXd point = z.col(s);
    const auto log_density = [&](const Eigen::VectorXd& parameters) {
      Eigen::VectorXd value;
      with_parameters(family, parameters).log_density(point, value);
      return value(0);
    };
    check_against_differences(score.col(s), log_density, family.parameters());
  }
}

template <HasClosedFormEntropy Q>
void check_entropy_gradient(const Q& family) {
  Eigen::VectorXd gradient = Eigen::VectorXd::Constant(family.parameter_count(), 0.5);
  family.add_entropy_gradient(gradient);
  gradient.array() -= 0.5;
  const auto entropy = [&](const Eigen::VectorXd& parameters) {
    return with_parameters(family, parameters).entropy();
  };
  check_against_differences(gradient, entropy, family.parameters());
}

// Compares entropy() with -mean(log q(z_s)) over `samples` draws.
template <HasClosedFormEntropy Q>
void check_entropy_monte_carlo(const Q& family, std::uint64_t seed, Eigen::Index samples) {
  Eigen::VectorXd log_density;
  family.log_density(draw(family, seed, samples), log_density);
  const double estimate = -log_density.mean();
  const double spread =
      std::sqrt((log_density.array() + estimate).square().sum() / static_cast<double>(samples - 1));
  const double standard_error = spread / std::sqrt(static_cast<double>(samples));
  INFO("entropy " << family.entropy() << ", Monte Carlo " << estimate << " +- " << standard_error);
  CHECK(std::abs(family.entropy() - estimate) <= standard_errors * standard_error);
}

// Compares the sample mean and the sample covariance around the true mean with mean and
// covariance. Each entry's standard error comes from the spread of its own summands.
template <Family Q>
void check_moments(const Q& family, const Eigen::VectorXd& mean, const Eigen::MatrixXd& covariance,
                   std::uint64_t seed, Eigen::Index samples) {
  const Eigen::MatrixXd centered = draw(family, seed, samples).colwise() - mean;
  const double n = static_cast<double>(samples);
  for (Eigen::Index i = 0; i < mean.size(); ++i) {
    const double estimate = centered.row(i).mean();
    const double standard_error = std::sqrt(covariance(i, i) / n);
    INFO("mean " << i << ": offset " << estimate << ", standard error " << standard_error);
    CHECK(std::abs(estimate) <= standard_errors * standard_error);
    for (Eigen::Index j = 0; j <= i; ++j) {
      const Eigen::ArrayXd products = centered.row(i).array() * centered.row(j).array();
      const double product_mean = products.mean();
      const double product_error =
          std::sqrt((products - product_mean).square().sum() / (n - 1.0) / n);
      INFO("covariance (" << i << ", " << j << "): " << product_mean << ", expected "
                          << covariance(i, j) << ", standard error " << product_error);
      CHECK(std::abs(product_mean - covariance(i, j)) <= standard_errors * product_error);
    }
  }
}

// Same seed and iteration give bit-identical blocks, column s does not depend on the block's
// width, and another iteration or seed gives other numbers.
template <Family Q>
void check_reproducible(const Q& family) {
  const Eigen::MatrixXd first = draw_base(family, 42, 3, 7);
  const Eigen::MatrixXd again = draw_base(family, 42, 3, 7);
  const Eigen::MatrixXd narrow = draw_base(family, 42, 3, 3);
  REQUIRE(first.rows() == family.base_dimension());
  REQUIRE(first.cols() == 7);
  CHECK((first.array() == again.array()).all());
  CHECK((first.leftCols(3).array() == narrow.array()).all());
  CHECK((first.array() != draw_base(family, 42, 4, 7).array()).all());
  CHECK((first.array() != draw_base(family, 43, 3, 7).array()).all());
}

}  // namespace varia::test
