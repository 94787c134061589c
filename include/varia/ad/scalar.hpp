// Scalar autodiff values with Monte Carlo lanes, and the expression protocol they share.
#pragma once

#include <concepts>
#include <type_traits>

#include <Eigen/Core>

#include <varia/ad/lanes.hpp>
#include <varia/ad/tape.hpp>

namespace varia::ad {

/// An autodiff scalar expression. It has a lane count `lanes`, and
///  - forward() evaluates its operands and caches its own value,
///  - val() returns the cached value (lanes doubles),
///  - backward(g) adds g times its derivative to its operands' adjoints.
/// Expressions are built by the arithmetic operators and math functions and are fused into a
/// single tape node when converted to a Scalar.
template <class E>
concept ScalarExpression = requires {
  typename std::remove_cvref_t<E>::varia_scalar_expression;
  { std::remove_cvref_t<E>::lanes } -> std::convertible_to<int>;
};

template <int W>
class Scalar;

namespace detail {

/// Tape node of a materialized expression: replays the expression's backward pass with the
/// adjoint accumulated in `adjoint`.
template <class E>
class ExpressionNode final : public Node {
 public:
  static constexpr int lanes = E::lanes;

  ExpressionNode(const E& expression, double* adjoint)
      : expression_(expression), adjoint_(adjoint) {}

  void backward() override {
    const Lanes<lanes> g = Eigen::Map<const Lanes<lanes>>(adjoint_);
    expression_.backward(g);
  }

  E& expression() { return expression_; }

 private:
  E expression_;
  double* adjoint_;
};

}  // namespace detail

/// An autodiff scalar with W lanes: a handle to W values and W adjoints in the thread's tape.
/// Copies are cheap and refer to the same variable. A Scalar exists only while a gradient is
/// recorded (inside varia::value_and_gradient and its relatives).
template <int W>
class Scalar {
 public:
  using varia_scalar_expression = void;
  static constexpr int lanes = W;
  static constexpr bool is_constant = false;

  /// Zero in every lane.
  Scalar() : Scalar(0.0) {}

  /// The constant `value` in every lane; it has no operands, so its adjoint goes nowhere.
  Scalar(double value) {  // NOLINT(google-explicit-constructor): scalars mix with doubles
    Tape& t = tape();
    double* values = t.uninitialized(W);
    Eigen::Map<Lanes<W>>(values).setConstant(value);
    value_ = values;
    adjoint_ = t.zeros(W);
  }

  /// Evaluates the expression and records it on the tape as one node.
  template <ScalarExpression E>
  requires(!std::same_as<std::remove_cvref_t<E>, Scalar>)
      Scalar(const E& expression) {  // NOLINT(google-explicit-constructor): expressions fuse here
    using Expression = std::remove_cvref_t<E>;
    static_assert(Expression::lanes == W || Expression::lanes == 1,
                  "varia::ad::Scalar: an expression with other than W or one lanes cannot be "
                  "assigned to a Scalar with W lanes");
    Tape& t = tape();
    double* adjoint = t.zeros(W);
    if constexpr (Expression::lanes == W) {
      auto* node = t.record<detail::ExpressionNode<Expression>>(expression, adjoint);
      node->expression().forward();
      value_ = node->expression().val().data();
    } else {
      auto* node = t.record<detail::ExpressionNode<Broadcast<Expression>>>(
          Broadcast<Expression>{expression}, adjoint);
      node->expression().forward();
      value_ = node->expression().val().data();
    }
    adjoint_ = adjoint;
  }

  /// A view of existing storage (an element of a Vector, say).
  Scalar(const double* value, double* adjoint) : value_(value), adjoint_(adjoint) {}

  /// The W values.
  Eigen::Map<const Lanes<W>> value() const { return Eigen::Map<const Lanes<W>>(value_); }

  /// The W adjoints: the derivatives of the recorded output with respect to this value, after
  /// the backward pass.
  Eigen::Map<Lanes<W>> adjoint() const { return Eigen::Map<Lanes<W>>(adjoint_); }

  // The expression protocol: a Scalar is a leaf.
  void forward() const {}
  Eigen::Map<const Lanes<W>> val() const { return value(); }
  template <class G>
  void backward(const G& g) const {
    adjoint() += g;
  }

  template <class E>
  Scalar& operator+=(const E& other);
  template <class E>
  Scalar& operator-=(const E& other);
  template <class E>
  Scalar& operator*=(const E& other);
  template <class E>
  Scalar& operator/=(const E& other);

 private:
  /// An expression of one lane used where W lanes are expected.
  template <class E>
  struct Broadcast {
    using varia_scalar_expression = void;
    static constexpr int lanes = W;
    static constexpr bool is_constant = false;
    E operand;
    Lanes<W> cached;

    void forward() {
      operand.forward();
      cached.setConstant(operand.val()(0));
    }
    const Lanes<W>& val() const { return cached; }
    template <class G>
    void backward(const G& g) {
      operand.backward(Lanes<1>::Constant(g.sum()));
    }
  };

  const double* value_;
  double* adjoint_;
};

/// A double used inside an expression. It has one lane (shared by all) and no adjoint.
struct Constant {
  using varia_scalar_expression = void;
  static constexpr int lanes = 1;
  static constexpr bool is_constant = true;
  double constant;

  void forward() const {}
  Lanes<1> val() const { return Lanes<1>::Constant(constant); }
  template <class G>
  void backward(const G&) const {}
};

/// A double or an autodiff scalar expression: what the scalar operators and functions accept.
template <class T>
concept ScalarOperand = ScalarExpression<T> || std::is_arithmetic_v<std::remove_cvref_t<T>>;

/// True when at least one of the operands is an autodiff expression.
template <class... T>
concept AnyScalarExpression = (ScalarExpression<T> || ...);

namespace detail {

/// Wraps a double as a Constant; passes expressions through unchanged.
template <ScalarOperand T>
auto as_expression(const T& operand) {
  if constexpr (ScalarExpression<T>) {
    return std::remove_cvref_t<T>(operand);
  } else {
    return Constant{static_cast<double>(operand)};
  }
}

template <class T>
using expression_t = decltype(as_expression(std::declval<const T&>()));

}  // namespace detail
}  // namespace varia::ad
