// Argument checks shared by the optimizers. Every failed check throws std::invalid_argument with
// a message of the form "<function>: <argument> is <value>, but must be <requirement>".
#pragma once

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include <Eigen/Core>

namespace varia::detail::optim {

/// Formats a value for an error message with the stream defaults (6 significant digits).
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

/// Throws unless value is finite and > 0.
inline void check_positive_finite(std::string_view function, std::string_view argument,
                                  double value) {
  if (!(std::isfinite(value) && value > 0.0)) {
    throw_invalid_argument(function, argument, format_value(value), "positive and finite");
  }
}

/// Throws unless value is finite and >= 0.
inline void check_nonnegative_finite(std::string_view function, std::string_view argument,
                                     double value) {
  if (!(std::isfinite(value) && value >= 0.0)) {
    throw_invalid_argument(function, argument, format_value(value), "non-negative and finite");
  }
}

/// Throws unless value is in the half-open interval [0, 1).
inline void check_in_unit_interval_closed_open(std::string_view function, std::string_view argument,
                                               double value) {
  if (!(value >= 0.0 && value < 1.0)) {
    throw_invalid_argument(function, argument, format_value(value), "in [0, 1)");
  }
}

/// Throws unless value is in the open interval (0, 1).
inline void check_in_unit_interval_open(std::string_view function, std::string_view argument,
                                        double value) {
  if (!(value > 0.0 && value < 1.0)) {
    throw_invalid_argument(function, argument, format_value(value), "in (0, 1)");
  }
}

/// Throws if the optimizer has not been initialized.
inline void check_initialized(std::string_view function, Eigen::Index dimension) {
  if (dimension == 0) {
    std::string message(function);
    message += ": the optimizer is not initialized, but must be: call initialize(x0) first";
    throw std::invalid_argument(message);
  }
}

/// Throws unless vector has the dimension given to initialize.
inline void check_dimension(std::string_view function, std::string_view argument, Eigen::Index size,
                            Eigen::Index dimension) {
  if (size != dimension) {
    throw_invalid_argument(function, std::string(argument) + "'s size", format_value(size),
                           "the dimension passed to initialize, " + format_value(dimension));
  }
}

/// Returns whether every entry of vector is finite. The sum of 0 * v_i is 0 when every v_i is
/// finite and NaN otherwise, so the check is a single reduction.
inline bool all_finite(const Eigen::VectorXd& vector) {
  return (vector.array() * 0.0).sum() == 0.0;
}

/// Returns whether the square of every entry of vector is finite (so every entry is finite too).
inline bool all_squares_finite(const Eigen::VectorXd& vector) {
  return (vector.array().square() * 0.0).sum() == 0.0;
}

/// Throws with the index and value of the first non-finite entry of vector, if there is one.
inline void check_all_finite(std::string_view function, std::string_view argument,
                             const Eigen::VectorXd& vector) {
  if (all_finite(vector)) {
    return;
  }
  for (Eigen::Index i = 0; i < vector.size(); ++i) {
    if (!std::isfinite(vector[i])) {
      throw_invalid_argument(function, std::string(argument) + "[" + format_value(i) + "]",
                             format_value(vector[i]), "finite");
    }
  }
}

/// Throws unless every entry of gradient and its square are finite, naming the first bad index.
/// Optimizers that accumulate squared gradients use this check, because a square that overflows
/// to infinity would silently freeze their step sizes at zero.
inline void check_square_finite(std::string_view function, std::string_view argument,
                                const Eigen::VectorXd& vector) {
  if (all_squares_finite(vector)) {
    return;
  }
  for (Eigen::Index i = 0; i < vector.size(); ++i) {
    const double value = vector[i];
    if (!std::isfinite(value)) {
      throw_invalid_argument(function, std::string(argument) + "[" + format_value(i) + "]",
                             format_value(value), "finite");
    }
    if (!std::isfinite(value * value)) {
      throw_invalid_argument(function, std::string(argument) + "[" + format_value(i) + "]",
                             format_value(value),
                             "small enough in magnitude that its square is finite");
    }
  }
}

/// Checks the arguments of an optimizer's step: the optimizer is initialized, x and gradient have
/// the initialized dimension, x is finite, and gradient is finite (and so is its square when
/// square_must_be_finite is true).
inline void check_step_arguments(std::string_view function, Eigen::Index dimension,
                                 const Eigen::VectorXd& x, const Eigen::VectorXd& gradient,
                                 bool square_must_be_finite) {
  check_initialized(function, dimension);
  check_dimension(function, "x", x.size(), dimension);
  check_dimension(function, "gradient", gradient.size(), dimension);
  // One pass over both vectors in the common case; the entry-by-entry checks below run only
  // when that pass finds a non-finite value.
  const double sum = square_must_be_finite
                         ? (x.array() * 0.0 + gradient.array().square() * 0.0).sum()
                         : (x.array() * 0.0 + gradient.array() * 0.0).sum();
  if (sum == 0.0) {
    return;
  }
  check_all_finite(function, "x", x);
  if (square_must_be_finite) {
    check_square_finite(function, "gradient", gradient);
  } else {
    check_all_finite(function, "gradient", gradient);
  }
}

/// Checks the starting point passed to an optimizer's initialize: non-empty and finite.
inline void check_initial_point(std::string_view function, const Eigen::VectorXd& x0) {
  if (x0.size() == 0) {
    throw_invalid_argument(function, "x0's size", "0", "at least 1");
  }
  check_all_finite(function, "x0", x0);
}

}  // namespace varia::detail::optim
