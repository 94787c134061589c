// The LogDensity concept: what varia::fit accepts as a target, and adapters that make one.
#pragma once

#include <concepts>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include <varia/ad/gradient.hpp>

namespace varia {

/// An unnormalized log density over R^d, the unconstrained space a fit works in. It states its
/// dimension d through `dimension()` and is either generic (a templated call operator that
/// varia differentiates, also in Monte Carlo lanes) or brings its own gradient through
/// `double value_and_gradient(const Eigen::VectorXd& x, Eigen::VectorXd& gradient) const`.
template <class M>
concept LogDensity = requires(const M& model) {
  { model.dimension() } -> std::convertible_to<Eigen::Index>;
}
&&(DifferentiableWithLanes<M, 1> || HasValueAndGradient<M>);

/// A log density whose unconstrained point maps to named parameters in the constrained space
/// (for example a scale tau = exp(x_0)). `constrain(x)` returns one value per name, in the
/// order of `parameter_names()`; a fit reports draws and summaries through it.
template <class M>
concept ConstrainedLogDensity = LogDensity<M> &&
    requires(const M& model, const Eigen::VectorXd& x) {
  { model.parameter_names() } -> std::convertible_to<std::vector<std::string>>;
  { model.constrain(x) } -> std::convertible_to<Eigen::VectorXd>;
};

/// Returns the names of a model's parameters in the constrained space: the model's own names
/// when it has them, otherwise "x[1]", ..., "x[d]".
template <LogDensity M>
std::vector<std::string> parameter_names(const M& model) {
  if constexpr (ConstrainedLogDensity<M>) {
    return model.parameter_names();
  } else {
    std::vector<std::string> names;
    const auto dimension = static_cast<Eigen::Index>(model.dimension());
    names.reserve(static_cast<std::size_t>(dimension));
    for (Eigen::Index i = 0; i < dimension; ++i) {
      names.push_back("x[" + std::to_string(i + 1) + "]");
    }
    return names;
  }
}

/// Maps an unconstrained point to the constrained parameters (the identity for a model without
/// constraints).
template <LogDensity M>
Eigen::VectorXd constrain(const M& model, const Eigen::VectorXd& x) {
  if constexpr (ConstrainedLogDensity<M>) {
    return model.constrain(x);
  } else {
    return x;
  }
}

/// A generic function with a dimension attached, so that a lambda can serve as a LogDensity.
template <class F>
class LogDensityFunction {
 public:
  LogDensityFunction(Eigen::Index dimension, F function)
      : dimension_(dimension), function_(std::move(function)) {
    if (dimension < 1) {
      throw std::invalid_argument("varia::make_log_density: dimension is " +
                                  std::to_string(dimension) + ", expected at least 1");
    }
  }

  Eigen::Index dimension() const { return dimension_; }

  template <class T>
  auto operator()(const T& x) const {
    return function_(x);
  }

 private:
  Eigen::Index dimension_;
  F function_;
};

/// Wraps a generic callable (for example `[](const auto& x) { return -0.5 * varia::dot(x, x); }`)
/// as a LogDensity of the given dimension. Throws std::invalid_argument if dimension < 1.
template <class F>
LogDensityFunction<F> make_log_density(Eigen::Index dimension, F function) {
  return LogDensityFunction<F>(dimension, std::move(function));
}

}  // namespace varia
