// The interface that a stochastic optimizer offers to a fitting loop.
#pragma once

#include <concepts>

#include <Eigen/Core>

namespace varia {

/// A stochastic first-order optimizer over a flat parameter vector. Optimizers minimize: the
/// gradient passed to step is a (noisy) gradient of the loss, for variational inference the
/// negative objective. An optimizer uses no random numbers, so its state, and with it
/// every iterate, is a deterministic function of the initial point and the gradient sequence.
///
/// - `initialize(x0)` sets the state for the dimension of x0 and the starting point x0.
///   Calling it again discards all earlier state, including reductions by reduce_step_size.
/// - `step(x, gradient)` updates x in place from the gradient evaluated at x.
/// - `step_size()` returns a scalar summary of the current step size, for progress reports. Each
///   optimizer documents what it returns.
/// - `reduce_step_size(factor)`, with factor in (0, 1), is what a caller calls after it rejected
///   the most recent step (for example because the objective at the new point was not finite)
///   and restored x to its value before that step. It multiplies all later steps by factor and,
///   for optimizers that average iterates, removes the rejected iterate from the average.
///   Gradient statistics that the rejected step accumulated are kept, because that gradient was
///   evaluated at the restored point.
/// - `averaged(x)` returns the point a fit should report when the current iterate is x: the
///   iterate average for optimizers that average, otherwise x itself.
///
/// Every member except initialize throws std::invalid_argument when called before initialize or
/// with a vector whose size differs from the initialized dimension.
template <class O>
concept Optimizer = std::move_constructible<O> &&
    requires(O& optimizer, const O& const_optimizer, Eigen::VectorXd& x,
             const Eigen::VectorXd& vector, double factor) {
  optimizer.initialize(vector);
  optimizer.step(x, vector);
  { const_optimizer.step_size() } -> std::convertible_to<double>;
  optimizer.reduce_step_size(factor);
  { const_optimizer.averaged(vector) } -> std::convertible_to<Eigen::VectorXd>;
};

}  // namespace varia
