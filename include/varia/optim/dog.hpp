// The DoG (distance over gradients) optimizer.
#pragma once

#include <cmath>

#include <varia/optim/distance_over_gradients.hpp>

namespace varia {

/// Options of Dog. The defaults are those of Ivgi, Hinder and Carmon (2023).
struct DogOptions {
  /// Factor of the first step's length r_eps = relative_initial_movement (1 + ||x0||), > 0.
  /// r_eps should be small next to the distance from x0 to a minimizer: decrease it if the first
  /// steps diverge, increase it if the step size stays near its initial value for long.
  double relative_initial_movement = 1e-6;
  /// gamma of the polynomial-decay average (see PolynomialDecayAverage), >= 0.
  double averaging_gamma = 8.0;
};

namespace detail {

struct DogRule {
  static constexpr DistanceOverGradientsNames names{
      "varia::Dog", "varia::Dog::initialize", "varia::Dog::step", "varia::Dog::reduce_step_size",
      "varia::Dog::averaged"};

  static double accumulate(double sum, double /*max_distance*/, double gradient_norm_squared) {
    return sum + gradient_norm_squared;
  }

  static double step_size(double sum, double max_distance) { return max_distance / std::sqrt(sum); }
};

}  // namespace detail

/// DoG, a parameter-free step-size schedule for SGD (Ivgi, Hinder and Carmon 2023, "DoG is SGD's
/// best friend: a parameter-free dynamic step size schedule"). Step t = 0, 1, ... computes
///   rbar_t = max(r_eps, max over i <= t of ||x_i - x_0||),
///   eta_t = rbar_t / sqrt(sum over i <= t of ||g_i||^2),   x_{t+1} = x_t - eta_t g_t,
/// so the first step has length r_eps. The iterates are averaged with polynomial decay (see
/// PolynomialDecayAverage), and averaged() returns that average.
class Dog : public detail::DistanceOverGradients<detail::DogRule> {
 public:
  /// Throws std::invalid_argument unless relative_initial_movement is positive and finite and
  /// averaging_gamma is finite and >= 0.
  explicit Dog(const DogOptions& options = {})
      : DistanceOverGradients(options.relative_initial_movement, options.averaging_gamma),
        options_(options) {}

  const DogOptions& options() const { return options_; }

 private:
  DogOptions options_;
};

}  // namespace varia
