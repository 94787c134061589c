#include <varia/random/uniform_bits.hpp>

#include <cmath>
#include <cstdint>
#include <random>

#include "support/catch.hpp"

TEST_CASE("uniform_from_bits maps the extremes inside (0, 1)") {
  CHECK(varia::uniform_from_bits(0) == std::ldexp(1.0, -54));
  CHECK(varia::uniform_from_bits(0x7FFu) == std::ldexp(1.0, -54));
  CHECK(varia::uniform_from_bits(0x800u) == std::ldexp(1.0, -53));
  CHECK(varia::uniform_from_bits(~std::uint64_t{0}) == 1.0 - std::ldexp(1.0, -53));
  CHECK(std::isfinite(std::log(varia::uniform_from_bits(0))));
}

TEST_CASE("uniform_from_bits uses the top 53 bits exactly") {
  std::mt19937_64 bits(11u);
  for (int trial = 0; trial < 100000; ++trial) {
    const std::uint64_t word = bits();
    const std::uint64_t k = word >> 11;
    if (k == 0) {
      continue;
    }
    const double value = varia::uniform_from_bits(word);
    CHECK(value > 0.0);
    CHECK(value < 1.0);
    // k * 2^-53 is exact, so scaling back gives k.
    CHECK(static_cast<std::uint64_t>(std::ldexp(value, 53)) == k);
  }
}

TEST_CASE("uniform_from_words joins high and low halves") {
  CHECK(varia::uniform_from_words(0x80000000u, 0) == 0.5);
  CHECK(varia::uniform_from_words(0x12345678u, 0x9ABCDEF0u) ==
        varia::uniform_from_bits(0x123456789ABCDEF0u));
}
