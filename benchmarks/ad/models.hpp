// Models for the autodiff benchmarks and the code that times them. Each model is written once as
// a template over its argument type, so the same source runs with Eigen::VectorXd (doubles) and
// with varia's autodiff vectors. Next to each model is a hand-written analytic gradient of the
// same log density, the baseline varia is compared against.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <numbers>
#include <random>
#include <type_traits>

#include <benchmark/benchmark.h>
#include <Eigen/Core>

#include <varia/ad/gradient.hpp>
#include <varia/math/distribution/bernoulli_logit.hpp>
#include <varia/math/distribution/normal.hpp>
#include <varia/math/exp_log.hpp>
#include <varia/math/logistic.hpp>

namespace varia::benchmarks {

/// log(2 pi) / 2, the constant of the normal log density.
inline constexpr double half_log_two_pi = 0.91893853320467274178;

/// Number of points evaluated together by the lane benchmarks.
inline constexpr Eigen::Index lane_points = 16;

/// Returns a rows x cols matrix of independent N(0, scale^2) draws, fixed by `seed`.
inline Eigen::MatrixXd normal_draws(Eigen::Index rows, Eigen::Index cols, double scale,
                                    std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  std::normal_distribution<double> normal(0.0, scale);
  Eigen::MatrixXd draws(rows, cols);
  for (Eigen::Index j = 0; j < cols; ++j) {
    for (Eigen::Index i = 0; i < rows; ++i) {
      draws(i, j) = normal(engine);
    }
  }
  return draws;
}

/// Evaluates an Eigen expression into a vector and passes an autodiff vector through. The
/// double evaluation of a fused density reads its arguments element by element, and each element
/// of an Eigen matrix-vector product expression evaluates the whole product: with 1000 x 100
/// data, bernoulli_logit_lpmf(y, x * beta) takes milliseconds instead of microseconds.
template <class T>
auto evaluated(const T& x) {
  if constexpr (ad::EigenDense<T>) {
    return x.eval();
  } else {
    return x;
  }
}

/// Returns sum_i y_i eta_i - softplus(eta_i) and overwrites eta with the residuals
/// y - logistic(eta), from one exp, one log and one division per entry. With e = exp(-|eta|)
/// and u = 1 + e rounded: softplus(eta) = max(eta, 0) + log1p(e) and logistic(eta) = 1 / u for
/// eta >= 0, e / u otherwise. log1p(e) = log(u) - ((u - 1) - e) / u up to O(ulp^2), because
/// u - 1 is exact and (u - 1) - e is the rounding error of u; at u == 1 it gives e. Eigen 3.4
/// has no vectorized log1p for double, but a vectorized log. `e` and `inverse` are workspace of
/// eta's size.
template <class Eta, class Y>
double bernoulli_logit_pass(Eigen::ArrayBase<Eta>& eta, const Eigen::ArrayBase<Y>& y,
                            Eigen::ArrayXd& e, Eigen::ArrayXd& inverse) {
  e = (-eta.derived().abs()).exp();
  inverse = (1.0 + e).inverse();
  const auto u = 1.0 + e;
  const auto log1p_e = u.log() - ((u - 1.0) - e) * inverse;
  const double value = (y.derived() * eta.derived() - eta.derived().max(0.0) - log1p_e).sum();
  eta.derived() = y.derived() - (eta.derived() >= 0.0).select(inverse, e * inverse);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Bayesian logistic regression: beta ~ N(0, I), y_i ~ Bernoulli(logistic(x_i^T beta)).

struct LogisticRegression {
  Eigen::MatrixXd x;  // rows x dimension
  Eigen::VectorXd y;  // outcomes, 0 or 1

  template <class T>
  auto operator()(const T& beta) const {
    return varia::bernoulli_logit_lpmf(y, evaluated(x * beta)) + varia::normal_lpdf(beta, 0.0, 1.0);
  }
};

/// Returns a logistic regression with `rows` rows of N(0, 1) covariates and outcomes drawn from the
/// model at a true beta ~ N(0, I / dimension), so that x_i^T beta is of order one.
inline LogisticRegression make_logistic_regression(Eigen::Index rows, Eigen::Index dimension,
                                                   std::uint64_t seed) {
  LogisticRegression model;
  model.x = normal_draws(rows, dimension, 1.0, seed);
  const Eigen::VectorXd truth =
      normal_draws(dimension, 1, 1.0 / std::sqrt(static_cast<double>(dimension)), seed + 1);
  const Eigen::VectorXd eta = model.x * truth;
  std::mt19937_64 engine(seed + 2);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  model.y.resize(rows);
  for (Eigen::Index i = 0; i < rows; ++i) {
    model.y(i) = uniform(engine) < 1.0 / (1.0 + std::exp(-eta(i))) ? 1.0 : 0.0;
  }
  return model;
}

/// Hand-written value and gradient of LogisticRegression at one point: two matrix-vector
/// products and vectorized elementwise passes sharing one exp(-|eta|) per row.
/// gradient = X^T (y - logistic(X beta)) - beta.
class LogisticRegressionGradient {
 public:
  explicit LogisticRegressionGradient(const LogisticRegression& model)
      : model_(&model), eta_(model.x.rows()), e_(model.x.rows()), inverse_(model.x.rows()) {}

  double operator()(const Eigen::VectorXd& beta, Eigen::VectorXd& gradient) {
    const auto y = model_->y.array();
    eta_.matrix().noalias() = model_->x * beta;
    const double likelihood = bernoulli_logit_pass(eta_, y, e_, inverse_);
    gradient.noalias() = model_->x.transpose() * eta_.matrix();
    gradient -= beta;
    return likelihood - 0.5 * beta.squaredNorm() -
           static_cast<double>(beta.size()) * half_log_two_pi;
  }

 private:
  const LogisticRegression* model_;
  Eigen::ArrayXd eta_;  // X beta, then the residuals y - logistic(X beta)
  Eigen::ArrayXd e_;
  Eigen::ArrayXd inverse_;
};

/// Hand-written values and gradients of LogisticRegression at the columns of a d x S matrix:
/// two matrix-matrix products (X B and X^T R) and an elementwise pass per column, which keeps
/// the column's rows in the L1 cache.
class LogisticRegressionLanesGradient {
 public:
  explicit LogisticRegressionLanesGradient(const LogisticRegression& model)
      : model_(&model), e_(model.x.rows()), inverse_(model.x.rows()) {}

  void operator()(const Eigen::MatrixXd& points, Eigen::VectorXd& values,
                  Eigen::MatrixXd& gradients) {
    const auto y = model_->y.array();
    eta_.resize(model_->x.rows(), points.cols());
    values.resize(points.cols());
    eta_.noalias() = model_->x * points;
    for (Eigen::Index j = 0; j < points.cols(); ++j) {
      auto eta = eta_.col(j).array();
      values(j) = bernoulli_logit_pass(eta, y, e_, inverse_);
    }
    gradients.resize(points.rows(), points.cols());
    gradients.noalias() = model_->x.transpose() * eta_;
    gradients -= points;
    values -= 0.5 * points.colwise().squaredNorm().transpose();
    values.array() -= static_cast<double>(points.rows()) * half_log_two_pi;
  }

 private:
  const LogisticRegression* model_;
  Eigen::MatrixXd eta_;  // X B, then the residuals y - logistic(X B)
  Eigen::ArrayXd e_;
  Eigen::ArrayXd inverse_;
};

// ---------------------------------------------------------------------------------------------
// Standard normal: x ~ N(0, I).

struct StandardNormal {
  template <class T>
  auto operator()(const T& x) const {
    return varia::normal_lpdf(x, 0.0, 1.0);
  }
};

/// Hand-written value and gradient of StandardNormal: gradient = -x.
class StandardNormalGradient {
 public:
  explicit StandardNormalGradient(const StandardNormal&) {}

  double operator()(const Eigen::VectorXd& x, Eigen::VectorXd& gradient) const {
    gradient = -x;
    return -0.5 * x.squaredNorm() - static_cast<double>(x.size()) * half_log_two_pi;
  }
};

// ---------------------------------------------------------------------------------------------
// Eight schools, non-centered (Rubin 1981, "Estimation in parallel randomized experiments"):
// x = (mu, log tau, theta_tilde[8]), theta = mu + tau theta_tilde, mu ~ N(0, 5),
// tau ~ half-Cauchy(0, 5) with the Jacobian of tau = exp(log tau), theta_tilde ~ N(0, 1),
// y_j ~ N(theta_j, sigma_j).

struct EightSchools {
  Eigen::VectorXd y = (Eigen::VectorXd(8) << 28, 8, -3, 7, -1, 1, 18, 12).finished();
  Eigen::VectorXd sigma = (Eigen::VectorXd(8) << 15, 10, 16, 11, 9, 11, 10, 18).finished();

  /// log(2 / (5 pi)), the constant of the half-Cauchy(0, 5) log density.
  static constexpr double log_half_cauchy_constant = -2.061020617723555;

  template <class T>
  auto operator()(const T& x) const {
    using Real = std::remove_cvref_t<decltype(x(0))>;
    const Real mu = x(0);
    const Real log_tau = x(1);
    const Real tau = varia::exp(log_tau);
    const auto theta_tilde = x.tail(8);
    // The likelihood N(y | mu + tau theta_tilde, sigma) is written as the equal density
    // N(y - tau theta_tilde | mu, sigma), because an Eigen vector has no scalar + vector.
    return varia::normal_lpdf(mu, 0.0, 5.0) +
           (log_half_cauchy_constant - varia::log(1.0 + tau * tau / 25.0) + log_tau) +
           varia::normal_lpdf(theta_tilde, 0.0, 1.0) +
           varia::normal_lpdf(y - tau * theta_tilde, mu, sigma);
  }
};

/// Hand-written value and gradient of EightSchools, with r_j = (y_j - theta_j) / sigma_j^2:
/// d/dmu = -mu / 25 + sum_j r_j, d/dlog tau = 1 - 2 u^2 / (1 + u^2) + tau sum_j r_j
/// theta_tilde_j with u = tau / 5, d/dtheta_tilde_j = -theta_tilde_j + tau r_j.
class EightSchoolsGradient {
 public:
  explicit EightSchoolsGradient(const EightSchools& model) {
    for (Eigen::Index j = 0; j < 8; ++j) {
      const auto k = static_cast<std::size_t>(j);
      y_[k] = model.y(j);
      precision_[k] = 1.0 / (model.sigma(j) * model.sigma(j));
      log_sigma_sum_ += std::log(model.sigma(j));
    }
  }

  double operator()(const Eigen::VectorXd& x, Eigen::VectorXd& gradient) const {
    const double mu = x(0);
    const double log_tau = x(1);
    const double tau = std::exp(log_tau);
    const double u2 = tau * tau / 25.0;
    double mu_adjoint = -mu / 25.0;
    double tau_adjoint = 0.0;
    double squares = 0.0;
    double prior_squares = 0.0;
    for (std::size_t j = 0; j < 8; ++j) {
      const double theta_tilde = x(static_cast<Eigen::Index>(j) + 2);
      const double residual = y_[j] - mu - tau * theta_tilde;
      const double scaled = residual * precision_[j];
      squares += residual * scaled;
      prior_squares += theta_tilde * theta_tilde;
      mu_adjoint += scaled;
      tau_adjoint += scaled * theta_tilde;
      gradient(static_cast<Eigen::Index>(j) + 2) = tau * scaled - theta_tilde;
    }
    gradient(0) = mu_adjoint;
    gradient(1) = 1.0 - 2.0 * u2 / (1.0 + u2) + tau * tau_adjoint;
    const double mu_prior = -0.5 * mu * mu / 25.0 - std::log(5.0) - half_log_two_pi;
    const double tau_prior = EightSchools::log_half_cauchy_constant - std::log1p(u2) + log_tau;
    return mu_prior + tau_prior - 0.5 * prior_squares - 0.5 * squares - log_sigma_sum_ -
           16.0 * half_log_two_pi;
  }

 private:
  std::array<double, 8> y_{};
  std::array<double, 8> precision_{};
  double log_sigma_sum_ = 0.0;
};

// ---------------------------------------------------------------------------------------------
// AR(5) time series: x = (alpha, beta[5], log sigma), mu_t = alpha + sum_k beta_k y_{t-k},
// y_t ~ N(mu_t, sigma) for t = 5, ..., T - 1, written as a loop of scalar operations.

struct Autoregressive {
  static constexpr Eigen::Index order = 5;
  Eigen::VectorXd y;

  template <class T>
  auto operator()(const T& x) const {
    using Real = std::remove_cvref_t<decltype(x(0))>;
    const Real alpha = x(0);
    const std::array<Real, order> beta{x(1), x(2), x(3), x(4), x(5)};
    const Real log_sigma = x(6);
    const Real inverse_sigma = varia::exp(-log_sigma);
    Real squares = 0.0;
    for (Eigen::Index t = order; t < y.size(); ++t) {
      const Real z = (y(t) - (alpha + beta[0] * y(t - 1) + beta[1] * y(t - 2) + beta[2] * y(t - 3) +
                              beta[3] * y(t - 4) + beta[4] * y(t - 5))) *
                     inverse_sigma;
      squares += z * z;
    }
    const auto count = static_cast<double>(y.size() - order);
    return -0.5 * squares - count * (log_sigma + half_log_two_pi);
  }
};

/// Returns an AR(5) model of a series of `length` points simulated from alpha = 0.5, beta = (0.3,
/// -0.2, 0.15, 0.1, -0.05), sigma = 0.8, starting from zeros.
inline Autoregressive make_autoregressive(Eigen::Index length, std::uint64_t seed) {
  constexpr std::array<double, 5> beta{0.3, -0.2, 0.15, 0.1, -0.05};
  const Eigen::MatrixXd noise = normal_draws(length, 1, 0.8, seed);
  Autoregressive model;
  model.y = Eigen::VectorXd::Zero(length);
  for (Eigen::Index t = Autoregressive::order; t < length; ++t) {
    double mean = 0.5;
    for (Eigen::Index k = 1; k <= Autoregressive::order; ++k) {
      mean += beta[static_cast<std::size_t>(k - 1)] * model.y(t - k);
    }
    model.y(t) = mean + noise(t, 0);
  }
  return model;
}

/// Hand-written value and gradient of Autoregressive with vectorized passes over the series:
/// with r = (y_t - mu_t) / sigma^2, d/dalpha = sum_t r_t, d/dbeta_k = sum_t r_t y_{t-k} and
/// d/dlog sigma = sum_t (y_t - mu_t)^2 / sigma^2 - (T - 5).
class AutoregressiveGradient {
 public:
  explicit AutoregressiveGradient(const Autoregressive& model)
      : model_(&model), residual_(model.y.size() - Autoregressive::order) {}

  double operator()(const Eigen::VectorXd& x, Eigen::VectorXd& gradient) {
    const Eigen::Index n = residual_.size();
    const auto lag = [&](Eigen::Index k) {
      return model_->y.segment(Autoregressive::order - k, n);
    };
    residual_ =
        lag(0) - x(1) * lag(1) - x(2) * lag(2) - x(3) * lag(3) - x(4) * lag(4) - x(5) * lag(5);
    residual_.array() -= x(0);
    const double precision = std::exp(-2.0 * x(6));
    const double squares = residual_.squaredNorm() * precision;
    gradient(0) = residual_.sum() * precision;
    for (Eigen::Index k = 1; k <= Autoregressive::order; ++k) {
      gradient(k) = residual_.dot(lag(k)) * precision;
    }
    gradient(6) = squares - static_cast<double>(n);
    return -0.5 * squares - static_cast<double>(n) * (x(6) + half_log_two_pi);
  }

 private:
  const Autoregressive* model_;
  Eigen::VectorXd residual_;
};

// ---------------------------------------------------------------------------------------------
// Checks and timing loops shared by the benchmarks.

/// Aborts the program with a message unless `actual` is within a relative 1e-8 of `expected`:
/// |actual - expected| <= 1e-8 max|expected|, the maximum taken over the entries.
inline void require_close(const char* what, const Eigen::MatrixXd& actual,
                          const Eigen::MatrixXd& expected) {
  constexpr double tolerance = 1e-8;
  const double scale = expected.cwiseAbs().maxCoeff();
  const bool same_shape = actual.rows() == expected.rows() && actual.cols() == expected.cols();
  const double error = same_shape ? (actual - expected).cwiseAbs().maxCoeff()
                                  : std::numeric_limits<double>::infinity();
  if (!(error <= tolerance * scale)) {
    std::fprintf(stderr,
                 "varia benchmarks: %s differs from varia's by %.3g (largest magnitude %.3g, "
                 "allowed relative difference %.0e); the baseline is wrong, so no time is "
                 "reported\n",
                 what, error, scale, tolerance);
    std::abort();
  }
}

/// Checks varia's value and gradient against a hand-written gradient at every column of
/// `points`, then returns.
template <class Model, class Hand>
void check_hand_gradient(const char* name, const Model& model, Hand& hand,
                         const Eigen::MatrixXd& points) {
  Eigen::VectorXd gradient(points.rows());
  Eigen::VectorXd hand_gradient(points.rows());
  for (Eigen::Index s = 0; s < points.cols(); ++s) {
    const Eigen::VectorXd point = points.col(s);
    const double value = varia::value_and_gradient(model, point, gradient);
    const double hand_value = hand(point, hand_gradient);
    require_close(name, Eigen::MatrixXd::Constant(1, 1, hand_value),
                  Eigen::MatrixXd::Constant(1, 1, value));
    require_close(name, hand_gradient, gradient);
    require_close(name, Eigen::MatrixXd::Constant(1, 1, static_cast<double>(model(point))),
                  Eigen::MatrixXd::Constant(1, 1, value));
  }
}

/// Times the double evaluation of the model at `point`.
template <class Model>
void time_function(benchmark::State& state, const Model& model, const Eigen::VectorXd& point) {
  for (auto _ : state) {
    const double value = model(point);
    benchmark::DoNotOptimize(value);
  }
  state.SetItemsProcessed(state.iterations());
}

/// Times a hand-written value and gradient at `point`, after checking it against varia at
/// every column of `points`.
template <class Model, class Hand>
void time_hand_gradient(benchmark::State& state, const Model& model,
                        const Eigen::MatrixXd& points) {
  Hand hand(model);
  check_hand_gradient("the hand-written gradient", model, hand, points);
  const Eigen::VectorXd point = points.col(0);
  Eigen::VectorXd gradient(point.size());
  for (auto _ : state) {
    const double value = hand(point, gradient);
    benchmark::DoNotOptimize(value);
    benchmark::DoNotOptimize(gradient.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
}

/// Times varia::value_and_gradient at `point`.
template <class Model>
void time_varia_gradient(benchmark::State& state, const Model& model,
                         const Eigen::VectorXd& point) {
  Eigen::VectorXd gradient(point.size());
  for (auto _ : state) {
    const double value = varia::value_and_gradient(model, point, gradient);
    benchmark::DoNotOptimize(value);
    benchmark::DoNotOptimize(gradient.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
}

/// Times varia::value_and_gradient_lanes at the columns of `points`; one item is one point.
template <class Model>
void time_varia_lanes(benchmark::State& state, const Model& model, const Eigen::MatrixXd& points) {
  Eigen::VectorXd values(points.cols());
  Eigen::MatrixXd gradients(points.rows(), points.cols());
  for (auto _ : state) {
    varia::value_and_gradient_lanes(model, points, values, gradients);
    benchmark::DoNotOptimize(values.data());
    benchmark::DoNotOptimize(gradients.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * points.cols());
}

/// Times a hand-written batched gradient at the columns of `points`, after checking it against
/// varia::value_and_gradient_lanes; one item is one point.
template <class Model, class HandLanes>
void time_hand_lanes(benchmark::State& state, const Model& model, const Eigen::MatrixXd& points) {
  HandLanes hand(model);
  Eigen::VectorXd values(points.cols());
  Eigen::MatrixXd gradients(points.rows(), points.cols());
  Eigen::VectorXd varia_values;
  Eigen::MatrixXd varia_gradients;
  varia::value_and_gradient_lanes(model, points, varia_values, varia_gradients);
  hand(points, values, gradients);
  require_close("the hand-written batched values", values, varia_values);
  require_close("the hand-written batched gradients", gradients, varia_gradients);
  for (auto _ : state) {
    hand(points, values, gradients);
    benchmark::DoNotOptimize(values.data());
    benchmark::DoNotOptimize(gradients.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * points.cols());
}

}  // namespace varia::benchmarks
