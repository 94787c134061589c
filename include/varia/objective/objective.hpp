// The Objective concept: a variational objective as a reduction of the log importance weights
// w_s = log p(z_s) - log q(z_s) of a batch of S samples, and helpers shared by the objectives.
#pragma once

#include <cmath>
#include <concepts>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include <Eigen/Core>

namespace varia {

/// Whether a fit maximizes an objective (a lower bound on log Z) or minimizes it (an upper bound).
enum class ObjectiveDirection { maximize, minimize };

/// An estimator of a variational objective from the log weights w (size S) of S samples.
///
/// - `value(w)` returns the estimate.
/// - `value_and_weights(w, dw)` returns the estimate and writes dw_s = d value / d w_s (dw is
///   resized to S).
/// - `direction()` returns whether a fit maximizes or minimizes the objective.
/// - `accepts_samples(S)` returns whether the objective can be estimated from S samples, and
///   `check_samples(S)` throws std::invalid_argument when it cannot (for example, the IWAE
///   objective needs S to be a multiple of its group size K).
/// - `name()` returns a short name such as "elbo" or "iwae(K=8)".
template <class O>
concept Objective = std::copy_constructible<O> &&
    requires(const O& objective, const Eigen::VectorXd& w, Eigen::VectorXd& dw, Eigen::Index s) {
  { objective.value(w) } -> std::convertible_to<double>;
  { objective.value_and_weights(w, dw) } -> std::convertible_to<double>;
  { objective.direction() } -> std::same_as<ObjectiveDirection>;
  { objective.accepts_samples(s) } -> std::convertible_to<bool>;
  objective.check_samples(s);
  { objective.name() } -> std::convertible_to<std::string>;
};

namespace detail::objective {

template <class T>
std::string format_value(const T& value) {
  std::ostringstream stream;
  stream << value;
  return stream.str();
}

[[noreturn]] inline void throw_invalid_argument(std::string_view function,
                                                std::string_view argument, const std::string& value,
                                                std::string_view requirement) {
  std::string message(function);
  message += ": ";
  message += argument;
  message += " is ";
  message += value;
  message += ", but must be ";
  message += requirement;
  throw std::invalid_argument(message);
}

/// Throws unless the batch has at least one sample.
inline void check_not_empty(std::string_view function, Eigen::Index size) {
  if (size < 1) {
    throw_invalid_argument(function, "the number of log weights", format_value(size), "at least 1");
  }
}

/// Returns log((1/n) sum_i exp(x_i)) of the n entries of x and writes the softmax
/// exp(x_i) / sum_j exp(x_j) to `softmax`, the derivative of the value with respect to x.
/// The largest entry is subtracted before exponentiating, so entries of any finite size work.
/// Entries of -inf get softmax 0, and when every entry is -inf the value is -inf and the softmax
/// is 0. When some entries are +inf, the value is +inf and the softmax is spread evenly over
/// them. A NaN entry makes the value and the softmax NaN.
template <class Derived, class Out>
double log_mean_exp_and_softmax(const Eigen::MatrixBase<Derived>& x,
                                Eigen::MatrixBase<Out>& softmax) {
  const auto n = x.size();
  if (x.array().isNaN().any()) {
    softmax.setConstant(std::numeric_limits<double>::quiet_NaN());
    return std::numeric_limits<double>::quiet_NaN();
  }
  const double largest = x.maxCoeff();
  if (largest == -std::numeric_limits<double>::infinity()) {
    softmax.setZero();
    return largest;
  }
  if (largest == std::numeric_limits<double>::infinity()) {
    const auto infinite = (x.array() == largest).template cast<double>();
    softmax = (infinite / infinite.sum()).matrix();
    return largest;
  }
  // Vectorized exp may return a tiny positive number for -inf, so those entries are set to 0.
  softmax = (x.array() == -std::numeric_limits<double>::infinity())
                .select(0.0, (x.array() - largest).exp())
                .matrix();
  const double sum = softmax.sum();
  softmax /= sum;
  return largest + std::log(sum / static_cast<double>(n));
}

/// Returns log((1/n) sum_i exp(x_i)) with the conventions of log_mean_exp_and_softmax.
template <class Derived>
double log_mean_exp(const Eigen::MatrixBase<Derived>& x) {
  if (x.array().isNaN().any()) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  const double largest = x.maxCoeff();
  if (std::isinf(largest)) {
    return largest;
  }
  const double sum = (x.array() == -std::numeric_limits<double>::infinity())
                         .select(0.0, (x.array() - largest).exp())
                         .sum();
  return largest + std::log(sum / static_cast<double>(x.size()));
}

}  // namespace detail::objective
}  // namespace varia
