#include <varia/random/philox.hpp>

#include <Random123/philox.h>

#include <cstdint>
#include <random>

#include "support/catch.hpp"

namespace {

// Random123's Philox4x32-10 of the same counter and key.
varia::PhiloxCounter reference_philox(const varia::PhiloxCounter& counter,
                                      const varia::PhiloxKey& key) {
  r123::Philox4x32_R<10> generator;
  const r123::Philox4x32_R<10>::ctr_type reference_counter = {
      {counter[0], counter[1], counter[2], counter[3]}};
  const r123::Philox4x32_R<10>::key_type reference_key = {{key[0], key[1]}};
  const r123::Philox4x32_R<10>::ctr_type result = generator(reference_counter, reference_key);
  return {result[0], result[1], result[2], result[3]};
}

std::uint32_t next_word(std::mt19937& bits) {
  return static_cast<std::uint32_t>(bits());
}

struct KnownAnswer {
  varia::PhiloxCounter counter;
  varia::PhiloxKey key;
  varia::PhiloxCounter expected;
};

// Known-answer vectors for philox4x32 with 10 rounds, as published with Random123 (Salmon, Moraes,
// Dror and Shaw, 2011): zeros, all ones, and the hexadecimal digits of pi. The test "Random123
// reproduces the same known answers" checks them against the installed reference.
constexpr KnownAnswer known_answers[] = {
    {{0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u},
     {0x00000000u, 0x00000000u},
     {0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u}},
    {{0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu},
     {0xffffffffu, 0xffffffffu},
     {0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu}},
    {{0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u},
     {0xa4093822u, 0x299f31d0u},
     {0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u}},
};

}  // namespace

TEST_CASE("philox4x32_10 reproduces known answers") {
  for (const KnownAnswer& answer : known_answers) {
    const varia::PhiloxCounter result = varia::philox4x32_10(answer.counter, answer.key);
    CHECK(result == answer.expected);
  }
}

TEST_CASE("philox4x32_10 known answers hold at compile time") {
  constexpr varia::PhiloxCounter zeros = varia::philox4x32_10({0, 0, 0, 0}, {0, 0});
  STATIC_REQUIRE(zeros[0] == 0x6627e8d5u);
  STATIC_REQUIRE(zeros[3] == 0x9b00dbd8u);
}

TEST_CASE("Random123 reproduces the same known answers") {
  for (const KnownAnswer& answer : known_answers) {
    CHECK(reference_philox(answer.counter, answer.key) == answer.expected);
  }
}

TEST_CASE("philox4x32_10 matches Random123 on random inputs") {
  std::mt19937 bits(20240611u);
  int mismatches = 0;
  for (int trial = 0; trial < 200000; ++trial) {
    const varia::PhiloxCounter counter = {next_word(bits), next_word(bits), next_word(bits),
                                          next_word(bits)};
    const varia::PhiloxKey key = {next_word(bits), next_word(bits)};
    if (varia::philox4x32_10(counter, key) != reference_philox(counter, key)) {
      ++mismatches;
    }
  }
  CHECK(mismatches == 0);
}

TEST_CASE("philox4x32_10 batch matches single calls") {
  std::mt19937 bits(7u);
  for (int trial = 0; trial < 200; ++trial) {
    // Starting near 2^32 exercises the wrap of word 0 within a batch.
    const std::uint32_t first = trial == 0 ? 0xFFFFFFF0u : next_word(bits);
    const std::uint32_t word_1 = next_word(bits);
    const std::uint32_t word_2 = next_word(bits);
    const std::uint32_t word_3 = next_word(bits);
    const varia::PhiloxKey key = {next_word(bits), next_word(bits)};
    varia::detail::PhiloxBatch batch;
    varia::detail::philox4x32_batch(first, word_1, word_2, word_3, key, batch);
    for (std::size_t i = 0; i < varia::detail::philox_batch_size; ++i) {
      const varia::PhiloxCounter counter = {first + static_cast<std::uint32_t>(i), word_1, word_2,
                                            word_3};
      const varia::PhiloxCounter expected = reference_philox(counter, key);
      for (std::size_t w = 0; w < 4; ++w) {
        CHECK(batch.word[w][i] == expected[w]);
      }
    }
  }
}
