// Shared pieces of the posteriordb models: reading and validating data.json fields, and small
// generic operations that read the same for Eigen vectors (doubles) and varia's autodiff vectors.
#pragma once

#include <cmath>
#include <cstddef>
#include <numbers>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include <varia/ad/vector.hpp>
#include <varia/ad/vector_operations.hpp>

namespace varia::posteriordb {

/// log(2 pi) / 2, the constant of the normal log density.
inline constexpr double half_log_two_pi = 0.91893853320467274178;

/// log 2, the constant that turns a symmetric density into a half-density on (0, inf).
inline constexpr double log_two = std::numbers::ln2;

namespace detail {

[[noreturn]] inline void fail(std::string_view posterior, std::string_view field,
                              const std::string& problem) {
  throw std::invalid_argument("varia::posteriordb " + std::string(posterior) + ": data field \"" +
                              std::string(field) + "\" " + problem);
}

inline const nlohmann::json& field(const nlohmann::json& data, std::string_view posterior,
                                   std::string_view name) {
  if (!data.is_object()) {
    throw std::invalid_argument("varia::posteriordb " + std::string(posterior) +
                                ": data is not a JSON object");
  }
  const auto found = data.find(std::string(name));
  if (found == data.end()) {
    fail(posterior, name, "is missing");
  }
  return *found;
}

inline double number(const nlohmann::json& value, std::string_view posterior,
                     std::string_view name) {
  if (!value.is_number()) {
    fail(posterior, name, "has an entry that is not a number: " + value.dump());
  }
  const double result = value.get<double>();
  if (!std::isfinite(result)) {
    fail(posterior, name, "has an entry that is not finite: " + value.dump());
  }
  return result;
}

}  // namespace detail

/// Reads the integer field `name` of `data` and checks that it is at least `minimum`. Throws
/// std::invalid_argument naming the posterior and the field when it is missing, not an integer or
/// too small.
inline Eigen::Index read_integer(const nlohmann::json& data, std::string_view posterior,
                                 std::string_view name, Eigen::Index minimum) {
  const nlohmann::json& value = detail::field(data, posterior, name);
  if (!value.is_number_integer()) {
    detail::fail(posterior, name, "is " + value.dump() + ", expected an integer");
  }
  const auto result = value.get<Eigen::Index>();
  if (result < minimum) {
    detail::fail(posterior, name,
                 "is " + std::to_string(result) + ", expected at least " + std::to_string(minimum));
  }
  return result;
}

/// Reads the finite number field `name` of `data`.
inline double read_number(const nlohmann::json& data, std::string_view posterior,
                          std::string_view name) {
  return detail::number(detail::field(data, posterior, name), posterior, name);
}

/// Reads the array of finite numbers `name` of `data` and checks that it has `size` entries.
inline Eigen::VectorXd read_vector(const nlohmann::json& data, std::string_view posterior,
                                   std::string_view name, Eigen::Index size) {
  const nlohmann::json& value = detail::field(data, posterior, name);
  if (!value.is_array()) {
    detail::fail(posterior, name, "is not an array");
  }
  if (static_cast<Eigen::Index>(value.size()) != size) {
    detail::fail(
        posterior, name,
        "has " + std::to_string(value.size()) + " entries, expected " + std::to_string(size));
  }
  Eigen::VectorXd result(size);
  for (Eigen::Index i = 0; i < size; ++i) {
    result(i) = detail::number(value[static_cast<std::size_t>(i)], posterior, name);
  }
  return result;
}

/// Reads the array of `rows` arrays of `cols` finite numbers `name` of `data` (row by row, as
/// posteriordb stores a matrix).
inline Eigen::MatrixXd read_matrix(const nlohmann::json& data, std::string_view posterior,
                                   std::string_view name, Eigen::Index rows, Eigen::Index cols) {
  const nlohmann::json& value = detail::field(data, posterior, name);
  if (!value.is_array() || static_cast<Eigen::Index>(value.size()) != rows) {
    detail::fail(posterior, name, "is not an array of " + std::to_string(rows) + " rows");
  }
  Eigen::MatrixXd result(rows, cols);
  for (Eigen::Index i = 0; i < rows; ++i) {
    const nlohmann::json& row = value[static_cast<std::size_t>(i)];
    if (!row.is_array() || static_cast<Eigen::Index>(row.size()) != cols) {
      detail::fail(
          posterior, name,
          "row " + std::to_string(i + 1) + " does not have " + std::to_string(cols) + " entries");
    }
    for (Eigen::Index j = 0; j < cols; ++j) {
      result(i, j) = detail::number(row[static_cast<std::size_t>(j)], posterior, name);
    }
  }
  return result;
}

/// Returns `base[1]`, ..., `base[count]`, the 1-based element names posteriordb uses.
inline std::vector<std::string> indexed_names(const std::string& base, Eigen::Index count) {
  std::vector<std::string> names;
  names.reserve(static_cast<std::size_t>(count));
  for (Eigen::Index i = 1; i <= count; ++i) {
    names.push_back(base + "[" + std::to_string(i) + "]");
  }
  return names;
}

/// Throws std::invalid_argument unless an unconstrained point has the model's dimension.
inline void check_dimension(std::string_view posterior, Eigen::Index actual,
                            Eigen::Index expected) {
  if (actual != expected) {
    throw std::invalid_argument("varia::posteriordb " + std::string(posterior) +
                                ": the unconstrained point has " + std::to_string(actual) +
                                " entries, expected " + std::to_string(expected));
  }
}

/// Returns shift + scale * v elementwise. For an Eigen vector v the result is a new vector, for
/// an autodiff vector two tape nodes. scale and shift are doubles or autodiff scalars.
template <class V, class Scale, class Shift>
auto scale_and_shift(const V& v, const Scale& scale, const Shift& shift) {
  if constexpr (ad::VectorExpression<V>) {
    return shift + scale * v;
  } else {
    return Eigen::VectorXd((scale * v.array() + shift).matrix());
  }
}

/// Returns v + shift elementwise. For an Eigen vector or expression v the result is a new vector,
/// for an autodiff vector one tape node. shift is a double or an autodiff scalar.
template <class V, class Shift>
auto shifted(const V& v, const Shift& shift) {
  if constexpr (ad::VectorExpression<V>) {
    return shift + v;
  } else {
    return Eigen::VectorXd(v.array() + shift);
  }
}

/// Returns the data vector `values` as an argument of the same kind as the model's argument type
/// T, so that it can be combined with autodiff scalars elementwise. For doubles that is the vector
/// itself, for autodiff a new autodiff vector with equal lanes whose adjoint is never read.
template <class T>
decltype(auto) as_argument(const Eigen::VectorXd& values) {
  using Plain = std::remove_cvref_t<T>;
  if constexpr (ad::VectorExpression<Plain>) {
    return Plain::from_values(values.rowwise().replicate<Plain::lanes>());
  } else {
    return (values);
  }
}

/// Returns an Eigen matrix-vector product evaluated into a vector, or an autodiff product
/// unchanged. The double evaluation of a fused density reads its arguments element by element,
/// and each element of an unevaluated product would redo the whole product.
template <class T>
auto evaluated(const T& x) {
  if constexpr (ad::VectorExpression<T>) {
    return x;
  } else {
    return Eigen::VectorXd(x);
  }
}

}  // namespace varia::posteriordb
