// varia_posteriordb: fits every variational family to posteriordb posteriors with several seeds
// and scores the fits against the reference draws' summaries. Usage: see usage_text in
// command_line.hpp, or run with --help.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <vector>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include <varia/family/full_rank_gaussian.hpp>
#include <varia/family/low_rank_gaussian.hpp>
#include <varia/family/mean_field_gaussian.hpp>
#include <varia/family/student_t_location_scale.hpp>
#include <varia/fit.hpp>

#include "command_line.hpp"
#include "models/registry.hpp"
#include "reference_io.hpp"
#include "report.hpp"
#include "scoring.hpp"

namespace {

namespace pdb = varia::posteriordb;

// The families of a run. Each entry has an identifier (used by --family and in file names) and
// makes the family's starting point for a dimension. A new family joins every run by adding an
// entry here and to FamilyList.
struct MeanFieldEntry {
  static constexpr std::string_view id = "MeanFieldGaussian";
  static varia::MeanFieldGaussian make(Eigen::Index dimension) {
    return varia::MeanFieldGaussian(dimension);
  }
};

struct FullRankEntry {
  static constexpr std::string_view id = "FullRankGaussian";
  static varia::FullRankGaussian make(Eigen::Index dimension) {
    return varia::FullRankGaussian(dimension);
  }
};

struct LowRankEntry {
  static constexpr std::string_view id = "LowRankGaussian";
  // Rank 3 (or d when d < 3): enough for the few dominant correlations of these posteriors
  // while staying cheaper than the full-rank family at d = 26.
  static varia::LowRankGaussian make(Eigen::Index dimension) {
    return varia::LowRankGaussian(dimension, std::min<Eigen::Index>(dimension, 3));
  }
};

// NOTE: with nu = 5, exp(z) of a t-distributed z has no finite mean, so for parameters
// constrained through exp (scales, ordered offsets) the standardized error of this family
// measures the draws' sample mean of a quantity whose mean is infinite.
struct StudentTEntry {
  static constexpr std::string_view id = "StudentTLocationScale";
  static varia::StudentTLocationScale make(Eigen::Index dimension) {
    return varia::StudentTLocationScale(dimension);
  }
};

using FamilyList = std::tuple<MeanFieldEntry, FullRankEntry, LowRankEntry, StudentTEntry>;

std::vector<std::string> family_ids() {
  std::vector<std::string> ids;
  std::apply([&ids](auto... entry) { (ids.emplace_back(decltype(entry)::id), ...); }, FamilyList{});
  return ids;
}

std::string join(const std::vector<std::string>& words) {
  std::string text;
  for (const std::string& word : words) {
    text += (text.empty() ? "" : ", ") + word;
  }
  return text;
}

bool contains(const std::vector<std::string>& list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

// The scoring draws of a fit with seed k come from seed k + scoring_seed_offset, so that they
// do not reuse the base noise of the fit's first iterations.
constexpr std::uint64_t scoring_seed_offset = 1000000;

// Returns the mean of the log ratios log p - log q, an ELBO estimate; -inf when a draw has a
// zero weight.
double mean_of_log_ratios(const Eigen::VectorXd& log_ratios) {
  return log_ratios.allFinite() ? log_ratios.mean() : -std::numeric_limits<double>::infinity();
}

class Runner {
 public:
  explicit Runner(pdb::RunOptions options) : options_(std::move(options)) {}

  // Runs every selected posterior; returns the number of fits that failed with an exception.
  int run() {
    namespace fs = std::filesystem;
    if (!fs::is_directory(options_.data_folder)) {
      throw pdb::UsageError("--data " + options_.data_folder + ": not a folder");
    }
    const std::vector<std::string> known = known_posteriors_sorted();
    std::vector<std::string> folders;
    for (const auto& entry : fs::directory_iterator(options_.data_folder)) {
      if (entry.is_directory()) {
        folders.push_back(entry.path().filename().string());
      }
    }
    std::sort(folders.begin(), folders.end());
    for (const std::string& requested : options_.posteriors) {
      if (!contains(folders, requested)) {
        throw pdb::UsageError("--posterior " + requested + ": no such folder in " +
                              options_.data_folder);
      }
      if (!contains(known, requested)) {
        throw pdb::UsageError("--posterior " + requested +
                              ": no model for it; known posteriors: " + join(known));
      }
    }
    const std::vector<std::string> families = family_ids();
    for (const std::string& requested : options_.families) {
      if (!contains(families, requested)) {
        throw pdb::UsageError("--family " + requested +
                              ": unknown family; families: " + join(families));
      }
    }

    fs::create_directories(fs::path(options_.output_folder) / "draws");
    for (const std::string& folder : folders) {
      if (!options_.posteriors.empty() && !contains(options_.posteriors, folder)) {
        continue;
      }
      if (!contains(known, folder)) {
        std::fprintf(stderr, "varia_posteriordb: skipping %s: no model for this posterior\n",
                     folder.c_str());
        continue;
      }
      run_posterior(folder);
      write_results();
    }
    write_results();
    write_report();
    return failures_;
  }

 private:
  static std::vector<std::string> known_posteriors_sorted() {
    std::vector<std::string> known = varia::posteriordb::known_posteriors();
    std::sort(known.begin(), known.end());
    return known;
  }

  // One fit to run: its family, its seed and the work itself.
  struct Job {
    std::string family;
    int seed = 0;
    std::function<pdb::FitRecord()> fit;
  };

  void run_posterior(const std::string& posterior) {
    const std::string folder = options_.data_folder + "/" + posterior;
    const nlohmann::json data = pdb::read_json_file(folder + "/data.json");
    const pdb::Reference reference = pdb::read_reference(folder + "/reference.json");
    varia::posteriordb::visit_posterior(posterior, data, [&](const auto& model) {
      std::vector<Job> jobs;
      std::apply([&](auto... entry) { (add_jobs(model, reference, entry, jobs), ...); },
                 FamilyList{});
      run_jobs(reference.posterior, jobs);
    });
  }

  template <class Model, class Entry>
  void add_jobs(const Model& model, const pdb::Reference& reference, Entry /*entry*/,
                std::vector<Job>& jobs) {
    if (!options_.families.empty() && !contains(options_.families, Entry::id)) {
      return;
    }
    for (int seed = 1; seed <= options_.seeds; ++seed) {
      jobs.push_back({std::string(Entry::id), seed, [this, &model, &reference, seed] {
                        return fit_one<Entry>(model, reference, seed);
                      }});
    }
  }

  // Runs the jobs on options_.jobs threads and appends their records in job order. The
  // autodiff tape is thread-local, and each job has its own family and output file, so jobs
  // share only the read-only model and reference.
  void run_jobs(const std::string& posterior, const std::vector<Job>& jobs) {
    std::vector<std::optional<pdb::FitRecord>> records(jobs.size());
    std::atomic<std::size_t> next{0};
    std::atomic<int> failures{0};
    const auto work = [&] {
      for (std::size_t index = next++; index < jobs.size(); index = next++) {
        const Job& job = jobs[index];
        try {
          records[index] = job.fit();
          const pdb::FitRecord& record = *records[index];
          const std::string start_note =
              record.laplace_used ? ""
                                  : ", without the Laplace start (" + record.laplace_message + ")";
          std::fprintf(stderr,
                       "%s %s seed %d: %lld iterations (%s), k-hat %.2f, worst standardized "
                       "error %.3f, %.2f s%s\n",
                       posterior.c_str(), job.family.c_str(), job.seed, record.iterations,
                       record.stop_reason.c_str(), record.k_hat,
                       pdb::worst_standardized_error(record), record.wall_seconds,
                       start_note.c_str());
        } catch (const std::exception& error) {
          ++failures;
          std::fprintf(stderr, "%s %s seed %d: fit failed: %s\n", posterior.c_str(),
                       job.family.c_str(), job.seed, error.what());
        }
      }
    };
    std::vector<std::thread> threads;
    for (int thread = 1; thread < options_.jobs; ++thread) {
      threads.emplace_back(work);
    }
    work();
    for (std::thread& thread : threads) {
      thread.join();
    }
    failures_ += failures;
    for (std::optional<pdb::FitRecord>& record : records) {
      if (record) {
        records_.push_back(std::move(*record));
      }
    }
  }

  template <class Entry, class Model>
  pdb::FitRecord fit_one(const Model& model, const pdb::Reference& reference, int seed) {
    varia::FitOptions fit_options;
    fit_options.seed = static_cast<std::uint64_t>(seed);
    if (options_.max_iterations > 0) {
      fit_options.max_iterations = options_.max_iterations;
    }
    const auto result = varia::fit(model, Entry::make(model.dimension()), fit_options);

    const std::uint64_t scoring_seed = static_cast<std::uint64_t>(seed) + scoring_seed_offset;
    const varia::PsisDiagnostic diagnostic =
        varia::psis_diagnostic(model, result, options_.draws, scoring_seed);
    // The same draws as the diagnostic's: both come from result.draws(draws, scoring_seed).
    const Eigen::MatrixXd draws =
        varia::constrained_draws(model, result, options_.draws, scoring_seed).transpose();
    const std::vector<std::string> names = varia::parameter_names(model);

    pdb::FitRecord record;
    record.posterior = reference.posterior;
    record.family = std::string(Entry::id);
    record.seed = seed;
    record.k_hat = diagnostic.k_hat;
    record.objective = mean_of_log_ratios(diagnostic.log_ratios);
    record.stop_reason = std::string(varia::to_string(result.stop_reason));
    record.converged = result.stop_reason == varia::StopReason::converged;
    record.iterations = static_cast<long long>(result.iterations);
    record.gradient_evaluations = static_cast<long long>(result.gradient_evaluations);
    record.wall_seconds = result.wall_seconds;
    record.dropped_samples = static_cast<long long>(result.dropped_samples);
    record.rejected_steps = static_cast<long long>(result.rejected_steps);
    record.laplace_used = result.laplace.used;
    record.laplace_message = result.laplace.message;
    record.parameters = pdb::score_draws(reference, names, draws);
    if (seed == 1) {
      // Traces and draws of the first seed feed the plots; the other seeds keep results.json
      // small.
      record.objective_trace.assign(result.objective_trace.begin(), result.objective_trace.end());
      const std::string path = options_.output_folder + "/draws/" + reference.posterior + "_" +
                               record.family + "_seed1.csv";
      pdb::write_text_file(path, pdb::format_draws_csv({names, draws}));
    }
    return record;
  }

  void write_results() const {
    nlohmann::json document = pdb::results_to_json(records_);
    document["settings"] = {
        {"data_folder", std::filesystem::absolute(options_.data_folder).string()},
        {"seeds", options_.seeds},
        {"draws", options_.draws},
        {"max_iterations", options_.max_iterations}};
    pdb::write_text_file(options_.output_folder + "/results.json", document.dump(1) + "\n");
  }

  void write_report() const {
    pdb::ReportSettings settings;
    settings.seeds = options_.seeds;
    settings.draws = options_.draws;
    pdb::write_text_file(options_.output_folder + "/report.md",
                         pdb::render_report(records_, settings));
  }

  pdb::RunOptions options_;
  std::vector<pdb::FitRecord> records_;
  int failures_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  pdb::RunOptions options;
  try {
    options = pdb::parse_command_line(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const pdb::UsageError& error) {
    std::fprintf(stderr, "varia_posteriordb: %s\n\n%s", error.what(), pdb::usage_text.data());
    return 2;
  }
  if (options.help) {
    std::fputs(pdb::usage_text.data(), stdout);
    return 0;
  }
  try {
    const auto start = std::chrono::steady_clock::now();
    Runner runner(options);
    const int failures = runner.run();
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    std::fprintf(stderr, "varia_posteriordb: wrote %s/results.json and %s/report.md in %.1f s\n",
                 options.output_folder.c_str(), options.output_folder.c_str(), elapsed.count());
    if (failures > 0) {
      std::fprintf(stderr, "varia_posteriordb: %d fits failed\n", failures);
      return 1;
    }
    return 0;
  } catch (const pdb::UsageError& error) {
    std::fprintf(stderr, "varia_posteriordb: %s\n", error.what());
    return 2;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "varia_posteriordb: %s\n", error.what());
    return 1;
  }
}
