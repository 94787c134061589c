// Picks the objective, gradient estimator and optimizer out of the optional arguments of
// varia::fit.
#pragma once

#include <type_traits>
#include <utility>

#include <varia/estimator/estimator.hpp>
#include <varia/objective/objective.hpp>
#include <varia/optim/optimizer.hpp>

namespace varia::detail::fit {

struct ObjectiveKind {
  template <class T>
  static constexpr bool matches = Objective<T>;
};

struct EstimatorKind {
  template <class T>
  static constexpr bool matches = GradientEstimator<T>;
};

struct OptimizerKind {
  template <class T>
  static constexpr bool matches = Optimizer<T>;
};

/// The number of types among Parts of the given kind.
template <class Kind, class... Parts>
inline constexpr int count_of = (0 + ... + (Kind::template matches<Parts> ? 1 : 0));

/// The number of kinds that T belongs to.
template <class T>
inline constexpr int kinds_of = (ObjectiveKind::matches<T> ? 1 : 0) +
                                (EstimatorKind::matches<T> ? 1 : 0) +
                                (OptimizerKind::matches<T> ? 1 : 0);

/// Checks with sentences that every part is of exactly one kind and no kind appears twice.
template <class... Parts>
constexpr void check_parts() {
  static_assert(((kinds_of<Parts> == 1) && ...),
                "varia::fit: every argument after the options must be an objective (for example "
                "varia::Elbo), a gradient estimator (for example varia::Reparameterization) or an "
                "optimizer (for example varia::Adam)");
  static_assert(count_of<ObjectiveKind, Parts...> <= 1,
                "varia::fit: more than one objective was passed, but a fit takes at most one");
  static_assert(count_of<EstimatorKind, Parts...> <= 1,
                "varia::fit: more than one gradient estimator was passed, but a fit takes at most "
                "one");
  static_assert(count_of<OptimizerKind, Parts...> <= 1,
                "varia::fit: more than one optimizer was passed, but a fit takes at most one");
}

template <class Kind, class Default>
Default pick(Default fallback) {
  return fallback;
}

/// Returns the first part of the given kind, or `fallback` when there is none.
template <class Kind, class Default, class First, class... Rest>
auto pick(Default fallback, First&& first, Rest&&... rest) {
  if constexpr (Kind::template matches<std::remove_cvref_t<First>>) {
    return std::remove_cvref_t<First>(std::forward<First>(first));
  } else {
    return pick<Kind>(std::move(fallback), std::forward<Rest>(rest)...);
  }
}

}  // namespace varia::detail::fit
