// Philox4x32-10: the counter-based block function that turns a 128-bit counter and a 64-bit key
// into 128 random bits.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace varia {

/// Philox4x32 counter: four 32-bit words.
using PhiloxCounter = std::array<std::uint32_t, 4>;

/// Philox4x32 key: two 32-bit words.
using PhiloxKey = std::array<std::uint32_t, 2>;

namespace detail {

// Multipliers and Weyl key increments of Philox4x32 (Salmon, Moraes, Dror and Shaw, 2011,
// "Parallel random numbers: as easy as 1, 2, 3").
inline constexpr std::uint32_t philox_multiplier_0 = 0xD2511F53u;
inline constexpr std::uint32_t philox_multiplier_1 = 0xCD9E8D57u;
inline constexpr std::uint32_t philox_weyl_0 = 0x9E3779B9u;
inline constexpr std::uint32_t philox_weyl_1 = 0xBB67AE85u;
inline constexpr std::size_t philox_rounds = 10;

// Largest number of counters philox4x32_batch() handles in one call.
inline constexpr std::size_t philox_batch_size = 32;

// Output of philox4x32_batch(): word w of the i-th result is word[w][i].
struct PhiloxBatch {
  std::array<std::array<std::uint32_t, philox_batch_size>, 4> word;
};

}  // namespace detail

namespace detail {

// One Philox4x32 round: two 32 x 32 -> 64-bit products, then the key grows by the Weyl
// increments. The bump after the last round is unused.
constexpr void philox_round(PhiloxCounter& counter, PhiloxKey& key) {
  const std::uint64_t product_0 = std::uint64_t{philox_multiplier_0} * counter[0];
  const std::uint64_t product_1 = std::uint64_t{philox_multiplier_1} * counter[2];
  const auto high_0 = static_cast<std::uint32_t>(product_0 >> 32);
  const auto low_0 = static_cast<std::uint32_t>(product_0);
  const auto high_1 = static_cast<std::uint32_t>(product_1 >> 32);
  const auto low_1 = static_cast<std::uint32_t>(product_1);
  counter = {high_1 ^ counter[1] ^ key[0], low_1, high_0 ^ counter[3] ^ key[1], low_0};
  key[0] += philox_weyl_0;
  key[1] += philox_weyl_1;
}

}  // namespace detail

/// Applies Philox4x32-10 to one counter: ten rounds of two 32 x 32 -> 64-bit products, each round
/// mixing in the key, which grows by the Weyl increments (0x9E3779B9, 0xBB67AE85) between rounds.
/// Reproduces the known-answer vectors of the Random123 reference implementation (Salmon, Moraes,
/// Dror and Shaw, 2011, "Parallel random numbers: as easy as 1, 2, 3").
constexpr PhiloxCounter philox4x32_10(PhiloxCounter counter, PhiloxKey key) {
  // Ten rounds written out, because GCC 12 at -O2 left a lambda version of this unrolling out of
  // line in the gamma sampler, which doubled the time of a gamma draw.
  static_assert(detail::philox_rounds == 10);
  detail::philox_round(counter, key);
  detail::philox_round(counter, key);
  detail::philox_round(counter, key);
  detail::philox_round(counter, key);
  detail::philox_round(counter, key);
  detail::philox_round(counter, key);
  detail::philox_round(counter, key);
  detail::philox_round(counter, key);
  detail::philox_round(counter, key);
  detail::philox_round(counter, key);
  return counter;
}

namespace detail {

// Applies philox4x32_10() to the philox_batch_size counters {first_word_0 + i, word_1, word_2,
// word_3}; word_0 wraps modulo 2^32. The rounds run lane by lane over plain arrays, with a fixed
// trip count, so the compiler can vectorise the 32 x 32 -> 64-bit products. Each result equals
// philox4x32_10() of its counter.
inline void philox4x32_batch(std::uint32_t first_word_0, std::uint32_t word_1, std::uint32_t word_2,
                             std::uint32_t word_3, const PhiloxKey& key, PhiloxBatch& out) {
  auto& c0 = out.word[0];
  auto& c1 = out.word[1];
  auto& c2 = out.word[2];
  auto& c3 = out.word[3];
  for (std::size_t i = 0; i < philox_batch_size; ++i) {
    c0[i] = first_word_0 + static_cast<std::uint32_t>(i);
    c1[i] = word_1;
    c2[i] = word_2;
    c3[i] = word_3;
  }
  std::uint32_t key_0 = key[0];
  std::uint32_t key_1 = key[1];
  for (std::size_t round = 0; round < philox_rounds; ++round) {
    for (std::size_t i = 0; i < philox_batch_size; ++i) {
      const std::uint64_t product_0 = std::uint64_t{philox_multiplier_0} * c0[i];
      const std::uint64_t product_1 = std::uint64_t{philox_multiplier_1} * c2[i];
      const std::uint32_t next_0 = static_cast<std::uint32_t>(product_1 >> 32) ^ c1[i] ^ key_0;
      const std::uint32_t next_2 = static_cast<std::uint32_t>(product_0 >> 32) ^ c3[i] ^ key_1;
      c1[i] = static_cast<std::uint32_t>(product_1);
      c3[i] = static_cast<std::uint32_t>(product_0);
      c0[i] = next_0;
      c2[i] = next_2;
    }
    key_0 += philox_weyl_0;
    key_1 += philox_weyl_1;
  }
}

}  // namespace detail
}  // namespace varia
