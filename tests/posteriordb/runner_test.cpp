// Tests of the posteriordb runner's input, scoring, results and report helpers.
#include <cmath>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "command_line.hpp"
#include "reference_io.hpp"
#include "report.hpp"
#include "scoring.hpp"
#include "support/catch.hpp"

namespace pdb = varia::posteriordb;

namespace {

nlohmann::json small_reference_json() {
  return nlohmann::json::parse(R"({
    "posterior": "toy-toy",
    "parameters": [
      {"name": "mu", "mean": 2.0, "sd": 0.5, "q05": 1.0},
      {"name": "sigma", "mean": 1.0, "sd": 2.0}
    ]})");
}

pdb::FitRecord make_record(const std::string& family, int seed, double error, double k_hat) {
  pdb::FitRecord record;
  record.posterior = "toy-toy";
  record.family = family;
  record.seed = seed;
  record.k_hat = k_hat;
  record.objective = -12.5;
  record.converged = true;
  record.stop_reason = "converged";
  record.iterations = 100;
  record.gradient_evaluations = 1600;
  record.wall_seconds = 0.25;
  pdb::ParameterScore score;
  score.name = "mu";
  score.ref_mean = 0.0;
  score.ref_sd = 1.0;
  score.mean = error;
  score.sd = 0.75;
  score.standardized_error = error;
  score.sd_ratio = 0.75;
  record.parameters.push_back(score);
  return record;
}

}  // namespace

TEST_CASE("parse_reference reads names, means and sds", "[posteriordb]") {
  const pdb::Reference reference = pdb::parse_reference(small_reference_json());
  CHECK(reference.posterior == "toy-toy");
  REQUIRE(reference.parameters.size() == 2);
  CHECK(reference.parameters[0].name == "mu");
  CHECK(reference.parameters[0].mean == 2.0);
  CHECK(reference.parameters[0].sd == 0.5);
  CHECK(reference.parameters[1].name == "sigma");
  CHECK(reference.parameters[1].sd == 2.0);
}

TEST_CASE("parse_reference rejects bad documents", "[posteriordb]") {
  nlohmann::json missing_sd = small_reference_json();
  missing_sd["parameters"][1].erase("sd");
  CHECK_THROWS_AS(pdb::parse_reference(missing_sd), std::invalid_argument);

  nlohmann::json zero_sd = small_reference_json();
  zero_sd["parameters"][0]["sd"] = 0.0;
  CHECK_THROWS_AS(pdb::parse_reference(zero_sd), std::invalid_argument);

  nlohmann::json no_parameters = small_reference_json();
  no_parameters.erase("parameters");
  CHECK_THROWS_AS(pdb::parse_reference(no_parameters), std::invalid_argument);

  CHECK_THROWS_AS(pdb::parse_reference(nlohmann::json::array()), std::invalid_argument);
}

TEST_CASE("parse_draws_csv reads header and rows", "[posteriordb]") {
  const pdb::DrawTable table = pdb::parse_draws_csv("a,b[1]\r\n1.5,-2\n\n3e-1,4\n");
  REQUIRE(table.names == std::vector<std::string>{"a", "b[1]"});
  REQUIRE(table.values.rows() == 2);
  REQUIRE(table.values.cols() == 2);
  CHECK(table.values(0, 0) == 1.5);
  CHECK(table.values(0, 1) == -2.0);
  CHECK(table.values(1, 0) == 0.3);
  CHECK(table.values(1, 1) == 4.0);
}

TEST_CASE("parse_draws_csv rejects malformed rows", "[posteriordb]") {
  CHECK_THROWS_AS(pdb::parse_draws_csv(""), std::invalid_argument);
  CHECK_THROWS_AS(pdb::parse_draws_csv("a,b\n1,2,3\n"), std::invalid_argument);
  CHECK_THROWS_AS(pdb::parse_draws_csv("a,b\n1,x\n"), std::invalid_argument);
  CHECK_THROWS_AS(pdb::parse_draws_csv("a,b\n1,2x\n"), std::invalid_argument);
  CHECK_THROWS_AS(pdb::parse_draws_csv("a,b\n1,\n"), std::invalid_argument);
}

TEST_CASE("format_draws_csv round trip", "[posteriordb]") {
  pdb::DrawTable table;
  table.names = {"x", "y"};
  table.values.resize(3, 2);
  table.values << 0.5, -1.25, 3.0, 1e-7, 123456.789, -0.1;
  const pdb::DrawTable parsed = pdb::parse_draws_csv(pdb::format_draws_csv(table));
  CHECK(parsed.names == table.names);
  REQUIRE(parsed.values.rows() == 3);
  for (Eigen::Index row = 0; row < 3; ++row) {
    for (Eigen::Index column = 0; column < 2; ++column) {
      CHECK(parsed.values(row, column) ==
            Approx(table.values(row, column)).epsilon(1e-9).margin(0.0));
    }
  }
  table.names.pop_back();
  CHECK_THROWS_AS(pdb::format_draws_csv(table), std::invalid_argument);
}

TEST_CASE("score_draws matches hand computation", "[posteriordb]") {
  const pdb::Reference reference = pdb::parse_reference(small_reference_json());
  // Columns in another order than the reference, with one extra column.
  const std::vector<std::string> names = {"sigma", "extra", "mu"};
  Eigen::MatrixXd draws(4, 3);
  draws << 1.0, 9.0, 1.0,  //
      1.0, 9.0, 2.0,       //
      1.0, 9.0, 3.0,       //
      3.0, 9.0, 4.0;
  const std::vector<pdb::ParameterScore> scores = pdb::score_draws(reference, names, draws);
  REQUIRE(scores.size() == 2);

  // mu: draws 1..4 have mean 2.5 and sample variance 5/3.
  CHECK(scores[0].name == "mu");
  CHECK(scores[0].ref_mean == 2.0);
  CHECK(scores[0].ref_sd == 0.5);
  CHECK(scores[0].mean == Approx(2.5));
  CHECK(scores[0].sd == Approx(std::sqrt(5.0 / 3.0)));
  CHECK(scores[0].standardized_error == Approx(1.0));
  CHECK(scores[0].sd_ratio == Approx(2.0 * std::sqrt(5.0 / 3.0)));

  // sigma: draws 1, 1, 1, 3 have mean 1.5 and sample variance 1.
  CHECK(scores[1].name == "sigma");
  CHECK(scores[1].mean == Approx(1.5));
  CHECK(scores[1].sd == Approx(1.0));
  CHECK(scores[1].standardized_error == Approx(0.25));
  CHECK(scores[1].sd_ratio == Approx(0.5));
}

TEST_CASE("score_draws rejects mismatched input", "[posteriordb]") {
  const pdb::Reference reference = pdb::parse_reference(small_reference_json());
  const Eigen::MatrixXd draws = Eigen::MatrixXd::Ones(5, 2);
  CHECK_THROWS_AS(pdb::score_draws(reference, {"mu", "tau"}, draws), std::invalid_argument);
  CHECK_THROWS_AS(pdb::score_draws(reference, {"mu"}, draws), std::invalid_argument);
  CHECK_THROWS_AS(pdb::score_draws(reference, {"mu", "sigma"}, Eigen::MatrixXd::Ones(1, 2)),
                  std::invalid_argument);
}

#ifdef VARIA_POSTERIORDB_DATA
TEST_CASE("reference draws reproduce reference summaries", "[posteriordb]") {
  // The summaries were computed from all 10,000 draws. draws.csv stores them with 6 significant
  // digits, or only every k-th draw of each chain when the file would be large.
  std::size_t folders = 0;
  for (const auto& entry : std::filesystem::directory_iterator(VARIA_POSTERIORDB_DATA)) {
    if (!entry.is_directory()) {
      continue;
    }
    ++folders;
    const std::string folder = entry.path().string();
    const nlohmann::json document = pdb::read_json_file(folder + "/reference.json");
    const pdb::Reference reference = pdb::parse_reference(document);
    const pdb::DrawTable table = pdb::read_draws_csv(folder + "/draws.csv");
    INFO(reference.posterior);
    REQUIRE(table.names.size() == reference.parameters.size());
    const bool thinned = table.values.rows() < document.at("ndraws").get<Eigen::Index>();
    // With n thinned draws, the standardized error has an sd of about 1 / sqrt(n), so 4 / sqrt(n)
    // bounds it. The sd ratio's relative error has an sd of about 1 / sqrt(2 n).
    const double count = static_cast<double>(table.values.rows());
    const double error_bound = thinned ? 4.0 / std::sqrt(count) : 1e-4;
    const double ratio_bound = thinned ? 4.0 / std::sqrt(2.0 * count) : 1e-4;
    for (const pdb::ParameterScore& score :
         pdb::score_draws(reference, table.names, table.values)) {
      INFO(score.name);
      CHECK(score.standardized_error < error_bound);
      CHECK(std::abs(score.sd_ratio - 1.0) < ratio_bound);
    }
  }
  CHECK(folders >= 1);
}
#endif

TEST_CASE("worst error and confident-and-wrong flag", "[posteriordb]") {
  pdb::FitRecord record = make_record("MeanFieldGaussian", 1, 0.2, 0.3);
  record.parameters.push_back(record.parameters.front());
  record.parameters.back().standardized_error = 0.6;
  CHECK(pdb::worst_standardized_error(record) == 0.6);
  CHECK(pdb::is_confident_and_wrong(record));
  record.k_hat = 0.71;
  CHECK_FALSE(pdb::is_confident_and_wrong(record));
  record.k_hat = 0.7;
  record.parameters.back().standardized_error = 0.5;
  CHECK_FALSE(pdb::is_confident_and_wrong(record));
  record.parameters.back().standardized_error = std::numeric_limits<double>::quiet_NaN();
  CHECK(std::isinf(pdb::worst_standardized_error(record)));
}

TEST_CASE("results JSON has the documented fields", "[posteriordb]") {
  pdb::FitRecord record = make_record("FullRankGaussian", 3, 0.1, 0.2);
  record.objective_trace = {-20.0, -15.0, -12.5};
  const nlohmann::json document = pdb::results_to_json({record});
  REQUIRE(document.at("fits").size() == 1);
  const nlohmann::json& fit = document.at("fits").at(0);
  for (const char* field : {"posterior", "family", "seed", "k_hat", "objective", "converged",
                            "iterations", "gradient_evaluations", "wall_seconds", "parameters"}) {
    INFO(field);
    CHECK(fit.contains(field));
  }
  const nlohmann::json& parameter = fit.at("parameters").at(0);
  for (const char* field :
       {"name", "ref_mean", "ref_sd", "mean", "sd", "standardized_error", "sd_ratio"}) {
    INFO(field);
    CHECK(parameter.contains(field));
  }
  CHECK(fit.at("seed") == 3);
  CHECK(fit.at("objective_trace").size() == 3);
}

TEST_CASE("results JSON round trip", "[posteriordb]") {
  pdb::FitRecord record = make_record("LowRankGaussian", 2, 0.4, 0.9);
  record.k_hat = std::numeric_limits<double>::infinity();
  record.objective_trace = {-3.0, std::numeric_limits<double>::quiet_NaN()};
  const nlohmann::json document = pdb::to_json(record);
  CHECK(document.at("k_hat").is_null());
  const pdb::FitRecord parsed = pdb::fit_record_from_json(nlohmann::json::parse(document.dump()));
  CHECK(parsed.posterior == record.posterior);
  CHECK(parsed.family == record.family);
  CHECK(parsed.seed == 2);
  CHECK(std::isinf(parsed.k_hat));
  CHECK(parsed.objective == record.objective);
  CHECK(parsed.converged);
  CHECK(parsed.stop_reason == "converged");
  CHECK(parsed.iterations == 100);
  CHECK(parsed.gradient_evaluations == 1600);
  CHECK(parsed.wall_seconds == 0.25);
  REQUIRE(parsed.objective_trace.size() == 2);
  CHECK(std::isnan(parsed.objective_trace[1]));
  REQUIRE(parsed.parameters.size() == 1);
  CHECK(parsed.parameters[0].standardized_error == 0.4);
  CHECK(parsed.parameters[0].sd_ratio == 0.75);
}

TEST_CASE("median of odd, even and empty lists", "[posteriordb]") {
  CHECK(pdb::median({3.0, 1.0, 2.0}) == 2.0);
  CHECK(pdb::median({4.0, 1.0, 3.0, 2.0}) == 2.5);
  CHECK(std::isnan(pdb::median({})));
  CHECK(pdb::median({std::numeric_limits<double>::quiet_NaN(), 1.0, 2.0}) == 2.0);
}

TEST_CASE("summarize_family over seeds", "[posteriordb]") {
  const pdb::FitRecord first = make_record("MeanFieldGaussian", 1, 0.1, 0.2);
  pdb::FitRecord second = make_record("MeanFieldGaussian", 2, 0.3, 0.6);
  second.parameters[0].sd_ratio = 1.5;
  second.wall_seconds = 0.75;
  second.converged = false;
  pdb::FitRecord third = make_record("MeanFieldGaussian", 3, 0.9, 0.4);
  third.parameters[0].sd_ratio = 0.5;
  const pdb::FamilySummary summary = pdb::summarize_family({&first, &second, &third});
  CHECK(summary.family == "MeanFieldGaussian");
  CHECK(summary.fits == 3);
  CHECK(summary.median_worst_error == 0.3);
  CHECK(summary.max_worst_error == 0.9);
  CHECK(summary.min_sd_ratio == 0.5);
  CHECK(summary.max_sd_ratio == 1.5);
  CHECK(summary.median_k_hat == 0.4);
  CHECK(summary.median_seconds == 0.25);
  CHECK(summary.converged == 2);
}

TEST_CASE("report lists posteriors, notes and flagged fits", "[posteriordb]") {
  std::vector<pdb::FitRecord> records = {make_record("MeanFieldGaussian", 1, 0.1, 0.2),
                                         make_record("MeanFieldGaussian", 2, 0.8, 0.3),
                                         make_record("FullRankGaussian", 1, 0.05, 0.9)};
  pdb::FitRecord kidiq = make_record("MeanFieldGaussian", 1, 0.2, 0.2);
  kidiq.posterior = "kidiq-kidscore_interaction";
  records.push_back(kidiq);
  const std::string report = pdb::render_report(records, {2, 4000, "plots"});
  CHECK(report.find("## toy-toy") != std::string::npos);
  CHECK(report.find("## kidiq-kidscore_interaction") != std::string::npos);
  CHECK(report.find(std::string(pdb::posterior_note("kidiq-kidscore_interaction"))) !=
        std::string::npos);
  CHECK_FALSE(pdb::posterior_note("kidiq-kidscore_interaction").empty());
  CHECK(pdb::posterior_note("toy-toy").empty());
  // The seed-2 mean-field fit is off by 0.8 sd with k-hat 0.3.
  CHECK(report.find("| toy-toy | MeanFieldGaussian | 2 | 0.8 | mu | 0.3 |") != std::string::npos);
  // The summary cell contains the median worst error over seeds and the median k-hat.
  CHECK(report.find("| toy-toy | 0.45 (0.25) | 0.05 (0.9) |") != std::string::npos);
  CHECK(report.find("plots/toy-toy_objective.png") != std::string::npos);
}

TEST_CASE("command line parses every option", "[posteriordb]") {
  const pdb::RunOptions options = pdb::parse_command_line(
      {"--data", "in", "--out", "out", "--seeds", "3", "--posterior", "a", "--posterior", "b",
       "--family", "FullRankGaussian", "--draws", "500", "--max-iterations", "20", "--jobs", "2"});
  CHECK(options.data_folder == "in");
  CHECK(options.output_folder == "out");
  CHECK(options.seeds == 3);
  CHECK(options.posteriors == std::vector<std::string>{"a", "b"});
  CHECK(options.families == std::vector<std::string>{"FullRankGaussian"});
  CHECK(options.draws == 500);
  CHECK(options.max_iterations == 20);
  CHECK(options.jobs == 2);
  CHECK_FALSE(options.help);
  CHECK(pdb::parse_command_line({"--help"}).help);
}

TEST_CASE("command line usage errors", "[posteriordb]") {
  using Arguments = std::vector<std::string>;
  CHECK_THROWS_AS(pdb::parse_command_line(Arguments{"--out", "o", "--seeds", "1"}),
                  pdb::UsageError);
  CHECK_THROWS_AS(pdb::parse_command_line(Arguments{"--data", "d", "--seeds", "1"}),
                  pdb::UsageError);
  CHECK_THROWS_AS(pdb::parse_command_line(Arguments{"--data", "d", "--out", "o"}), pdb::UsageError);
  CHECK_THROWS_AS(pdb::parse_command_line(Arguments{"--data", "d", "--out", "o", "--seeds", "0"}),
                  pdb::UsageError);
  CHECK_THROWS_AS(pdb::parse_command_line(Arguments{"--data", "d", "--out", "o", "--seeds", "2x"}),
                  pdb::UsageError);
  CHECK_THROWS_AS(
      pdb::parse_command_line(Arguments{"--data", "d", "--out", "o", "--seeds", "1", "--draws"}),
      pdb::UsageError);
  CHECK_THROWS_AS(
      pdb::parse_command_line(Arguments{"--data", "d", "--out", "o", "--seeds", "1", "--fast"}),
      pdb::UsageError);
}
