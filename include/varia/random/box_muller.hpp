// Box-Muller transform: two independent uniforms to two independent standard normals.
#pragma once

#include <array>
#include <cmath>
#include <numbers>

namespace varia {

/// Maps u1, u2 in (0, 1) to the independent standard normals r cos(2 pi u2) and r sin(2 pi u2)
/// with r = sqrt(-2 log u1) (Box and Muller, 1958, "A note on the generation of random normal
/// deviates"). With u1 >= 2^-54, as uniform_from_bits() guarantees, |z| <= 8.66, which cuts off
/// a tail of probability below 1e-17.
inline std::array<double, 2> box_muller(double u1, double u2) {
  const double radius = std::sqrt(-2.0 * std::log(u1));
  const double angle = 2.0 * std::numbers::pi * u2;
  return {radius * std::cos(angle), radius * std::sin(angle)};
}

}  // namespace varia
