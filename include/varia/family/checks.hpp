// Argument checks shared by the variational families. Every failed check throws
// std::invalid_argument with a message of the form
// "<function>: <argument> is <value>, but must be <requirement>".
#pragma once

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include <Eigen/Core>

namespace varia::detail::family {

/// Name of the function that reports an error, kept in two parts so that the checks on hot paths
/// build the joined string only when they throw.
struct FunctionName {
  std::string_view type;    // "varia::FullRankGaussian"
  std::string_view method;  // "transform", or empty for a constructor

  std::string str() const {
    std::string joined(type);
    if (!method.empty()) {
      joined += "::";
      joined += method;
    }
    return joined;
  }
};

template <class T>
std::string format_value(const T& value) {
  std::ostringstream stream;
  stream << value;
  return stream.str();
}

[[noreturn]] inline void throw_invalid_argument(const FunctionName& function,
                                                std::string_view argument, const std::string& value,
                                                std::string_view requirement) {
  std::string message = function.str();
  message += ": ";
  message += argument;
  message += " is ";
  message += value;
  message += ", but must be ";
  message += requirement;
  throw std::invalid_argument(message);
}

/// Throws unless dimension >= 1.
inline void check_dimension(const FunctionName& function, Eigen::Index dimension) {
  if (dimension < 1) {
    throw_invalid_argument(function, "dimension", format_value(dimension), "at least 1");
  }
}

/// Throws unless size == expected; `expected_name` names the source of the expected size.
inline void check_size(const FunctionName& function, std::string_view argument, Eigen::Index size,
                       Eigen::Index expected, std::string_view expected_name) {
  if (size != expected) {
    throw_invalid_argument(function, argument, format_value(size),
                           format_value(expected) + " (" + std::string(expected_name) + ")");
  }
}

/// Throws unless every entry of x is finite, naming the first entry that is not.
template <class Derived>
void check_finite(const FunctionName& function, std::string_view argument,
                  const Eigen::DenseBase<Derived>& x) {
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      if (!std::isfinite(x(i, j))) {
        const std::string entry =
            x.cols() == 1
                ? std::string(argument) + "(" + std::to_string(i) + ")"
                : std::string(argument) + "(" + std::to_string(i) + ", " + std::to_string(j) + ")";
        throw_invalid_argument(function, entry, format_value(x(i, j)), "finite");
      }
    }
  }
}

/// Throws unless every entry of x is finite and positive, naming the first entry that is not.
inline void check_positive_finite(const FunctionName& function, std::string_view argument,
                                  const Eigen::Ref<const Eigen::VectorXd>& x) {
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    if (!(std::isfinite(x(i)) && x(i) > 0.0)) {
      throw_invalid_argument(function, std::string(argument) + "(" + std::to_string(i) + ")",
                             format_value(x(i)), "positive and finite");
    }
  }
}

/// Throws unless a block argument has `expected` rows.
inline void check_rows(const FunctionName& function, std::string_view argument, Eigen::Index rows,
                       Eigen::Index expected, std::string_view expected_name) {
  if (rows != expected) {
    check_size(function, std::string(argument) + ".rows()", rows, expected, expected_name);
  }
}

/// Throws unless a block argument has `expected` columns.
inline void check_columns(const FunctionName& function, std::string_view argument,
                          Eigen::Index columns, Eigen::Index expected,
                          std::string_view expected_name) {
  if (columns != expected) {
    check_size(function, std::string(argument) + ".cols()", columns, expected, expected_name);
  }
}

}  // namespace varia::detail::family
