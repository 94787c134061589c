// Conversion of random bits to doubles uniform on the open interval (0, 1).
#pragma once

#include <algorithm>
#include <cstdint>

namespace varia {

/// Converts the top 53 bits k of `bits` to k * 2^-53, except that k = 0 gives 2^-54, so the result
/// lies in [2^-54, 1 - 2^-53] and is never 0 or 1 (log of it is finite, at least -37.43). Each
/// value of k has probability 2^-53, so all 2^53 grid points k * 2^-53 in (0, 1) are equally
/// likely and the point 0 is moved to half a grid step above it.
constexpr double uniform_from_bits(std::uint64_t bits) {
  constexpr double grid_step = 1.0 / 9007199254740992.0;  // 2^-53
  const auto k = static_cast<double>(static_cast<std::int64_t>(bits >> 11));
  return std::max(k, 0.5) * grid_step;
}

/// uniform_from_bits() of the 64-bit word whose upper half is `high` and lower half is `low`.
constexpr double uniform_from_words(std::uint32_t high, std::uint32_t low) {
  return uniform_from_bits((std::uint64_t{high} << 32) | low);
}

}  // namespace varia
