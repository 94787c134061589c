#include <varia/random/box_muller.hpp>

#include <cmath>
#include <numbers>

#include "support/catch.hpp"

TEST_CASE("box_muller matches the polar closed form") {
  // u1 = exp(-1/2) gives radius 1, and u2 = 1/8 gives the angle pi/4.
  const auto pair = varia::box_muller(std::exp(-0.5), 0.125);
  CHECK(pair[0] == Approx(std::sqrt(0.5)).epsilon(1e-14));
  CHECK(pair[1] == Approx(std::sqrt(0.5)).epsilon(1e-14));
}

TEST_CASE("box_muller radius is sqrt(-2 log u1)") {
  for (double u1 : {1e-300, 1e-10, 0.01, 0.3, 0.7, 0.999999}) {
    for (double u2 : {1e-9, 0.2, 0.5, 0.8, 1.0 - 1e-12}) {
      const auto pair = varia::box_muller(u1, u2);
      const double squared_radius = pair[0] * pair[0] + pair[1] * pair[1];
      CHECK(squared_radius == Approx(-2.0 * std::log(u1)).epsilon(1e-13));
      CHECK(
          std::atan2(pair[1], pair[0]) ==
          Approx(std::remainder(2.0 * std::numbers::pi * u2, 2.0 * std::numbers::pi)).margin(1e-9));
    }
  }
}
