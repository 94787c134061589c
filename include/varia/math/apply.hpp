// Dispatch of the elementwise math functions over the argument types varia supports.
#pragma once

#include <type_traits>

#include <Eigen/Core>

#include <varia/ad/expression.hpp>
#include <varia/ad/scalar.hpp>
#include <varia/ad/vector.hpp>
#include <varia/ad/vector_operations.hpp>

namespace varia {

/// An argument accepted by varia's elementwise math functions: a double (or other arithmetic
/// type), an Eigen vector, matrix or array of doubles, an autodiff scalar expression, or an
/// autodiff vector.
template <class T>
concept MathArgument =
    std::is_arithmetic_v<std::remove_cvref_t<T>> || ad::ScalarExpression<T> ||
    ad::VectorExpression<T> ||
    ad::EigenDense<T>;

namespace detail {

/// Applies a derivative rule to any MathArgument: doubles and Eigen objects are evaluated
/// directly, autodiff scalars become fused expressions, autodiff vectors one tape node.
template <class Rule, class T>
auto apply_unary(const T& x) {
  static_assert(MathArgument<T>,
                "varia: a math function was called with an unsupported argument type. It accepts "
                "double, an Eigen vector, matrix or array of doubles, a varia::ad scalar "
                "expression or a varia::ad::Vector");
  using Plain = std::remove_cvref_t<T>;
  if constexpr (std::is_arithmetic_v<Plain>) {
    return Rule::value(static_cast<double>(x));
  } else if constexpr (ad::ScalarExpression<T>) {
    return ad::UnaryExpression<Rule, Plain>(x);
  } else if constexpr (ad::VectorExpression<T>) {
    return ad::elementwise<Rule>(x);
  } else if constexpr (ad::EigenArray<Plain>) {
    return Rule::value(x);
  } else {
    return Rule::value(x.array()).matrix();
  }
}

}  // namespace detail
}  // namespace varia
