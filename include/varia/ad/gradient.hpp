// Gradient drivers: value and gradient of a model at one point, or at S points in lanes.
#pragma once

#include <algorithm>
#include <cmath>
#include <concepts>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include <Eigen/Core>

#include <varia/ad/lanes.hpp>
#include <varia/ad/scalar.hpp>
#include <varia/ad/tape.hpp>
#include <varia/ad/vector.hpp>

namespace varia {

/// A function that varia can differentiate with W lanes: called with an autodiff vector, it
/// returns an autodiff scalar expression (or a double, for a constant function).
template <class F, int W>
concept DifferentiableWithLanes = requires(const F& f, const ad::Vector<W>& x) {
  { f(x) } -> ad::ScalarOperand;
};

/// A function that brings its own gradient: `f.value_and_gradient(x, gradient)` returns f(x) and
/// writes the gradient (resized by the caller to x.size()). Use it for log densities with
/// gradients from another autodiff system or a C API.
template <class F>
concept HasValueAndGradient = requires(const F& f, const Eigen::VectorXd& x,
                                       Eigen::VectorXd& gradient) {
  { f.value_and_gradient(x, gradient) } -> std::convertible_to<double>;
};

namespace detail {

template <class F>
constexpr void check_differentiable() {
  static_assert(DifferentiableWithLanes<F, 1> || HasValueAndGradient<F>,
                "varia: the function cannot be differentiated. Write it as a template over its "
                "argument type (for example `template <class T> auto operator()(const T& x) "
                "const`) using varia's math functions, so that it accepts varia::ad::Vector, or "
                "give it a member `double value_and_gradient(const Eigen::VectorXd& x, "
                "Eigen::VectorXd& gradient) const`");
}

/// Records f at the W points in columns [first, first + W) of `points` (d x S) and writes their
/// values and gradients. Columns past the end of `points` repeat its last column.
template <int W, class F>
void differentiate_lanes(const F& f, const Eigen::MatrixXd& points, Eigen::Index first,
                         Eigen::VectorXd& values, Eigen::MatrixXd& gradients) {
  const Eigen::Index dimension = points.rows();
  const Eigen::Index available = std::min<Eigen::Index>(W, points.cols() - first);

  ad::Recording recording("varia::value_and_gradient_lanes");
  ad::Tape& t = recording.tape();
  ad::Vector<W> x = ad::Vector<W>::uninitialized(dimension);
  auto x_values = x.value_storage();
  if (available == W) {
    // One block copy; Eigen transposes it into the row-major lanes in cache-sized tiles.
    x_values = points.middleCols(first, W);
  } else {
    for (Eigen::Index lane = 0; lane < W; ++lane) {
      x_values.col(lane) = points.col(first + std::min<Eigen::Index>(lane, available - 1));
    }
  }

  const ad::Scalar<W> result(f(x));
  result.adjoint().setOnes();
  t.backward();

  values.segment(first, available) = result.value().head(available).matrix();
  gradients.middleCols(first, available) = x.adjoint().leftCols(available);
}

}  // namespace detail

/// Returns f(x) and writes its gradient to `gradient` (resized to x.size()). After the first call
/// with a given model and size, it allocates no memory.
template <class F>
double value_and_gradient(const F& f, const Eigen::VectorXd& x, Eigen::VectorXd& gradient) {
  detail::check_differentiable<F>();
  gradient.resize(x.size());
  if constexpr (HasValueAndGradient<F>) {
    return f.value_and_gradient(x, gradient);
  } else {
    ad::Recording recording("varia::value_and_gradient");
    ad::Vector<1> input = ad::Vector<1>::from_values(x);
    const ad::Scalar<1> result(f(input));
    result.adjoint().setOnes();
    recording.tape().backward();
    gradient = input.adjoint();
    return result.value()(0);
  }
}

/// Returns f(x) and its gradient.
template <class F>
std::pair<double, Eigen::VectorXd> value_and_gradient(const F& f, const Eigen::VectorXd& x) {
  Eigen::VectorXd gradient;
  const double value = value_and_gradient(f, x, gradient);
  return {value, std::move(gradient)};
}

/// Evaluates f and its gradient at the S columns of `points` (d x S): values(s) = f(points.col(s))
/// and gradients.col(s) its gradient. Columns are processed in lanes of 16, so scalar code in f
/// runs as SIMD across samples and data-matrix products run as matrix-matrix products; results
/// equal S separate evaluations up to rounding. `values` and `gradients` are resized.
template <class F>
void value_and_gradient_lanes(const F& f, const Eigen::MatrixXd& points, Eigen::VectorXd& values,
                              Eigen::MatrixXd& gradients) {
  detail::check_differentiable<F>();
  const Eigen::Index count = points.cols();
  values.resize(count);
  gradients.resize(points.rows(), count);
  if constexpr (!DifferentiableWithLanes<F, ad::default_lane_width>) {
    // A function with its own gradient is evaluated one point at a time.
    Eigen::VectorXd gradient(points.rows());
    for (Eigen::Index s = 0; s < count; ++s) {
      values(s) = value_and_gradient(f, Eigen::VectorXd(points.col(s)), gradient);
      gradients.col(s) = gradient;
    }
  } else {
    constexpr int width = ad::default_lane_width;
    // A last group of more than pad_threshold points is padded to a full group, because a full
    // group costs less than that many single points (see benchmarks/ad for the per-lane cost).
    constexpr Eigen::Index pad_threshold = 10;
    Eigen::Index first = 0;
    for (; first + width <= count; first += width) {
      detail::differentiate_lanes<width>(f, points, first, values, gradients);
    }
    const Eigen::Index remaining = count - first;
    if (remaining > pad_threshold) {
      detail::differentiate_lanes<width>(f, points, first, values, gradients);
    } else {
      for (; first < count; ++first) {
        detail::differentiate_lanes<1>(f, points, first, values, gradients);
      }
    }
  }
}

}  // namespace varia
