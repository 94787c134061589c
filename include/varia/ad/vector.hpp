// Autodiff vectors with Monte Carlo lanes: an n-vector is an n x W block of values and adjoints.
#pragma once

#include <stdexcept>
#include <string>
#include <type_traits>

#include <Eigen/Core>

#include <varia/ad/lanes.hpp>
#include <varia/ad/scalar.hpp>
#include <varia/ad/tape.hpp>

namespace varia::ad {

/// An autodiff vector of n elements with W lanes: a handle to n x W values and adjoints in the
/// thread's tape, row-major so that element i's lanes are contiguous. Element access and
/// segments are views, not new nodes. Like Scalar, it exists only while a gradient is recorded.
template <int W>
class Vector {
 public:
  static constexpr int lanes = W;
  using Index = Eigen::Index;
  using Block = LaneBlock<W>;

  /// A view of existing storage.
  Vector(double* value, double* adjoint, Index size)
      : value_(value), adjoint_(adjoint), size_(size) {}

  /// A new vector of `size` elements with zero adjoints and the values of `values` (size x W).
  template <class Derived>
  static Vector from_values(const Eigen::MatrixBase<Derived>& values) {
    Tape& t = tape();
    const Index size = values.rows();
    double* value = t.uninitialized(static_cast<std::size_t>(size * W));
    Eigen::Map<Block>(value, size, W) = values;
    return Vector(value, t.zeros(static_cast<std::size_t>(size * W)), size);
  }

  /// A new vector of `size` elements whose values the caller writes through value_storage().
  static Vector uninitialized(Index size) {
    Tape& t = tape();
    const auto count = static_cast<std::size_t>(size * W);
    return Vector(t.uninitialized(count), t.zeros(count), size);
  }

  Index size() const { return size_; }

  /// Element i, a view. Throws std::out_of_range for i outside [0, size).
  Scalar<W> operator()(Index i) const {
    check_index("varia::ad::Vector::operator()", i);
    return Scalar<W>(value_ + i * W, adjoint_ + i * W);
  }

  Scalar<W> operator[](Index i) const { return (*this)(i); }

  /// Elements start, ..., start + count - 1, a view.
  Vector segment(Index start, Index count) const {
    if (start < 0 || count < 0 || start + count > size_) {
      throw std::out_of_range("varia::ad::Vector::segment: elements " + std::to_string(start) +
                              " to " + std::to_string(start + count - 1) +
                              " requested, but the vector has " + std::to_string(size_));
    }
    return Vector(value_ + start * W, adjoint_ + start * W, count);
  }
  Vector head(Index count) const { return segment(0, count); }
  Vector tail(Index count) const { return segment(size_ - count, count); }

  /// The values, one row per element and one column per lane.
  Eigen::Map<const Block> value() const { return Eigen::Map<const Block>(value_, size_, W); }

  /// The adjoints, laid out like value().
  Eigen::Map<Block> adjoint() const { return Eigen::Map<Block>(adjoint_, size_, W); }

  /// Writable values, for functions that create a vector and fill it in.
  Eigen::Map<Block> value_storage() const { return Eigen::Map<Block>(value_, size_, W); }

  double* value_data() const { return value_; }
  double* adjoint_data() const { return adjoint_; }

 private:
  void check_index(const char* function, Index i) const {
    if (i < 0 || i >= size_) {
      throw std::out_of_range(std::string(function) + ": index " + std::to_string(i) +
                              " is out of range for a vector of size " + std::to_string(size_));
    }
  }

  double* value_;
  double* adjoint_;
  Index size_;
};

template <class T>
struct is_vector : std::false_type {};
template <int W>
struct is_vector<Vector<W>> : std::true_type {};

/// An autodiff vector with any number of lanes.
template <class T>
concept VectorExpression = is_vector<std::remove_cvref_t<T>>::value;

}  // namespace varia::ad

namespace varia {

namespace detail {
template <class T>
struct scalar_type {
  using type = typename std::remove_cvref_t<T>::Scalar;  // an Eigen vector's element type
};
template <int W>
struct scalar_type<ad::Vector<W>> {
  using type = ad::Scalar<W>;
};
}  // namespace detail

/// The scalar type of a model's argument: double for an Eigen vector, ad::Scalar<W> for an
/// autodiff vector. Declare accumulators in generic model code with it.
template <class T>
using scalar_t = typename detail::scalar_type<std::remove_cvref_t<T>>::type;

}  // namespace varia
