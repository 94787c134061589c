// Command-line options of varia_posteriordb.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace varia::posteriordb {

/// A command line that cannot be run; the message states which argument is invalid and why.
class UsageError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// Settings of one run.
struct RunOptions {
  std::string data_folder;
  std::string output_folder;
  int seeds = 0;
  /// Posterior folder names to run; empty runs every folder that the registry has a model for.
  std::vector<std::string> posteriors;
  /// Family names to run; empty runs every family.
  std::vector<std::string> families;
  /// Draws from each fitted approximation for scoring and k-hat.
  int draws = 4000;
  /// Iteration limit per fit; 0 keeps the fit's default.
  int max_iterations = 0;
  /// Fits run at the same time, one thread each.
  int jobs = 1;
  bool help = false;
};

inline constexpr std::string_view usage_text =
    "usage: varia_posteriordb --data DIR --out DIR --seeds N [--posterior NAME ...]\n"
    "                         [--family NAME ...] [--draws N] [--max-iterations N] [--jobs N]\n"
    "                         [--help]\n"
    "\n"
    "Fits every variational family to every posterior folder in DIR that the model registry\n"
    "knows, with seeds 1..N, and scores each fit against the folder's reference.json.\n"
    "\n"
    "  --data DIR            folder with one subfolder per posterior (data.json, reference.json)\n"
    "  --out DIR             output folder for results.json, report.md and draws/ (created)\n"
    "  --seeds N             number of seeds per posterior and family, N >= 1\n"
    "  --posterior NAME      run only this posterior (repeatable)\n"
    "  --family NAME         run only this family (repeatable)\n"
    "  --draws N             draws from each fitted approximation, N >= 100 (default 4000)\n"
    "  --max-iterations N    iteration limit of each fit, N >= 1 (default: the fit's own)\n"
    "  --jobs N              fits run in parallel, one thread each, N >= 1 (default 1)\n"
    "  --help                print this text and exit\n";

namespace io_detail {

inline int parse_count(std::string_view option, const std::string& text, int minimum) {
  std::size_t used = 0;
  long value = 0;
  try {
    value = std::stol(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || value < minimum || value > 100000000) {
    throw UsageError(std::string(option) + " is '" + text + "', expected an integer from " +
                     std::to_string(minimum) + " to 100000000");
  }
  return static_cast<int>(value);
}

}  // namespace io_detail

/// Parses the arguments after the program name. Throws UsageError for an unknown option, a
/// missing value, an invalid number, or a missing --data, --out or --seeds (unless --help).
inline RunOptions parse_command_line(const std::vector<std::string>& arguments) {
  RunOptions options;
  bool seeds_given = false;
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    const std::string& argument = arguments[i];
    if (argument == "--help" || argument == "-h") {
      options.help = true;
      continue;
    }
    const bool takes_value = argument == "--data" || argument == "--out" || argument == "--seeds" ||
                             argument == "--posterior" || argument == "--family" ||
                             argument == "--draws" || argument == "--max-iterations" ||
                             argument == "--jobs";
    if (!takes_value) {
      throw UsageError("unknown argument '" + argument + "'");
    }
    if (i + 1 >= arguments.size()) {
      throw UsageError(argument + " needs a value");
    }
    const std::string& value = arguments[++i];
    if (argument == "--data") {
      options.data_folder = value;
    } else if (argument == "--out") {
      options.output_folder = value;
    } else if (argument == "--seeds") {
      options.seeds = io_detail::parse_count(argument, value, 1);
      seeds_given = true;
    } else if (argument == "--posterior") {
      options.posteriors.push_back(value);
    } else if (argument == "--family") {
      options.families.push_back(value);
    } else if (argument == "--draws") {
      options.draws = io_detail::parse_count(argument, value, 100);
    } else if (argument == "--max-iterations") {
      options.max_iterations = io_detail::parse_count(argument, value, 1);
    } else {
      options.jobs = io_detail::parse_count(argument, value, 1);
    }
  }
  if (options.help) {
    return options;
  }
  if (options.data_folder.empty()) {
    throw UsageError("--data is missing");
  }
  if (options.output_folder.empty()) {
    throw UsageError("--out is missing");
  }
  if (!seeds_given) {
    throw UsageError("--seeds is missing");
  }
  return options;
}

}  // namespace varia::posteriordb
