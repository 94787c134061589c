// The per-thread reverse-mode tape: nodes recorded in evaluation order, replayed backwards.
#pragma once

#include <algorithm>
#include <cstddef>
#include <new>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <varia/ad/arena.hpp>

namespace varia::ad {

/// A recorded operation. backward() adds the operation's contribution to its inputs' adjoints,
/// given its own adjoint. Nodes live in the arena and are never destroyed, so they must be
/// trivially destructible; one virtual call per node replaces a call per scalar operation.
class Node {
 public:
  virtual void backward() = 0;

 protected:
  Node() = default;
  Node(const Node&) = default;
  Node& operator=(const Node&) = default;
  ~Node() = default;
};

/// The tape of one thread: an arena for values, adjoints and nodes, and the nodes in order.
class Tape {
 public:
  Arena& arena() { return arena_; }

  bool recording() const { return recording_; }

  /// Constructs a node in the arena and appends it to the tape.
  template <class N, class... Args>
  N* record(Args&&... args) {
    static_assert(std::is_base_of_v<Node, N>, "varia::ad::Tape::record: N must derive from Node");
    static_assert(std::is_trivially_destructible_v<N>,
                  "varia::ad::Tape::record: nodes must be trivially destructible, because the "
                  "arena releases their memory without running destructors");
    void* memory = arena_.allocate(sizeof(N));
    N* node = new (memory) N(std::forward<Args>(args)...);
    nodes_.push_back(node);
    return node;
  }

  /// Records a node whose backward pass calls `callback()`. The callback must be trivially
  /// destructible: capture pointers, sizes and fixed-size values, never owning containers.
  template <class F>
  void on_backward(F callback);

  /// Allocates `count` doubles set to zero.
  double* zeros(std::size_t count) {
    double* data = arena_.allocate_array<double>(count);
    std::fill(data, data + count, 0.0);
    return data;
  }

  /// Allocates `count` doubles without initializing them.
  double* uninitialized(std::size_t count) { return arena_.allocate_array<double>(count); }

  /// Runs every recorded node's backward() in reverse order.
  void backward() {
    for (auto node = nodes_.rbegin(); node != nodes_.rend(); ++node) {
      (*node)->backward();
    }
  }

  std::size_t size() const { return nodes_.size(); }

  void begin(const char* function) {
    if (recording_) {
      throw std::logic_error(std::string(function) +
                             ": a gradient is already being recorded on this thread, and nested "
                             "recordings are not supported");
    }
    recording_ = true;
    arena_.reset();
    nodes_.clear();
  }

  void end() { recording_ = false; }

 private:
  Arena arena_;
  std::vector<Node*> nodes_;
  bool recording_ = false;
};

namespace detail {

template <class F>
class CallbackNode final : public Node {
 public:
  explicit CallbackNode(F callback) : callback_(std::move(callback)) {}
  void backward() override { callback_(); }

 private:
  F callback_;
};

}  // namespace detail

template <class F>
void Tape::on_backward(F callback) {
  record<detail::CallbackNode<F>>(std::move(callback));
}

/// The calling thread's tape.
inline Tape& tape() {
  thread_local Tape instance;
  return instance;
}

/// Marks the calling thread's tape as recording for the lifetime of this object. The tape is
/// cleared at the start, and released at the end even when the recorded code throws.
class Recording {
 public:
  explicit Recording(const char* function) : tape_(varia::ad::tape()) { tape_.begin(function); }
  Recording(const Recording&) = delete;
  Recording& operator=(const Recording&) = delete;
  ~Recording() { tape_.end(); }

  Tape& tape() { return tape_; }

 private:
  Tape& tape_;
};

}  // namespace varia::ad
