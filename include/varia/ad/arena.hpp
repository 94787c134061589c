// Bump allocator for the autodiff tape: memory is handed out in order and released all at once.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <vector>

namespace varia::ad {

/// Bump allocator whose memory is reused after reset(). After a recording that fits in the
/// capacity reached by earlier recordings, allocate() never calls the system allocator.
class Arena {
 public:
  static constexpr std::size_t alignment = 64;  // a cache line, and enough for AVX-512 loads

  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  ~Arena() {
    for (Block& block : blocks_) {
      ::operator delete (block.data, std::align_val_t{alignment});
    }
  }

  /// Returns `bytes` bytes aligned to `alignment`, valid until the next reset().
  void* allocate(std::size_t bytes) {
    bytes = round_up(std::max<std::size_t>(bytes, 1));
    if (current_ < blocks_.size() && used_ + bytes <= blocks_[current_].size) {
      void* result = blocks_[current_].data + used_;
      used_ += bytes;
      return result;
    }
    return allocate_slow(bytes);
  }

  template <class T>
  T* allocate_array(std::size_t count) {
    static_assert(alignof(T) <= alignment, "varia::ad::Arena: type is over-aligned");
    return static_cast<T*>(allocate(count * sizeof(T)));
  }

  /// Releases everything allocated so far. When the last recording needed several blocks, they
  /// are merged into one block large enough for all of them, so the next recording of the same
  /// size allocates nothing.
  void reset() {
    if (blocks_.size() > 1) {
      const std::size_t total = capacity();
      for (Block& block : blocks_) {
        ::operator delete (block.data, std::align_val_t{alignment});
      }
      blocks_.clear();
      add_block(total);
    }
    current_ = 0;
    used_ = 0;
  }

  /// Bytes held from the system allocator.
  std::size_t capacity() const {
    std::size_t total = 0;
    for (const Block& block : blocks_) {
      total += block.size;
    }
    return total;
  }

 private:
  struct Block {
    std::byte* data;
    std::size_t size;
  };

  static std::size_t round_up(std::size_t bytes) {
    return (bytes + alignment - 1) / alignment * alignment;
  }

  void add_block(std::size_t size) {
    auto* data = static_cast<std::byte*>(::operator new (size, std::align_val_t{alignment}));
    blocks_.push_back(Block{data, size});
  }

  void* allocate_slow(std::size_t bytes) {
    // Move to the next block that fits; append a larger one when none is left.
    while (current_ + 1 < blocks_.size()) {
      ++current_;
      used_ = 0;
      if (bytes <= blocks_[current_].size) {
        used_ = bytes;
        return blocks_[current_].data;
      }
    }
    const std::size_t last = blocks_.empty() ? 0 : blocks_.back().size;
    add_block(std::max({bytes, 2 * last, std::size_t{1} << 16}));
    current_ = blocks_.size() - 1;
    used_ = bytes;
    return blocks_[current_].data;
  }

  std::vector<Block> blocks_;
  std::size_t current_ = 0;
  std::size_t used_ = 0;
};

}  // namespace varia::ad
