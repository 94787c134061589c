// A convergence rule for the noisy objective trace of a stochastic fit.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>

#include <varia/objective/objective.hpp>

namespace varia {

/// Decides when a noisy objective trace has stopped improving, by comparing the means of two
/// consecutive windows of W values.
///
/// After every W-th value (from the 2W-th on) it computes the improvement
/// delta = m_new - m_old of the window means (sign-flipped for minimized objectives) and its
/// standard error se = sqrt(2 s_new^2 / W) from the sample variance s_new^2 within the newer
/// window, which measures the current noise. The older window is not used for se because early
/// in a fit its values still change fast, and their spread would make any improvement look
/// insignificant. A check passes when the improvement is negligible or not significant:
///   delta < tolerance * (|m_new| + 1)   or   delta < z * se.
/// The trace has converged when `patience` consecutive checks pass.
///
/// Unlike a relative change |m_new - m_old| / |m_new|, the first test stays meaningful when the
/// objective is near 0, because the scale |m_new| + 1 is never below 1 (so tolerance acts as an
/// absolute change in nats for objectives of size below 1). The second test stops a trace whose
/// mean no longer moves by more than its noise, which a relative rule on a noisy trace either
/// misses or reaches by chance. The within-window variance also contains the trend inside a
/// window, but a linear trend with change delta per window adds only delta / sqrt(6 W) to se, so a
/// steady rise does not look like noise.
/// NOTE: successive values are treated as independent when se is computed. Values from an
/// optimizer are autocorrelated, which makes se an underestimate and the rule more cautious.
class WindowConvergence {
 public:
  /// Throws std::invalid_argument unless tolerance > 0 and finite, window >= 2, z >= 0 and
  /// finite, and patience >= 1.
  WindowConvergence(double tolerance, std::int64_t window, ObjectiveDirection direction,
                    double z = 2.0, std::int64_t patience = 2)
      : tolerance_(tolerance),
        window_(window),
        sign_(direction == ObjectiveDirection::maximize ? 1.0 : -1.0),
        z_(z),
        patience_(patience) {
    constexpr const char* function = "varia::WindowConvergence";
    if (!(std::isfinite(tolerance) && tolerance > 0.0)) {
      throw_invalid(function, "tolerance", format(tolerance), "positive and finite");
    }
    if (window < 2) {
      throw_invalid(function, "window", format(window), "at least 2");
    }
    if (!(std::isfinite(z) && z >= 0.0)) {
      throw_invalid(function, "z", format(z), "non-negative and finite");
    }
    if (patience < 1) {
      throw_invalid(function, "patience", format(patience), "at least 1");
    }
  }

  /// Adds the next value of the trace and returns whether the trace has converged. A non-finite
  /// value throws std::invalid_argument, because the fit rejects such steps before this point.
  bool add(double value) {
    if (!std::isfinite(value)) {
      throw_invalid("varia::WindowConvergence::add", "value", format(value), "finite");
    }
    // Welford's running mean and sum of squared deviations of the current window.
    ++count_in_window_;
    const double shift = value - window_mean_;
    window_mean_ += shift / static_cast<double>(count_in_window_);
    window_squares_ += shift * (value - window_mean_);
    if (count_in_window_ < window_) {
      return converged_;
    }

    const double size = static_cast<double>(window_);
    const double variance = window_squares_ / (size - 1.0);
    if (has_previous_window_) {
      improvement_ = sign_ * (window_mean_ - previous_mean_);
      standard_error_ = std::sqrt(2.0 * variance / size);
      const double negligible = tolerance_ * (std::abs(window_mean_) + 1.0);
      const bool passed = improvement_ < negligible || improvement_ < z_ * standard_error_;
      passed_checks_ = passed ? passed_checks_ + 1 : 0;
      converged_ = converged_ || passed_checks_ >= patience_;
    }
    has_previous_window_ = true;
    previous_mean_ = window_mean_;
    count_in_window_ = 0;
    window_mean_ = 0.0;
    window_squares_ = 0.0;
    return converged_;
  }

  bool converged() const { return converged_; }

  /// delta of the most recent check, NaN before the first check.
  double improvement() const { return improvement_; }

  /// se of the most recent check, NaN before the first check.
  double standard_error() const { return standard_error_; }

  std::int64_t window() const { return window_; }

 private:
  template <class T>
  static std::string format(const T& value) {
    std::ostringstream stream;
    stream << value;
    return stream.str();
  }

  [[noreturn]] static void throw_invalid(const char* function, const char* argument,
                                         const std::string& value, const char* requirement) {
    throw std::invalid_argument(std::string(function) + ": " + argument + " is " + value +
                                ", but must be " + requirement);
  }

  double tolerance_;
  std::int64_t window_;
  double sign_;
  double z_;
  std::int64_t patience_;

  std::int64_t count_in_window_ = 0;
  double window_mean_ = 0.0;
  double window_squares_ = 0.0;
  bool has_previous_window_ = false;
  double previous_mean_ = 0.0;
  std::int64_t passed_checks_ = 0;
  bool converged_ = false;
  double improvement_ = std::numeric_limits<double>::quiet_NaN();
  double standard_error_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace varia
