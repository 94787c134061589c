// Scoring a fit's draws against a posterior's reference summaries, and the record of one fit as
// it is stored in results.json.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include "reference_io.hpp"

namespace varia::posteriordb {

/// A fitted quantity compared with its reference: standardized_error = |mean - ref_mean| / ref_sd
/// and sd_ratio = sd / ref_sd.
struct ParameterScore {
  std::string name;
  double ref_mean = 0.0;
  double ref_sd = 0.0;
  double mean = 0.0;
  double sd = 0.0;
  double standardized_error = 0.0;
  double sd_ratio = 0.0;
};

/// Scores draws (one row per draw, one column per name in `names`) against every reference
/// parameter, matched by name. The sd is the sample standard deviation (divisor n - 1), as in
/// reference.json. Throws std::invalid_argument if a reference name is missing from `names`,
/// if the column count differs from the name count, or if there are fewer than 2 draws.
inline std::vector<ParameterScore> score_draws(const Reference& reference,
                                               const std::vector<std::string>& names,
                                               const Eigen::MatrixXd& draws) {
  if (static_cast<std::size_t>(draws.cols()) != names.size()) {
    throw std::invalid_argument("score_draws: draws has " + std::to_string(draws.cols()) +
                                " columns but there are " + std::to_string(names.size()) +
                                " names");
  }
  if (draws.rows() < 2) {
    throw std::invalid_argument("score_draws: draws has " + std::to_string(draws.rows()) +
                                " rows, expected at least 2");
  }
  std::vector<ParameterScore> scores;
  scores.reserve(reference.parameters.size());
  for (const ReferenceParameter& parameter : reference.parameters) {
    const auto found = std::find(names.begin(), names.end(), parameter.name);
    if (found == names.end()) {
      throw std::invalid_argument("score_draws: reference parameter '" + parameter.name + "' of " +
                                  reference.posterior +
                                  " is not among the model's parameter names");
    }
    const auto column = draws.col(static_cast<Eigen::Index>(found - names.begin()));
    const double count = static_cast<double>(draws.rows());
    const double mean = column.mean();
    const double sum_of_squares = (column.array() - mean).square().sum();
    const double sd = std::sqrt(sum_of_squares / (count - 1.0));

    ParameterScore score;
    score.name = parameter.name;
    score.ref_mean = parameter.mean;
    score.ref_sd = parameter.sd;
    score.mean = mean;
    score.sd = sd;
    score.standardized_error = std::abs(mean - parameter.mean) / parameter.sd;
    score.sd_ratio = sd / parameter.sd;
    scores.push_back(std::move(score));
  }
  return scores;
}

/// One fit of one family to one posterior with one seed.
struct FitRecord {
  std::string posterior;
  std::string family;
  int seed = 0;
  /// PSIS k-hat of log p - log q over draws from the fitted q; +inf when the tail fit failed.
  double k_hat = std::numeric_limits<double>::infinity();
  /// Final objective estimate, the mean of the last iterations' objective values.
  double objective = std::numeric_limits<double>::quiet_NaN();
  bool converged = false;
  std::string stop_reason;
  long long iterations = 0;
  long long gradient_evaluations = 0;
  /// Samples a step left out because the log density or its gradient was not finite there.
  long long dropped_samples = 0;
  /// Steps the fit rejected and retried with a smaller step size.
  long long rejected_steps = 0;
  /// Whether the fit started from the whitened Laplace approximation, and the map it used or
  /// the reason it did not.
  bool laplace_used = false;
  std::string laplace_message;
  double wall_seconds = 0.0;
  /// Objective per iteration; empty when not recorded.
  std::vector<double> objective_trace;
  std::vector<ParameterScore> parameters;
};

/// Returns the largest standardized error over a fit's parameters (+inf if one is NaN, 0 for a
/// fit without parameters).
inline double worst_standardized_error(const FitRecord& record) {
  double worst = 0.0;
  for (const ParameterScore& score : record.parameters) {
    if (std::isnan(score.standardized_error)) {
      return std::numeric_limits<double>::infinity();
    }
    worst = std::max(worst, score.standardized_error);
  }
  return worst;
}

/// Flags a fit that looks trustworthy by PSIS (k-hat at most 0.7) while some mean is off by more
/// than half a reference sd.
inline bool is_confident_and_wrong(const FitRecord& record) {
  return worst_standardized_error(record) > 0.5 && record.k_hat <= 0.7;
}

namespace io_detail {

// JSON has no inf or NaN; such values are stored as null and read back as NaN.
inline nlohmann::json number_or_null(double value) {
  if (std::isfinite(value)) {
    return value;
  }
  return nullptr;
}

inline double number_from_json(const nlohmann::json& value) {
  if (value.is_null()) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  return value.get<double>();
}

}  // namespace io_detail

/// Converts a record to the results.json layout.
inline nlohmann::json to_json(const FitRecord& record) {
  nlohmann::json parameters = nlohmann::json::array();
  for (const ParameterScore& score : record.parameters) {
    parameters.push_back(
        {{"name", score.name},
         {"ref_mean", score.ref_mean},
         {"ref_sd", score.ref_sd},
         {"mean", io_detail::number_or_null(score.mean)},
         {"sd", io_detail::number_or_null(score.sd)},
         {"standardized_error", io_detail::number_or_null(score.standardized_error)},
         {"sd_ratio", io_detail::number_or_null(score.sd_ratio)}});
  }
  nlohmann::json trace = nlohmann::json::array();
  for (const double value : record.objective_trace) {
    trace.push_back(io_detail::number_or_null(value));
  }
  nlohmann::json document = {{"posterior", record.posterior},
                             {"family", record.family},
                             {"seed", record.seed},
                             {"k_hat", io_detail::number_or_null(record.k_hat)},
                             {"objective", io_detail::number_or_null(record.objective)},
                             {"converged", record.converged},
                             {"stop_reason", record.stop_reason},
                             {"iterations", record.iterations},
                             {"gradient_evaluations", record.gradient_evaluations},
                             {"wall_seconds", record.wall_seconds},
                             {"dropped_samples", record.dropped_samples},
                             {"rejected_steps", record.rejected_steps},
                             {"laplace_used", record.laplace_used},
                             {"laplace_message", record.laplace_message},
                             {"parameters", std::move(parameters)}};
  if (!record.objective_trace.empty()) {
    document["objective_trace"] = std::move(trace);
  }
  return document;
}

/// Reads a record back from the results.json layout. A null k_hat reads as +inf (a failed tail
/// fit), other nulls as NaN. Throws nlohmann::json::exception if a field is missing.
inline FitRecord fit_record_from_json(const nlohmann::json& document) {
  FitRecord record;
  record.posterior = document.at("posterior").get<std::string>();
  record.family = document.at("family").get<std::string>();
  record.seed = document.at("seed").get<int>();
  record.k_hat = document.at("k_hat").is_null() ? std::numeric_limits<double>::infinity()
                                                : document.at("k_hat").get<double>();
  record.objective = io_detail::number_from_json(document.at("objective"));
  record.converged = document.at("converged").get<bool>();
  record.stop_reason = document.value("stop_reason", std::string());
  record.iterations = document.at("iterations").get<long long>();
  record.gradient_evaluations = document.at("gradient_evaluations").get<long long>();
  record.wall_seconds = document.at("wall_seconds").get<double>();
  record.dropped_samples = document.value("dropped_samples", 0LL);
  record.rejected_steps = document.value("rejected_steps", 0LL);
  record.laplace_used = document.value("laplace_used", false);
  record.laplace_message = document.value("laplace_message", std::string());
  if (document.contains("objective_trace")) {
    for (const nlohmann::json& value : document.at("objective_trace")) {
      record.objective_trace.push_back(io_detail::number_from_json(value));
    }
  }
  for (const nlohmann::json& entry : document.at("parameters")) {
    ParameterScore score;
    score.name = entry.at("name").get<std::string>();
    score.ref_mean = entry.at("ref_mean").get<double>();
    score.ref_sd = entry.at("ref_sd").get<double>();
    score.mean = io_detail::number_from_json(entry.at("mean"));
    score.sd = io_detail::number_from_json(entry.at("sd"));
    score.standardized_error = io_detail::number_from_json(entry.at("standardized_error"));
    score.sd_ratio = io_detail::number_from_json(entry.at("sd_ratio"));
    record.parameters.push_back(std::move(score));
  }
  return record;
}

/// Converts all records to the results.json document {"fits": [...]}.
inline nlohmann::json results_to_json(const std::vector<FitRecord>& records) {
  nlohmann::json fits = nlohmann::json::array();
  for (const FitRecord& record : records) {
    fits.push_back(to_json(record));
  }
  return {{"fits", std::move(fits)}};
}

}  // namespace varia::posteriordb
