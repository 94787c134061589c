// Fused scalar expressions: unary and binary nodes built at compile time, and the arithmetic
// operators that build them.
#pragma once

#include <algorithm>
#include <type_traits>

#include <Eigen/Core>

#include <varia/ad/lanes.hpp>
#include <varia/ad/scalar.hpp>

namespace varia::ad {

/// f(operand) for a derivative rule with value(x) and derivative(x, value) on Eigen arrays.
/// The value is cached in forward(), so backward() does not evaluate f again.
template <class Rule, ScalarExpression E>
class UnaryExpression {
 public:
  using varia_scalar_expression = void;
  static constexpr int lanes = E::lanes;
  static constexpr bool is_constant = E::is_constant;

  explicit UnaryExpression(const E& operand) : operand_(operand) {}

  void forward() {
    operand_.forward();
    value_ = Rule::value(operand_.val());
  }

  const Lanes<lanes>& val() const { return value_; }

  template <class G>
  void backward(const G& g) {
    if constexpr (!E::is_constant) {
      const Lanes<lanes> operand_adjoint = g * Rule::derivative(operand_.val(), value_);
      operand_.backward(operand_adjoint);
    }
  }

 private:
  E operand_;
  Lanes<lanes> value_;
};

/// f(left, right) for a derivative rule with value(a, b), left_adjoint(g, a, b, value) and
/// right_adjoint(g, a, b, value). An operand with one lane is shared by all lanes.
template <class Rule, ScalarExpression L, ScalarExpression R>
class BinaryExpression {
 public:
  using varia_scalar_expression = void;
  static constexpr int lanes = std::max(L::lanes, R::lanes);
  static constexpr bool is_constant = L::is_constant && R::is_constant;
  static_assert(L::lanes == R::lanes || L::lanes == 1 || R::lanes == 1,
                "varia::ad: the operands of an expression must have the same number of lanes, "
                "or one of them a single lane");

  BinaryExpression(const L& left, const R& right) : left_(left), right_(right) {}

  void forward() {
    left_.forward();
    right_.forward();
    value_ = Rule::value(detail::widen<lanes>(left_.val()), detail::widen<lanes>(right_.val()));
  }

  const Lanes<lanes>& val() const { return value_; }

  template <class G>
  void backward(const G& g) {
    // The operands' values are read inside each full expression, because val() may return a
    // temporary map that must not outlive it.
    if constexpr (!L::is_constant) {
      const Lanes<lanes> left_adjoint = Rule::left_adjoint(
          g, detail::widen<lanes>(left_.val()), detail::widen<lanes>(right_.val()), value_);
      left_.backward(detail::narrow<L::lanes>(left_adjoint));
    }
    if constexpr (!R::is_constant) {
      const Lanes<lanes> right_adjoint = Rule::right_adjoint(
          g, detail::widen<lanes>(left_.val()), detail::widen<lanes>(right_.val()), value_);
      right_.backward(detail::narrow<R::lanes>(right_adjoint));
    }
  }

 private:
  L left_;
  R right_;
  Lanes<lanes> value_;
};

namespace detail {

struct AddRule {
  template <class A, class B>
  static auto value(const A& a, const B& b) {
    return a + b;
  }
  template <class G, class A, class B, class V>
  static auto left_adjoint(const G& g, const A&, const B&, const V&) {
    return g;
  }
  template <class G, class A, class B, class V>
  static auto right_adjoint(const G& g, const A&, const B&, const V&) {
    return g;
  }
};

struct SubtractRule {
  template <class A, class B>
  static auto value(const A& a, const B& b) {
    return a - b;
  }
  template <class G, class A, class B, class V>
  static auto left_adjoint(const G& g, const A&, const B&, const V&) {
    return g;
  }
  template <class G, class A, class B, class V>
  static auto right_adjoint(const G& g, const A&, const B&, const V&) {
    return -g;
  }
};

struct MultiplyRule {
  template <class A, class B>
  static auto value(const A& a, const B& b) {
    return a * b;
  }
  template <class G, class A, class B, class V>
  static auto left_adjoint(const G& g, const A&, const B& b, const V&) {
    return g * b;
  }
  template <class G, class A, class B, class V>
  static auto right_adjoint(const G& g, const A& a, const B&, const V&) {
    return g * a;
  }
};

struct DivideRule {
  template <class A, class B>
  static auto value(const A& a, const B& b) {
    return a / b;
  }
  template <class G, class A, class B, class V>
  static auto left_adjoint(const G& g, const A&, const B& b, const V&) {
    return g / b;
  }
  template <class G, class A, class B, class V>
  static auto right_adjoint(const G& g, const A&, const B& b, const V& value) {
    return -g * value / b;
  }
};

struct NegateRule {
  static double value(double x) { return -x; }
  template <class X>
  static auto value(const Eigen::ArrayBase<X>& x) {
    return -x.derived();
  }
  template <class X, class V>
  static auto derivative(const X&, const V&) {
    return Lanes<V::RowsAtCompileTime>::Constant(-1.0);
  }
};

template <class Rule, class L, class R>
auto make_binary(const L& left, const R& right) {
  return BinaryExpression<Rule, expression_t<L>, expression_t<R>>(as_expression(left),
                                                                  as_expression(right));
}

}  // namespace detail

template <ScalarOperand L, ScalarOperand R>
requires AnyScalarExpression<L, R>
auto operator+(const L& left, const R& right) {
  return detail::make_binary<detail::AddRule>(left, right);
}

template <ScalarOperand L, ScalarOperand R>
requires AnyScalarExpression<L, R>
auto operator-(const L& left, const R& right) {
  return detail::make_binary<detail::SubtractRule>(left, right);
}

template <ScalarOperand L, ScalarOperand R>
requires AnyScalarExpression<L, R>
auto operator*(const L& left, const R& right) {
  return detail::make_binary<detail::MultiplyRule>(left, right);
}

template <ScalarOperand L, ScalarOperand R>
requires AnyScalarExpression<L, R>
auto operator/(const L& left, const R& right) {
  return detail::make_binary<detail::DivideRule>(left, right);
}

template <ScalarExpression E>
auto operator-(const E& operand) {
  return UnaryExpression<detail::NegateRule, std::remove_cvref_t<E>>(operand);
}

template <ScalarExpression E>
const E& operator+(const E& operand) {
  return operand;
}

template <int W>
template <class E>
Scalar<W>& Scalar<W>::operator+=(const E& other) {
  *this = Scalar(*this + other);
  return *this;
}

template <int W>
template <class E>
Scalar<W>& Scalar<W>::operator-=(const E& other) {
  *this = Scalar(*this - other);
  return *this;
}

template <int W>
template <class E>
Scalar<W>& Scalar<W>::operator*=(const E& other) {
  *this = Scalar(*this * other);
  return *this;
}

template <int W>
template <class E>
Scalar<W>& Scalar<W>::operator/=(const E& other) {
  *this = Scalar(*this / other);
  return *this;
}

/// Returns the lanes of a scalar expression's value, evaluating it (and recording it) if needed.
template <ScalarExpression E>
Lanes<std::remove_cvref_t<E>::lanes> value_of(const E& expression) {
  return Scalar<std::remove_cvref_t<E>::lanes>(expression).value();
}

inline double value_of(double x) {
  return x;
}

}  // namespace varia::ad
