// The DoWG (distance over weighted gradients) optimizer.
#pragma once

#include <cmath>

#include <varia/optim/distance_over_gradients.hpp>

namespace varia {

/// Options of Dowg.
struct DowgOptions {
  /// Factor of the first step's length r_eps = relative_initial_movement (1 + ||x0||), > 0. The
  /// default is DoG's.
  double relative_initial_movement = 1e-6;
  /// gamma of the polynomial-decay average (see PolynomialDecayAverage), >= 0.
  double averaging_gamma = 8.0;
};

namespace detail {

struct DowgRule {
  static constexpr DistanceOverGradientsNames names{
      "varia::Dowg", "varia::Dowg::initialize", "varia::Dowg::step",
      "varia::Dowg::reduce_step_size", "varia::Dowg::averaged"};

  static double accumulate(double sum, double max_distance, double gradient_norm_squared) {
    return sum + max_distance * max_distance * gradient_norm_squared;
  }

  static double step_size(double sum, double max_distance) {
    return max_distance * max_distance / std::sqrt(sum);
  }
};

}  // namespace detail

/// DoWG, a parameter-free step-size schedule that weights each gradient by the squared distance
/// travelled (Khaled, Mishchenko and Jin 2023, "DoWG unleashed: an efficient universal
/// parameter-free gradient descent method"). Step t = 0, 1, ... computes
///   rbar_t = max(r_eps, max over i <= t of ||x_i - x_0||),   v_t = v_{t-1} + rbar_t^2 ||g_t||^2,
///   eta_t = rbar_t^2 / sqrt(v_t),   x_{t+1} = x_t - eta_t g_t,
/// with v_{-1} = 0, so the first step has length r_eps. The iterates are averaged with polynomial
/// decay as for Dog, and averaged() returns that average.
class Dowg : public detail::DistanceOverGradients<detail::DowgRule> {
 public:
  /// Throws std::invalid_argument unless relative_initial_movement is positive and finite and
  /// averaging_gamma is finite and >= 0.
  explicit Dowg(const DowgOptions& options = {})
      : DistanceOverGradients(options.relative_initial_movement, options.averaging_gamma),
        options_(options) {}

  const DowgOptions& options() const { return options_; }

 private:
  DowgOptions options_;
};

}  // namespace varia
