// The shared machinery of the constraint transforms: one kernel per transform, written on blocks
// of n x W values (W Monte Carlo lanes), serves doubles, Eigen vectors and autodiff types.
#pragma once

#include <charconv>
#include <cmath>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

#include <Eigen/Core>

#include <varia/ad/expression.hpp>
#include <varia/ad/lanes.hpp>
#include <varia/ad/scalar.hpp>
#include <varia/ad/tape.hpp>
#include <varia/ad/vector.hpp>

namespace varia {

/// A constrained value and the log absolute Jacobian determinant of the map that produced it
/// from the unconstrained value.
template <class V, class S>
struct ConstrainedValue {
  V value;
  S log_jacobian;
};

namespace transform {
namespace detail {

template <int W>
using ConstBlockMap = Eigen::Map<const ad::LaneBlock<W>>;
template <int W>
using BlockMap = Eigen::Map<ad::LaneBlock<W>>;

/// Shortest decimal form of a double that reads back to the same value, for error messages.
inline std::string format_number(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

/// "name" for a scalar, "name[i]" (1-based) for element i of a vector.
inline std::string element_name(std::string_view name, Eigen::Index index, bool scalar) {
  std::string result(name);
  if (!scalar) {
    result += "[" + std::to_string(index + 1) + "]";
  }
  return result;
}

/// Throws std::domain_error: "function: what is value, but must be requirement".
[[noreturn]] inline void throw_outside_support(const char* function, const std::string& what,
                                               double value, const std::string& requirement) {
  throw std::domain_error(std::string(function) + ": " + what + " is " + format_number(value) +
                          ", but must be " + requirement);
}

/// Row k of an n x W block as W lanes.
template <class Block>
ad::Lanes<Block::ColsAtCompileTime> lanes_of_row(const Block& block, Eigen::Index k) {
  return block.row(k).transpose().array();
}

}  // namespace detail

/// The dispatch shared by all transforms. Derived provides
///  - `Eigen::Index constrained_size(Eigen::Index unconstrained_size) const`, which throws
///    std::invalid_argument for a size the transform does not accept,
///  - `forward<W>(x, y, log_jacobian)`: y = constrain(x) on an n x W block and the log absolute
///    Jacobian determinant per lane,
///  - `backward<W>(x, y, y_adjoint, log_jacobian_adjoint, x_adjoint)`, which adds the adjoint of
///    x to x_adjoint,
///  - `static constexpr bool elementwise`: true when the transform maps each element on its own,
///    so that it also accepts scalars.
/// Derived must be trivially copyable and destructible, because the tape stores copies.
template <class Derived>
class TransformBase {
 public:
  /// Returns the constrained value of x and the log absolute Jacobian determinant of the map.
  /// x is a double or an autodiff scalar expression (elementwise transforms only), an Eigen
  /// vector of doubles, or an autodiff vector; the value has the matching kind, and with
  /// autodiff types the whole map is one tape node.
  template <class T>
  auto constrain_with_log_jacobian(const T& x) const {
    using Plain = std::remove_cvref_t<T>;
    const Derived& self = static_cast<const Derived&>(*this);
    if constexpr (std::is_arithmetic_v<Plain>) {
      static_assert(Derived::elementwise,
                    "varia::transform: this transform maps vectors, so its argument must be an "
                    "Eigen vector or a varia::ad::Vector, not a scalar");
      const double input = static_cast<double>(x);
      double output = 0.0;
      ad::Lanes<1> log_jacobian;
      self.template forward<1>(detail::ConstBlockMap<1>(&input, 1, 1),
                               detail::BlockMap<1>(&output, 1, 1), log_jacobian);
      return ConstrainedValue<double, double>{output, log_jacobian(0)};
    } else if constexpr (ad::ScalarExpression<Plain>) {
      static_assert(Derived::elementwise,
                    "varia::transform: this transform maps vectors, so its argument must be an "
                    "Eigen vector or a varia::ad::Vector, not a scalar");
      constexpr int W = Plain::lanes;
      const ad::Scalar<W> scalar(x);
      // A vector view of the scalar's storage; the transform only reads the values.
      const ad::Vector<W> vector(const_cast<double*>(scalar.value().data()),
                                 scalar.adjoint().data(), 1);
      const auto result = record(self, vector);
      return ConstrainedValue<ad::Scalar<W>, ad::Scalar<W>>{result.value(0), result.log_jacobian};
    } else if constexpr (ad::VectorExpression<Plain>) {
      return record(self, x);
    } else {
      static_assert(ad::EigenDense<Plain>,
                    "varia::transform: the argument must be a double, an Eigen vector of doubles, "
                    "a varia::ad scalar expression or a varia::ad::Vector");
      const Eigen::Ref<const Eigen::VectorXd> input(x.matrix());
      Eigen::VectorXd output(self.constrained_size(input.size()));
      ad::Lanes<1> log_jacobian;
      self.template forward<1>(detail::ConstBlockMap<1>(input.data(), input.size(), 1),
                               detail::BlockMap<1>(output.data(), output.size(), 1), log_jacobian);
      return ConstrainedValue<Eigen::VectorXd, double>{std::move(output), log_jacobian(0)};
    }
  }

  /// Returns the constrained value of x (see constrain_with_log_jacobian for the kinds of x).
  template <class T>
  auto constrain(const T& x) const {
    return constrain_with_log_jacobian(x).value;
  }

  /// Returns the log absolute Jacobian determinant of constrain at x.
  template <class T>
  auto log_jacobian(const T& x) const {
    return constrain_with_log_jacobian(x).log_jacobian;
  }

 private:
  /// Records the map of an autodiff vector as one tape node with two outputs: the constrained
  /// vector and the log-Jacobian.
  template <int W>
  static ConstrainedValue<ad::Vector<W>, ad::Scalar<W>> record(const Derived& self,
                                                               const ad::Vector<W>& x) {
    ad::Tape& t = ad::tape();
    const ad::Vector<W> y = ad::Vector<W>::uninitialized(self.constrained_size(x.size()));
    double* log_jacobian_value = t.uninitialized(W);
    double* log_jacobian_adjoint = t.zeros(W);
    ad::Lanes<W> log_jacobian;
    self.template forward<W>(x.value(), y.value_storage(), log_jacobian);
    Eigen::Map<ad::Lanes<W>> log_jacobian_map(log_jacobian_value);
    log_jacobian_map = log_jacobian;
    const Derived transform = self;
    t.on_backward([transform, x, y, log_jacobian_adjoint] {
      const ad::Lanes<W> g = Eigen::Map<const ad::Lanes<W>>(log_jacobian_adjoint);
      transform.template backward<W>(x.value(), y.value(), y.adjoint(), g, x.adjoint());
    });
    return {y, ad::Scalar<W>(log_jacobian_value, log_jacobian_adjoint)};
  }
};

/// Base of the transforms that map each element on its own, y_i = f(x_i), so that
/// log|det J| = sum_i log|f'(x_i)|. Derived provides, on Eigen arrays, value(x),
/// derivative(x, y) = f'(x), log_derivative(x) = log|f'(x)| and log_derivative_slope(x), the
/// derivative of log|f'(x)|.
template <class Derived>
class ElementwiseTransform : public TransformBase<Derived> {
 public:
  static constexpr bool elementwise = true;

  Eigen::Index constrained_size(Eigen::Index unconstrained_size) const {
    return unconstrained_size;
  }

  template <int W>
  void forward(const detail::ConstBlockMap<W>& x, detail::BlockMap<W> y,
               ad::Lanes<W>& log_jacobian) const {
    const Derived& self = static_cast<const Derived&>(*this);
    y.array() = self.value(x.array());
    log_jacobian = self.log_derivative(x.array()).colwise().sum().transpose();
  }

  template <int W>
  void backward(const detail::ConstBlockMap<W>& x, const detail::ConstBlockMap<W>& y,
                const detail::BlockMap<W>& y_adjoint, const ad::Lanes<W>& log_jacobian_adjoint,
                detail::BlockMap<W> x_adjoint) const {
    const Derived& self = static_cast<const Derived&>(*this);
    const Eigen::Array<double, 1, W> g = log_jacobian_adjoint.transpose();
    x_adjoint.array() += y_adjoint.array() * self.derivative(x.array(), y.array()) +
                         self.log_derivative_slope(x.array()).rowwise() * g;
  }

  /// Returns the unconstrained vector whose constrained value is y. Throws std::domain_error
  /// naming `name` and the element when y is outside the support.
  Eigen::VectorXd unconstrain(const Eigen::VectorXd& y, std::string_view name = "y") const {
    const Derived& self = static_cast<const Derived&>(*this);
    Eigen::VectorXd x(y.size());
    for (Eigen::Index i = 0; i < y.size(); ++i) {
      x(i) = self.unconstrain_element(y(i), detail::element_name(name, i, false));
    }
    return x;
  }

  /// Returns the unconstrained value whose constrained value is y. Throws std::domain_error
  /// naming `name` when y is outside the support.
  double unconstrain(double y, std::string_view name = "y") const {
    return static_cast<const Derived&>(*this).unconstrain_element(y, std::string(name));
  }
};

}  // namespace transform
}  // namespace varia
