// A one-line progress report of varia::fit on stderr.
#pragma once

#include <cstdint>
#include <cstdio>

#if __has_include(<unistd.h>)
#include <unistd.h>
#define VARIA_HAS_ISATTY 1
#else
#define VARIA_HAS_ISATTY 0
#endif

namespace varia::detail::fit {

/// Rewrites one line on stderr every 100 iterations, and only when enabled and stderr is a
/// terminal, so redirected output and logs stay clean.
/// NOTE: the terminal check uses POSIX isatty; without <unistd.h> the report is never written.
class ProgressLine {
 public:
  explicit ProgressLine(bool enabled) : enabled_(enabled && stderr_is_terminal()) {}

  void update(std::int64_t iteration, std::int64_t max_iterations, double objective,
              double step_size) {
    if (!enabled_ || iteration % 100 != 0) {
      return;
    }
    std::fprintf(stderr, "\rvaria::fit: iteration %lld of %lld, objective %.6g, step size %.3g   ",
                 static_cast<long long>(iteration + 1), static_cast<long long>(max_iterations),
                 objective, step_size);
    std::fflush(stderr);
    written_ = true;
  }

  void finish() {
    if (written_) {
      std::fputc('\n', stderr);
    }
  }

 private:
  static bool stderr_is_terminal() {
#if VARIA_HAS_ISATTY
    return isatty(STDERR_FILENO) != 0;
#else
    return false;
#endif
  }

  bool enabled_;
  bool written_ = false;
};

}  // namespace varia::detail::fit
