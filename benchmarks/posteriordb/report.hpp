// The Markdown report of a posteriordb run: per posterior and family, summaries over seeds of
// the standardized errors, sd ratios, k-hat and time, plus flagged fits.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scoring.hpp"

namespace varia::posteriordb {

/// A property of a posterior that keeps some Gaussian family from matching it.
struct PosteriorNote {
  std::string_view posterior;
  std::string_view note;
};

/// Notes on the posteriors where a Gaussian family cannot do well; posteriors that are close
/// to Gaussian in the unconstrained space have none.
inline const std::vector<PosteriorNote>& posterior_notes() {
  static const std::vector<PosteriorNote> notes = {
      {"eight_schools-eight_schools_noncentered",
       "tau is heavy-tailed (mean 3.6, sd 3.2) with much mass near 0, so log tau is skewed and "
       "no Gaussian matches it; theta = mu + tau * theta_trans inherits that skew."},
      {"diamonds-diamonds",
       "Collinear predictors give a posterior covariance with condition number about 3.4e5: a "
       "mean-field Gaussian cannot represent the correlations and underestimates marginal sds, "
       "and stochastic optimization is slow along the badly scaled directions."},
      {"kidiq-kidscore_interaction",
       "Uncentered predictors give correlations up to 0.99 between coefficients (covariance "
       "condition number about 1e7): a mean-field Gaussian underestimates the coefficients' "
       "sds by a large factor."},
      {"gp_pois_regr-gp_pois_regr",
       "The GP marginal sd alpha scales the whitened latent f_tilde, which gives a mild funnel "
       "in the unconstrained space, and rho and alpha are skewed."},
      {"garch-garch11",
       "beta1's upper bound 1 - alpha1 depends on alpha1, and alpha0, alpha1, beta1 are skewed "
       "and correlated (|corr| up to 0.75), so the unconstrained posterior is not Gaussian."},
  };
  return notes;
}

/// Returns the note for `posterior`, or an empty view when it has none.
inline std::string_view posterior_note(std::string_view posterior) {
  for (const PosteriorNote& entry : posterior_notes()) {
    if (entry.posterior == posterior) {
      return entry.note;
    }
  }
  return {};
}

/// Summary over seeds of one family's fits to one posterior.
struct FamilySummary {
  std::string family;
  int fits = 0;
  /// Median and maximum over seeds of each fit's worst standardized error.
  double median_worst_error = 0.0;
  double max_worst_error = 0.0;
  /// Smallest and largest sd ratio over all parameters and seeds.
  double min_sd_ratio = 0.0;
  double max_sd_ratio = 0.0;
  double median_k_hat = 0.0;
  double median_seconds = 0.0;
  int converged = 0;
};

/// Returns the median of `values` (the mean of the two middle values for an even count; NaN
/// when empty). NaN entries sort last, so they count as the largest values.
inline double median(std::vector<double> values) {
  if (values.empty()) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  std::sort(values.begin(), values.end(), [](double a, double b) {
    if (std::isnan(a)) {
      return false;
    }
    return std::isnan(b) || a < b;
  });
  const std::size_t middle = values.size() / 2;
  if (values.size() % 2 == 1) {
    return values[middle];
  }
  return 0.5 * (values[middle - 1] + values[middle]);
}

/// Summarizes the fits of one family (all records must share posterior and family).
inline FamilySummary summarize_family(const std::vector<const FitRecord*>& fits) {
  FamilySummary summary;
  if (fits.empty()) {
    return summary;
  }
  summary.family = fits.front()->family;
  summary.fits = static_cast<int>(fits.size());
  std::vector<double> worst_errors;
  std::vector<double> k_hats;
  std::vector<double> seconds;
  summary.min_sd_ratio = std::numeric_limits<double>::infinity();
  summary.max_sd_ratio = -std::numeric_limits<double>::infinity();
  for (const FitRecord* record : fits) {
    worst_errors.push_back(worst_standardized_error(*record));
    k_hats.push_back(std::isnan(record->k_hat) ? std::numeric_limits<double>::infinity()
                                               : record->k_hat);
    seconds.push_back(record->wall_seconds);
    summary.converged += record->converged ? 1 : 0;
    for (const ParameterScore& score : record->parameters) {
      if (std::isnan(score.sd_ratio)) {
        continue;
      }
      summary.min_sd_ratio = std::min(summary.min_sd_ratio, score.sd_ratio);
      summary.max_sd_ratio = std::max(summary.max_sd_ratio, score.sd_ratio);
    }
  }
  summary.median_worst_error = median(worst_errors);
  summary.max_worst_error = *std::max_element(worst_errors.begin(), worst_errors.end());
  summary.median_k_hat = median(k_hats);
  summary.median_seconds = median(seconds);
  return summary;
}

/// Formats a number for a table cell with `digits` significant digits; non-finite values print
/// as "inf", "-inf" or "nan".
inline std::string format_number(double value, int digits = 3) {
  if (std::isnan(value)) {
    return "nan";
  }
  if (std::isinf(value)) {
    return value > 0 ? "inf" : "-inf";
  }
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
  return buffer;
}

/// Options of the report beyond the records.
struct ReportSettings {
  int seeds = 0;
  int draws = 0;
  /// Relative paths of the plot images, linked from the report when non-empty.
  std::string plots_folder = "plots";
};

/// Renders the Markdown report. Posteriors and families appear in the order of their first
/// record.
inline std::string render_report(const std::vector<FitRecord>& records,
                                 const ReportSettings& settings) {
  std::vector<std::string> posteriors;
  std::vector<std::string> families;
  for (const FitRecord& record : records) {
    if (std::find(posteriors.begin(), posteriors.end(), record.posterior) == posteriors.end()) {
      posteriors.push_back(record.posterior);
    }
    if (std::find(families.begin(), families.end(), record.family) == families.end()) {
      families.push_back(record.family);
    }
  }
  std::map<std::pair<std::string, std::string>, FamilySummary> summaries;
  for (const std::string& posterior : posteriors) {
    for (const std::string& family : families) {
      std::vector<const FitRecord*> fits;
      for (const FitRecord& record : records) {
        if (record.posterior == posterior && record.family == family) {
          fits.push_back(&record);
        }
      }
      if (!fits.empty()) {
        summaries[{posterior, family}] = summarize_family(fits);
      }
    }
  }

  std::ostringstream out;
  out << "# posteriordb results\n\n"
      << "Each fit is scored on the reference quantities in the constrained space, from "
      << settings.draws << " draws of the fitted approximation. Standardized error = "
      << "|mean - reference mean| / reference sd; sd ratio = sd / reference sd; k-hat is the "
      << "PSIS shape estimate of log p - log q over draws from q (above 0.7 the approximation "
      << "is not reliable for importance sampling). Per family: the median and the maximum over "
      << settings.seeds << " seeds of each fit's worst standardized error, the range of sd "
      << "ratios over all parameters and seeds, the median k-hat and the median wall time. The "
      << "reference means carry Monte Carlo error of about 0.01 reference sd.\n\n";

  out << "## Summary\n\nMedian over seeds of the worst standardized error (median k-hat).\n\n"
      << "| posterior |";
  for (const std::string& family : families) {
    out << ' ' << family << " |";
  }
  out << "\n| --- |";
  for (std::size_t i = 0; i < families.size(); ++i) {
    out << " --- |";
  }
  out << '\n';
  for (const std::string& posterior : posteriors) {
    out << "| " << posterior << " |";
    for (const std::string& family : families) {
      const auto found = summaries.find({posterior, family});
      if (found == summaries.end()) {
        out << " - |";
        continue;
      }
      out << ' ' << format_number(found->second.median_worst_error, 2) << " ("
          << format_number(found->second.median_k_hat, 2) << ") |";
    }
    out << '\n';
  }
  out << '\n';

  std::vector<const FitRecord*> flagged;
  for (const FitRecord& record : records) {
    if (is_confident_and_wrong(record)) {
      flagged.push_back(&record);
    }
  }
  out << "## Confident and wrong\n\nFits with a worst standardized error above 0.5 while "
      << "k-hat is at most 0.7, so the PSIS diagnostic would not warn about them.\n\n";
  if (flagged.empty()) {
    out << "None.\n\n";
  } else {
    out << "| posterior | family | seed | worst standardized error | parameter | k-hat |\n"
        << "| --- | --- | --- | --- | --- | --- |\n";
    for (const FitRecord* record : flagged) {
      const auto worst = std::max_element(record->parameters.begin(), record->parameters.end(),
                                          [](const ParameterScore& a, const ParameterScore& b) {
                                            return a.standardized_error < b.standardized_error;
                                          });
      out << "| " << record->posterior << " | " << record->family << " | " << record->seed << " | "
          << format_number(worst_standardized_error(*record)) << " | "
          << (worst == record->parameters.end() ? std::string("-") : worst->name) << " | "
          << format_number(record->k_hat) << " |\n";
    }
    out << '\n';
  }

  for (const std::string& posterior : posteriors) {
    out << "## " << posterior << "\n\n";
    const std::string_view note = posterior_note(posterior);
    if (!note.empty()) {
      out << note << "\n\n";
    }
    out << "| family | median worst error | max worst error | sd ratio range | median k-hat "
        << "| converged | median seconds |\n"
        << "| --- | --- | --- | --- | --- | --- | --- |\n";
    for (const std::string& family : families) {
      const auto found = summaries.find({posterior, family});
      if (found == summaries.end()) {
        continue;
      }
      const FamilySummary& summary = found->second;
      out << "| " << family << " | " << format_number(summary.median_worst_error) << " | "
          << format_number(summary.max_worst_error) << " | " << format_number(summary.min_sd_ratio)
          << " - " << format_number(summary.max_sd_ratio) << " | "
          << format_number(summary.median_k_hat) << " | " << summary.converged << "/"
          << summary.fits << " | " << format_number(summary.median_seconds) << " |\n";
    }
    out << '\n';
    if (!settings.plots_folder.empty()) {
      out << "![objective traces](" << settings.plots_folder << '/' << posterior
          << "_objective.png)\n![marginals](" << settings.plots_folder << '/' << posterior
          << "_marginals.png)\n\n";
    }
  }
  return out.str();
}

}  // namespace varia::posteriordb
