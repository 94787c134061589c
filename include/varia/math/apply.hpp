// Dispatch of the elementwise math functions over the argument types varia supports.
#pragma once

#include <algorithm>
#include <type_traits>
#include <utility>

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
concept MathArgument = std::is_arithmetic_v<std::remove_cvref_t<T>> || ad::ScalarExpression<T> ||
    ad::VectorExpression<T> || ad::EigenDense<T>;

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
    using Result = decltype(Rule::value(x.array()));
    if constexpr (std::is_base_of_v<Eigen::PlainObjectBase<Result>, Result>) {
      // A rule that returns an evaluated array: wrapping the temporary would leave it dangling.
      return Eigen::Matrix<double, Result::RowsAtCompileTime, Result::ColsAtCompileTime>(
          Rule::value(x.array()).matrix());
    } else {
      return Rule::value(x.array()).matrix();
    }
  }
}

/// An autodiff vector as an operand of elementwise_binary: its n x W values, and the adjoints
/// it receives.
template <int W>
struct VectorOperand {
  static constexpr bool is_constant = false;
  ad::Vector<W> vector;

  auto values(Eigen::Index) const { return vector.value().array(); }
  template <class A>
  void accumulate(const A& adjoint) const {
    vector.adjoint().array() += adjoint;
  }
};

/// An autodiff scalar paired with every element of an autodiff vector: its lanes repeated in each
/// row, and the adjoints of all rows summed into it.
template <int W>
struct ScalarOperand {
  static constexpr bool is_constant = false;
  ad::Scalar<W> scalar;

  auto values(Eigen::Index rows) const {
    return Eigen::Map<const Eigen::Matrix<double, 1, W>>(scalar.value().data())
        .replicate(rows, 1)
        .array();
  }
  template <class A>
  void accumulate(const A& adjoint) const {
    scalar.adjoint() += adjoint.colwise().sum().transpose();
  }
};

/// A double paired with every element and lane of an autodiff vector.
template <int W>
struct ConstantOperand {
  static constexpr bool is_constant = true;
  double constant;

  auto values(Eigen::Index rows) const {
    return ad::LaneBlock<W>::Constant(rows, W, constant).array();
  }
  template <class A>
  void accumulate(const A&) const {}
};

/// Wraps an operand of a vector function (an autodiff vector, an autodiff scalar expression or a
/// double) for elementwise_binary.
template <int W, class T>
auto vector_operand(const T& operand) {
  if constexpr (ad::VectorExpression<T>) {
    return VectorOperand<W>{operand};
  } else if constexpr (ad::ScalarExpression<T>) {
    return ScalarOperand<W>{ad::Scalar<W>(operand)};
  } else {
    return ConstantOperand<W>{static_cast<double>(operand)};
  }
}

/// f(left_i, right_i) for each element i of an autodiff vector of `size` elements, recorded as one
/// tape node. Each operand is an autodiff vector, a scalar shared by all elements, or a double.
template <class Rule, int W, class L, class R>
ad::Vector<W> elementwise_binary(const L& left, const R& right, Eigen::Index size) {
  ad::Vector<W> result = ad::Vector<W>::uninitialized(size);
  result.value_storage().array() = Rule::value(left.values(size), right.values(size));
  ad::tape().on_backward([left, right, result, size] {
    const auto g = result.adjoint().array();
    const auto value = result.value().array();
    if constexpr (!L::is_constant) {
      left.accumulate(Rule::left_adjoint(g, left.values(size), right.values(size), value));
    }
    if constexpr (!R::is_constant) {
      right.accumulate(Rule::right_adjoint(g, left.values(size), right.values(size), value));
    }
  });
  return result;
}

/// Number of elements of an autodiff vector operand; the other operand of a vector function
/// is a scalar or a vector of the same size.
template <class L, class R>
Eigen::Index vector_size(const char* function, const L& left, const R& right) {
  if constexpr (ad::VectorExpression<L> && ad::VectorExpression<R>) {
    ad::detail::check_sizes(function, "the second argument's size", left.size(), right.size());
    return left.size();
  } else if constexpr (ad::VectorExpression<L>) {
    return left.size();
  } else {
    return right.size();
  }
}

template <class T>
constexpr int lanes_of() {
  using Plain = std::remove_cvref_t<T>;
  if constexpr (ad::VectorExpression<T> || ad::ScalarExpression<T>) {
    return Plain::lanes;
  } else {
    return 1;
  }
}

/// x as an Eigen array expression with `rows` x `cols` coefficients: an Eigen object's array view,
/// or a double repeated.
template <class Like, class T>
decltype(auto) array_operand(const T& x, Eigen::Index rows, Eigen::Index cols) {
  if constexpr (ad::EigenDense<T>) {
    return x.array();
  } else {
    using Plain =
        typename std::remove_cvref_t<decltype(std::declval<const Like&>().array())>::PlainObject;
    return Plain::Constant(rows, cols, static_cast<double>(x));
  }
}

/// Applies a binary derivative rule (value(a, b), left_adjoint(g, a, b, value),
/// right_adjoint(g, a, b, value)) to two MathArguments:
///  - two doubles: the double value,
///  - a double or an autodiff scalar expression with another: a fused scalar expression,
///  - an autodiff vector with a vector of the same size, a scalar expression or a double: one
///    tape node for the whole vector,
///  - Eigen objects with Eigen objects of the same shape or with doubles: the elementwise values,
///    a matrix when either argument is a matrix, else an array.
/// Throws std::invalid_argument when two vectors differ in size.
template <class Rule, class L, class R>
auto apply_binary(const char* function, const L& left, const R& right) {
  static_assert(MathArgument<L> && MathArgument<R>,
                "varia: a math function was called with an unsupported argument type. It accepts "
                "double, an Eigen vector, matrix or array of doubles, a varia::ad scalar "
                "expression or a varia::ad::Vector");
  constexpr bool left_arithmetic = std::is_arithmetic_v<std::remove_cvref_t<L>>;
  constexpr bool right_arithmetic = std::is_arithmetic_v<std::remove_cvref_t<R>>;
  if constexpr (left_arithmetic && right_arithmetic) {
    return Rule::value(static_cast<double>(left), static_cast<double>(right));
  } else if constexpr (ad::ScalarOperand<L> && ad::ScalarOperand<R>) {
    return ad::detail::make_binary<Rule>(left, right);
  } else if constexpr (ad::VectorExpression<L> || ad::VectorExpression<R>) {
    static_assert(!ad::EigenDense<L> && !ad::EigenDense<R>,
                  "varia: an autodiff vector can be combined elementwise with another autodiff "
                  "vector, an autodiff scalar or a double, but not with an Eigen object");
    constexpr int lanes = std::max(lanes_of<L>(), lanes_of<R>());
    static_assert(lanes_of<L>() == lanes_of<R>() || lanes_of<L>() == 1 || lanes_of<R>() == 1,
                  "varia: the arguments of a math function must have the same number of lanes, "
                  "or one of them a single lane");
    const Eigen::Index size = vector_size(function, left, right);
    return elementwise_binary<Rule, lanes>(vector_operand<lanes>(left),
                                           vector_operand<lanes>(right), size);
  } else {
    static_assert(!ad::ScalarExpression<L> && !ad::ScalarExpression<R>,
                  "varia: an autodiff scalar cannot be combined with an Eigen object; use an "
                  "autodiff vector");
    constexpr bool left_eigen = ad::EigenDense<L>;
    const auto& shape = [&]() -> decltype(auto) {
      if constexpr (left_eigen) {
        return (left);
      } else {
        return (right);
      }
    }();
    using Shape = std::remove_cvref_t<decltype(shape)>;
    if constexpr (ad::EigenDense<L> && ad::EigenDense<R>) {
      ad::detail::check_sizes(function, "the second argument's number of rows", left.rows(),
                              right.rows());
      ad::detail::check_sizes(function, "the second argument's number of columns", left.cols(),
                              right.cols());
    }
    auto value = Rule::value(array_operand<Shape>(left, shape.rows(), shape.cols()),
                             array_operand<Shape>(right, shape.rows(), shape.cols()));
    constexpr bool any_matrix =
        (ad::EigenDense<L> && !ad::EigenArray<L>) || (ad::EigenDense<R> && !ad::EigenArray<R>);
    // The result is evaluated, because the rule's expression may refer to temporaries.
    if constexpr (any_matrix) {
      return value.matrix().eval();
    } else {
      return value.eval();
    }
  }
}

}  // namespace detail
}  // namespace varia
