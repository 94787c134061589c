// The window convergence rule on synthetic objective traces.
#include <cmath>
#include <cstdint>
#include <stdexcept>

#include <varia/fit/convergence.hpp>
#include <varia/random/counter_rng.hpp>

#include "support/catch.hpp"

namespace {

// Feeds trace(t) + noise_sd * N(0, 1) for t = 0, 1, ... and returns the first t at which the
// rule reports convergence, or -1 if it never does within `length` values.
template <class Trace>
std::int64_t stopping_time(varia::WindowConvergence rule, Trace trace, double noise_sd,
                           std::int64_t length, std::uint64_t seed) {
  const varia::CounterRng rng(seed);
  for (std::int64_t t = 0; t < length; ++t) {
    const double value =
        trace(static_cast<double>(t)) + noise_sd * rng.normal(static_cast<std::uint32_t>(t), 0, 0);
    if (rule.add(value)) {
      return t;
    }
  }
  return -1;
}

}  // namespace

TEST_CASE("convergence stops a flat noisy trace", "[fit][convergence]") {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    INFO("seed " << seed);
    // Flat at -1000 with noise 50: the windows never differ by more than their noise.
    const std::int64_t t = stopping_time(
        varia::WindowConvergence(1e-6, 100, varia::ObjectiveDirection::maximize),
        [](double) { return -1000.0; }, 50.0, 5000, seed);
    CHECK(t >= 299);  // the earliest possible stop: two checks need three windows
    CHECK(t != -1);
    CHECK(t < 1000);
  }
}

TEST_CASE("convergence stops a flat trace near zero", "[fit][convergence]") {
  // A relative-change rule divides by |objective| ~ 1e-9 here and never stops.
  const std::int64_t t = stopping_time(
      varia::WindowConvergence(1e-3, 50, varia::ObjectiveDirection::minimize),
      [](double) { return 1e-9; }, 1e-4, 2000, 3);
  CHECK(t != -1);
}

TEST_CASE("convergence does not stop a rising trace", "[fit][convergence]") {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    INFO("seed " << seed);
    // Rises by 0.05 per iteration (5 per window) under noise 10: noisy per value, but the
    // windows' means differ by 5 with a standard error of 1.4.
    CHECK(stopping_time(
              varia::WindowConvergence(1e-3, 100, varia::ObjectiveDirection::maximize),
              [](double t) { return -1000.0 + 0.05 * t; }, 10.0, 10000, seed) == -1);
    // A minimized objective that still falls.
    CHECK(stopping_time(
              varia::WindowConvergence(1e-3, 100, varia::ObjectiveDirection::minimize),
              [](double t) { return 1000.0 - 0.05 * t; }, 10.0, 10000, seed) == -1);
  }
}

TEST_CASE("convergence stops when the rise levels off", "[fit][convergence]") {
  // Approaches -10 as -10 - 100 exp(-t / 300): it must run past the steep start and stop once
  // the remaining rise per window is negligible.
  const std::int64_t t = stopping_time(
      varia::WindowConvergence(1e-3, 100, varia::ObjectiveDirection::maximize),
      [](double x) { return -10.0 - 100.0 * std::exp(-x / 300.0); }, 0.5, 20000, 4);
  CHECK(t > 1000);
  CHECK(t != -1);
  CHECK(t < 5000);
}

TEST_CASE("convergence treats direction correctly", "[fit][convergence]") {
  // A maximized objective that falls has a negative improvement and stops; the same trace as a
  // minimized objective is improving and does not.
  auto falling = [](double t) { return 100.0 - 0.1 * t; };
  CHECK(stopping_time(varia::WindowConvergence(1e-3, 100, varia::ObjectiveDirection::maximize),
                      falling, 1.0, 2000, 5) != -1);
  CHECK(stopping_time(varia::WindowConvergence(1e-3, 100, varia::ObjectiveDirection::minimize),
                      falling, 1.0, 2000, 5) == -1);
}

TEST_CASE("convergence rejects bad arguments", "[fit][convergence]") {
  using varia::ObjectiveDirection;
  CHECK_THROWS_AS(varia::WindowConvergence(0.0, 100, ObjectiveDirection::maximize),
                  std::invalid_argument);
  CHECK_THROWS_AS(varia::WindowConvergence(-1.0, 100, ObjectiveDirection::maximize),
                  std::invalid_argument);
  CHECK_THROWS_AS(varia::WindowConvergence(1e-3, 1, ObjectiveDirection::maximize),
                  std::invalid_argument);
  CHECK_THROWS_AS(varia::WindowConvergence(1e-3, 100, ObjectiveDirection::maximize, -1.0),
                  std::invalid_argument);
  CHECK_THROWS_AS(varia::WindowConvergence(1e-3, 100, ObjectiveDirection::maximize, 2.0, 0),
                  std::invalid_argument);
  varia::WindowConvergence rule(1e-3, 10, ObjectiveDirection::maximize);
  CHECK_THROWS_AS(rule.add(std::nan("")), std::invalid_argument);
}
