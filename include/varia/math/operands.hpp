// Operands of the fused log densities: each argument may be a double, an Eigen vector of data,
// an autodiff scalar or an autodiff vector. An operand presents its values as a flat array of
// n x W entries (element i, lane l at i * W + l) and routes partial derivatives back.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <type_traits>

#include <Eigen/Core>

#include <varia/ad/scalar.hpp>
#include <varia/ad/tape.hpp>
#include <varia/ad/vector.hpp>

namespace varia {

/// An argument of a fused log density: double, Eigen vector of doubles, autodiff scalar
/// expression or autodiff vector.
template <class T>
concept DensityArgument = std::is_arithmetic_v<std::remove_cvref_t<T>> || ad::ScalarExpression<T> ||
    ad::VectorExpression<T> || ad::EigenDense<T>;

namespace detail {

template <class T>
constexpr int argument_lanes() {
  using Plain = std::remove_cvref_t<T>;
  if constexpr (ad::ScalarExpression<Plain> || ad::VectorExpression<Plain>) {
    return Plain::lanes;
  } else {
    return 1;
  }
}

template <class T>
constexpr bool is_autodiff() {
  using Plain = std::remove_cvref_t<T>;
  return ad::ScalarExpression<Plain> || ad::VectorExpression<Plain>;
}

template <class T>
constexpr bool is_vector_argument() {
  using Plain = std::remove_cvref_t<T>;
  return ad::VectorExpression<Plain> || ad::EigenDense<Plain>;
}

/// The number of lanes of a fused call: the largest among its autodiff arguments.
template <class... T>
constexpr int lanes_of_all() {
  int lanes = 1;
  ((lanes = argument_lanes<T>() > lanes ? argument_lanes<T>() : lanes), ...);
  return lanes;
}

template <class... T>
constexpr bool any_autodiff() {
  return (is_autodiff<T>() || ...);
}

/// Evaluates a flat array expression into arena memory, so that hot paths make no heap
/// allocation.
template <class E>
Eigen::Map<const Eigen::ArrayXd> evaluate_in_arena(const Eigen::ArrayBase<E>& expression) {
  double* data = ad::tape().uninitialized(static_cast<std::size_t>(expression.size()));
  Eigen::Map<Eigen::ArrayXd> result(data, expression.size());
  result = expression;
  return Eigen::Map<const Eigen::ArrayXd>(data, expression.size());
}

/// Returns the common size of the vector arguments (1 when all are scalars) and throws
/// std::invalid_argument when two vector arguments differ in size.
template <class... T>
Eigen::Index common_size(const char* function, const T&... arguments) {
  Eigen::Index size = -1;
  auto check = [&](const auto& argument) {
    if constexpr (is_vector_argument<decltype(argument)>()) {
      const Eigen::Index n = argument.size();
      if (size >= 0 && n != size) {
        throw std::invalid_argument(std::string(function) + ": vector arguments have sizes " +
                                    std::to_string(size) + " and " + std::to_string(n) +
                                    ", but must have the same size");
      }
      size = n;
    }
  };
  (check(arguments), ...);
  return size < 0 ? 1 : size;
}

/// The values of one argument, broadcast to n elements and W lanes, as a flat array; and the
/// route of its partial derivatives back to the tape. Doubles stay a constant expression,
/// everything else that is not already n x W is copied into the arena once.
template <int W, class T>
class Operand {
  using Plain = std::remove_cvref_t<T>;

 public:
  static constexpr bool is_autodiff = detail::is_autodiff<Plain>();
  static constexpr bool is_constant_scalar = std::is_arithmetic_v<Plain>;

  Operand(const T& argument, Eigen::Index size) : size_(size) {
    if constexpr (is_constant_scalar) {
      constant_ = static_cast<double>(argument);
    } else if constexpr (ad::VectorExpression<Plain>) {
      static_assert(Plain::lanes == W, "varia: autodiff vectors in one call must have equal lanes");
      values_ = argument.value_data();
      adjoint_ = argument.adjoint_data();
    } else if constexpr (ad::ScalarExpression<Plain>) {
      const ad::Scalar<Plain::lanes> scalar(argument);
      lanes_ = Plain::lanes;
      scalar_values_ = scalar.value().data();
      adjoint_ = scalar.adjoint().data();
      values_ = broadcast_lanes(scalar_values_, Plain::lanes);
    } else {
      double* copy = ad::tape().uninitialized(flat_size());
      for (Eigen::Index i = 0; i < size_; ++i) {
        Eigen::Map<Eigen::Array<double, W, 1>>(copy + i * W).setConstant(argument(i));
      }
      values_ = copy;
    }
  }

  std::size_t flat_size() const { return static_cast<std::size_t>(size_ * W); }

  /// The n x W values, flat.
  auto flat() const {
    if constexpr (is_constant_scalar) {
      return Eigen::ArrayXd::Constant(static_cast<Eigen::Index>(flat_size()), constant_);
    } else {
      return Eigen::Map<const Eigen::ArrayXd>(values_, static_cast<Eigen::Index>(flat_size()));
    }
  }

  /// The argument's value when it is a double.
  double constant() const { return constant_; }

  /// Adds the flat n x W partial derivatives (already multiplied by the output's adjoint) to
  /// the argument's adjoints: summed over elements for a scalar, and over lanes too for a
  /// scalar with one lane.
  template <class P>
  void add_adjoint(const Eigen::ArrayBase<P>& partials) const {
    if constexpr (ad::VectorExpression<Plain>) {
      Eigen::Map<Eigen::ArrayXd>(adjoint_, static_cast<Eigen::Index>(flat_size())) += partials;
    } else if constexpr (ad::ScalarExpression<Plain>) {
      const auto evaluated = evaluate_in_arena(partials);
      const Eigen::Map<const ad::LaneBlock<W>> block(evaluated.data(), size_, W);
      const Eigen::Array<double, 1, W> per_lane = block.colwise().sum().array();
      if (lanes_ == W) {
        Eigen::Map<Eigen::Array<double, 1, W>>(adjoint_) += per_lane;
      } else {
        adjoint_[0] += per_lane.sum();
      }
    }
  }

 private:
  const double* broadcast_lanes(const double* lanes, int count) {
    double* copy = ad::tape().uninitialized(flat_size());
    for (Eigen::Index i = 0; i < size_; ++i) {
      for (Eigen::Index l = 0; l < W; ++l) {
        copy[i * W + l] = lanes[count == W ? l : 0];
      }
    }
    return copy;
  }

  Eigen::Index size_;
  double constant_ = 0.0;
  const double* values_ = nullptr;
  const double* scalar_values_ = nullptr;
  double* adjoint_ = nullptr;
  int lanes_ = W;
};

/// Sums flat n x W terms over the n elements, giving one value per lane.
template <int W, class T>
Eigen::Array<double, W, 1> sum_per_lane(const Eigen::ArrayBase<T>& terms, Eigen::Index size) {
  if constexpr (W == 1) {
    return Eigen::Array<double, 1, 1>::Constant(terms.sum());
  } else {
    const auto evaluated = evaluate_in_arena(terms);
    const Eigen::Map<const ad::LaneBlock<W>> block(evaluated.data(), size, W);
    return block.colwise().sum().transpose().array();
  }
}

/// The adjoint lanes g repeated for each of n elements, as a flat n x W array in the arena.
template <int W>
Eigen::Map<const Eigen::ArrayXd> repeat_per_element(const double* g, Eigen::Index size) {
  double* data = ad::tape().uninitialized(static_cast<std::size_t>(size * W));
  const Eigen::Map<const Eigen::Array<double, W, 1>> lanes(g);
  for (Eigen::Index i = 0; i < size; ++i) {
    Eigen::Map<Eigen::Array<double, W, 1>>(data + i * W) = lanes;
  }
  return Eigen::Map<const Eigen::ArrayXd>(data, size * W);
}

/// Broadcasts a double or a data vector to an Eigen array of n entries, for the double-only
/// evaluation of a density.
template <class T>
auto data_array(const T& argument, Eigen::Index size) {
  if constexpr (std::is_arithmetic_v<std::remove_cvref_t<T>>) {
    return Eigen::ArrayXd::Constant(size, static_cast<double>(argument));
  } else {
    return argument.derived().template cast<double>().array();
  }
}

/// Throws std::domain_error unless every value of a data argument satisfies `valid`. Autodiff
/// arguments are not checked here: an invalid value in a lane gives NaN in that lane.
template <class T, class Predicate>
void check_data(const char* function, const char* name, const T& argument, const char* requirement,
                Predicate valid) {
  if constexpr (!is_autodiff<T>()) {
    auto fail = [&](double value, Eigen::Index index) {
      std::string where =
          index < 0 ? std::string(name) : std::string(name) + "[" + std::to_string(index) + "]";
      throw std::domain_error(std::string(function) + ": " + where + " is " +
                              std::to_string(value) + ", but must be " + requirement);
    };
    if constexpr (std::is_arithmetic_v<std::remove_cvref_t<T>>) {
      if (!valid(static_cast<double>(argument))) {
        fail(static_cast<double>(argument), -1);
      }
    } else {
      for (Eigen::Index i = 0; i < argument.size(); ++i) {
        if (!valid(static_cast<double>(argument(i)))) {
          fail(static_cast<double>(argument(i)), i);
        }
      }
    }
  }
}

}  // namespace detail
}  // namespace varia
