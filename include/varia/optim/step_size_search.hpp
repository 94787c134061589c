// Choice of a step-size scale from a short trial run per candidate.
#pragma once

#include <cmath>
#include <concepts>
#include <cstddef>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <varia/optim/checks.hpp>

namespace varia {

/// Options of search_step_size.
struct StepSizeSearchOptions {
  /// Candidate step sizes in the order they are tried, each positive and finite. The default is
  /// the eta sequence that Stan's ADVI tries.
  std::vector<double> candidates{100.0, 10.0, 1.0, 0.1, 0.01};
  /// Stop at the first candidate whose finite objective is worse than the best one so far, as
  /// Stan's ADVI does. With a decreasing sequence, smaller candidates then usually only
  /// converge more slowly.
  bool stop_when_worse = true;
};

/// Outcome of search_step_size.
struct StepSizeSearchResult {
  /// The candidate with the lowest finite objective (the earliest one among ties).
  double step_size = 0.0;
  /// Its objective.
  double objective = 0.0;
  /// The objective of each candidate tried, in the order of options.candidates; it has fewer
  /// entries than there are candidates when the search stopped early. Diverged candidates have
  /// non-finite entries.
  std::vector<double> objectives;
};

/// Searches a list of step sizes for the one whose trial run reaches the lowest objective. trial
/// is called with each candidate in turn. It must run a fixed number of optimizer iterations from
/// the same starting point with that step size and return the loss (the quantity being
/// minimized) at the end, or a non-finite value if the run diverged. Diverged candidates are
/// skipped. This generalizes the eta search of Stan's ADVI (Kucukelbir, Tran, Ranganath, Gelman
/// and Blei 2017, "Automatic differentiation variational inference"), which tries eta in
/// {100, 10, 1, 0.1, 0.01} for a fixed number of iterations each. Exceptions from trial propagate.
/// Throws std::invalid_argument if candidates is empty or has an entry that is not positive and
/// finite, and std::runtime_error if every candidate tried diverged.
template <class Trial>
requires std::invocable<Trial&, double> &&
    std::convertible_to < std::invoke_result_t<Trial&, double>,
double > StepSizeSearchResult search_step_size(Trial&& trial,
                                               const StepSizeSearchOptions& options = {}) {
  constexpr const char* function = "varia::search_step_size";
  if (options.candidates.empty()) {
    detail::optim::throw_invalid_argument(function, "candidates' size", "0", "at least 1");
  }
  for (std::size_t i = 0; i < options.candidates.size(); ++i) {
    detail::optim::check_positive_finite(
        function, "candidates[" + detail::optim::format_value(i) + "]", options.candidates[i]);
  }

  StepSizeSearchResult result;
  result.objective = std::numeric_limits<double>::infinity();
  bool found = false;
  for (const double candidate : options.candidates) {
    const double objective = static_cast<double>(std::invoke(trial, candidate));
    result.objectives.push_back(objective);
    if (!std::isfinite(objective)) {
      continue;
    }
    if (found && objective > result.objective && options.stop_when_worse) {
      break;
    }
    if (!found || objective < result.objective) {
      found = true;
      result.step_size = candidate;
      result.objective = objective;
    }
  }

  if (!found) {
    std::string message(function);
    message +=
        ": the trial run diverged for every candidate step size, but at least one must "
        "reach a finite objective; try smaller candidates";
    throw std::runtime_error(message);
  }
  return result;
}

}  // namespace varia
