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

/// A data argument's values with direct access, or the argument evaluated: Eigen product and
/// other expressions are evaluated once here instead of once per element read.
template <class T>
decltype(auto) evaluate_data(const T& argument) {
  using Plain = std::remove_cvref_t<T>;
  if constexpr (ad::EigenDense<Plain>) {
    if constexpr ((Plain::Flags & Eigen::DirectAccessBit) &&
                  std::is_same_v<typename Plain::Scalar, double>) {
      return (argument);
    } else {
      return argument.template cast<double>().eval();
    }
  } else {
    return (argument);
  }
}

/// An argument of a fused density that records its partial derivatives in the forward pass, so
/// that the backward pass reads neither the argument's values nor the caller's data.
///  - flat() returns the n x W values as a flat array expression (element i, lane l at
///    i * W + l), valid during the forward pass only. Contiguous data is read in place when
///    W == 1, and a scalar is never copied per element.
///  - set_partials(first, rows, p) records d term / d argument for the rows x W flat entries of
///    elements [first, first + rows). A vector stores them, and a scalar stores their sum per lane.
///  - backward(g) adds g times the recorded partials to the argument's adjoints.
template <int W, class T>
class LaneOperand {
  using Plain = std::remove_cvref_t<T>;

 public:
  static constexpr bool is_autodiff = detail::is_autodiff<Plain>();
  static constexpr bool is_constant_scalar = std::is_arithmetic_v<Plain>;
  static constexpr bool is_autodiff_vector = ad::VectorExpression<Plain>;
  static constexpr bool is_autodiff_scalar = ad::ScalarExpression<Plain>;
  static constexpr bool is_data_vector = ad::EigenDense<Plain>;
  static constexpr int argument_lanes = detail::argument_lanes<Plain>();

  LaneOperand(const T& argument, Eigen::Index size) : size_(size) {
    if constexpr (is_constant_scalar) {
      constant_ = static_cast<double>(argument);
    } else if constexpr (is_autodiff_vector) {
      static_assert(Plain::lanes == W, "varia: autodiff vectors in one call must have equal lanes");
      values_ = argument.value_data();
      adjoint_ = argument.adjoint_data();
      partials_ = ad::tape().uninitialized(flat_size());
    } else if constexpr (is_autodiff_scalar) {
      const ad::Scalar<Plain::lanes> scalar(argument);
      values_ = scalar.value().data();
      adjoint_ = scalar.adjoint().data();
      partials_ = ad::tape().zeros(W);
    } else {
      constexpr bool direct =
          (Plain::Flags & Eigen::DirectAccessBit) && std::is_same_v<typename Plain::Scalar, double>;
      if constexpr (direct && W == 1) {
        if (argument.innerStride() == 1) {
          values_ = argument.data();
          return;
        }
      }
      const auto& data = evaluate_data(argument);
      double* copy = ad::tape().uninitialized(flat_size());
      for (Eigen::Index i = 0; i < size_; ++i) {
        Eigen::Map<Eigen::Array<double, W, 1>>(copy + i * W).setConstant(data(i));
      }
      values_ = copy;
    }
  }

  std::size_t flat_size() const { return static_cast<std::size_t>(size_ * W); }
  Eigen::Index size() const { return size_; }

  /// Returns the n x W values as a flat array expression, valid during the forward pass only.
  auto flat() const {
    const auto count = static_cast<Eigen::Index>(flat_size());
    if constexpr (is_constant_scalar) {
      return Eigen::ArrayXd::Constant(count, constant_);
    } else if constexpr (is_autodiff_scalar && argument_lanes == 1) {
      return Eigen::ArrayXd::Constant(count, values_[0]);
    } else if constexpr (is_autodiff_scalar) {
      using LaneMap = Eigen::Map<const Eigen::Array<double, W, 1>>;
      return Eigen::Replicate<const LaneMap, Eigen::Dynamic, 1>(LaneMap(values_), size_, 1);
    } else {
      return Eigen::Map<const Eigen::ArrayXd>(values_, count);
    }
  }

  /// The argument's value when it is a double.
  double constant() const { return constant_; }

  /// Records the partials of the terms of elements [first, first + rows) with respect to this
  /// argument, as rows x W flat entries. Does nothing for data.
  template <class P>
  void set_partials(Eigen::Index first, Eigen::Index rows, const Eigen::ArrayBase<P>& partials) {
    if constexpr (is_autodiff_vector) {
      Eigen::Map<Eigen::ArrayXd>(partials_ + first * W, rows * W) = partials.derived();
    } else if constexpr (is_autodiff_scalar) {
      Eigen::Map<Eigen::Array<double, W, 1>> sums(partials_);
      if constexpr (W == 1) {
        sums(0) += partials.derived().sum();
      } else {
        for (Eigen::Index r = 0; r < rows; ++r) {
          sums += partials.derived().template segment<W>(r * W);
        }
      }
    }
  }

  /// Adds the lanes of g times the recorded partials to the argument's adjoints.
  void backward(const double* g) const {
    if constexpr (is_autodiff_vector) {
      Eigen::Map<ad::LaneBlock<W>> adjoint(adjoint_, size_, W);
      const Eigen::Map<const ad::LaneBlock<W>> partials(partials_, size_, W);
      if constexpr (W == 1) {
        adjoint.noalias() += g[0] * partials;
      } else {
        const Eigen::Map<const Eigen::Array<double, 1, W>> lanes(g);
        adjoint.array() += partials.array().rowwise() * lanes;
      }
    } else if constexpr (is_autodiff_scalar) {
      const Eigen::Map<const Eigen::Array<double, W, 1>> lanes(g);
      const Eigen::Map<const Eigen::Array<double, W, 1>> sums(partials_);
      if constexpr (argument_lanes == W) {
        Eigen::Map<Eigen::Array<double, W, 1>>(adjoint_) += lanes * sums;
      } else {
        adjoint_[0] += (lanes * sums).sum();
      }
    }
  }

 private:
  Eigen::Index size_;
  double constant_ = 0.0;
  const double* values_ = nullptr;
  double* adjoint_ = nullptr;
  double* partials_ = nullptr;
};

/// Sums flat rows x W terms over the rows, giving one value per lane, without storing them.
template <int W, class T>
Eigen::Array<double, W, 1> sum_rows_per_lane(const Eigen::ArrayBase<T>& terms, Eigen::Index rows) {
  if constexpr (W == 1) {
    return Eigen::Array<double, 1, 1>::Constant(terms.derived().sum());
  } else {
    Eigen::Array<double, W, 1> sums = Eigen::Array<double, W, 1>::Zero();
    for (Eigen::Index r = 0; r < rows; ++r) {
      sums += terms.derived().template segment<W>(r * W);
    }
    return sums;
  }
}

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
      const auto& values = evaluate_data(argument);
      for (Eigen::Index i = 0; i < values.size(); ++i) {
        if (!valid(static_cast<double>(values(i)))) {
          fail(static_cast<double>(values(i)), i);
        }
      }
    }
  }
}

}  // namespace detail
}  // namespace varia
