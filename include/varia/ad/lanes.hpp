// Monte Carlo lanes: a value of the autodiff types holds one double per lane (per sample).
#pragma once

#include <Eigen/Core>

namespace varia::ad {

/// One value per lane. W = 1 is a single evaluation; W = 16 evaluates 16 Monte Carlo samples
/// in lockstep, so that elementwise code runs as SIMD across them.
template <int W>
using Lanes = Eigen::Array<double, W, 1>;

/// Storage of an n-vector with W lanes: n rows, one column per lane, row-major so that the
/// lanes of one element are contiguous. With W = 1 it is a plain column vector.
template <int W>
using LaneBlock =
    Eigen::Matrix<double, Eigen::Dynamic, W, (W == 1 ? Eigen::ColMajor : Eigen::RowMajor)>;

/// Lane width used by the batched gradient drivers.
inline constexpr int default_lane_width = 16;

namespace detail {
template <class Derived>
void accept_dense_base(const Eigen::DenseBase<Derived>&);
template <class Derived>
void accept_array_base(const Eigen::ArrayBase<Derived>&);
}  // namespace detail

/// An Eigen array object (array, block or map of one, or array expression).
template <class T>
concept EigenArray = requires(const T& x) {
  detail::accept_array_base(x);
};

/// An Eigen dense object (matrix, array, block, map or expression).
template <class T>
concept EigenDense = requires(const T& x) {
  detail::accept_dense_base(x);
};

namespace detail {

/// Returns x as W lanes: unchanged when it already has W lanes, else its single lane repeated.
template <int W, class X>
decltype(auto) widen(const X& x) {
  if constexpr (X::RowsAtCompileTime == W) {
    return (x);
  } else {
    static_assert(X::RowsAtCompileTime == 1, "varia::ad: lanes can only widen from one lane");
    return Lanes<W>::Constant(x(0));
  }
}

/// Returns the adjoint g of W lanes as seen by an operand of V lanes: unchanged when V == W,
/// else summed over the lanes, because a one-lane operand is shared by all of them.
template <int V, class G>
decltype(auto) narrow(const G& g) {
  if constexpr (G::RowsAtCompileTime == V) {
    return (g);
  } else {
    static_assert(V == 1, "varia::ad: lanes can only narrow to one lane");
    return Lanes<1>::Constant(g.sum());
  }
}

}  // namespace detail
}  // namespace varia::ad
