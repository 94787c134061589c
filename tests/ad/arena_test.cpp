#include <varia/ad/arena.hpp>

#include <cstdint>
#include <cstring>

#include "support/catch.hpp"

TEST_CASE("arena allocations are aligned and disjoint") {
  varia::ad::Arena arena;
  auto* first = static_cast<unsigned char*>(arena.allocate(3));
  auto* second = static_cast<unsigned char*>(arena.allocate(100));
  CHECK(reinterpret_cast<std::uintptr_t>(first) % varia::ad::Arena::alignment == 0);
  CHECK(reinterpret_cast<std::uintptr_t>(second) % varia::ad::Arena::alignment == 0);
  CHECK(second >= first + 3);
  std::memset(first, 1, 3);
  std::memset(second, 2, 100);
  CHECK(first[2] == 1);
}

TEST_CASE("arena reuses its memory after reset") {
  varia::ad::Arena arena;
  for (int i = 0; i < 100; ++i) {
    arena.allocate(10000);  // 1 MB in total, across several blocks
  }
  const std::size_t capacity = arena.capacity();
  CHECK(capacity >= 1000000);
  for (int round = 0; round < 5; ++round) {
    arena.reset();
    for (int i = 0; i < 100; ++i) {
      arena.allocate(10000);
    }
    CHECK(arena.capacity() == capacity);
  }
}

TEST_CASE("arena serves a request larger than a block") {
  varia::ad::Arena arena;
  arena.allocate(16);
  void* large = arena.allocate(std::size_t{1} << 24);
  REQUIRE(large != nullptr);
  std::memset(large, 0, std::size_t{1} << 24);
  CHECK(arena.capacity() >= (std::size_t{1} << 24));
}
