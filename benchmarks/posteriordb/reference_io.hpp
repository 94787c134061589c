// Reading a posterior's reference summaries (reference.json) and draw tables (draws.csv), and
// writing draw tables in the same CSV layout.
#pragma once

#include <cmath>
#include <cstddef>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

namespace varia::posteriordb {

/// Reference mean and standard deviation of one constrained quantity.
struct ReferenceParameter {
  std::string name;
  double mean = 0.0;
  double sd = 0.0;
};

/// The reference summaries of one posterior, in the order reference.json lists them.
struct Reference {
  std::string posterior;
  std::vector<ReferenceParameter> parameters;
};

/// A table of draws: one column per named quantity, one row per draw.
struct DrawTable {
  std::vector<std::string> names;
  Eigen::MatrixXd values;
};

/// Reads the whole file at `path`. Throws std::runtime_error if it cannot be opened.
inline std::string read_text_file(const std::string& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) {
    throw std::runtime_error("read_text_file: cannot open '" + path + "' for reading");
  }
  std::ostringstream buffer;
  buffer << stream.rdbuf();
  return buffer.str();
}

/// Parses the JSON file at `path`. Throws std::runtime_error if it cannot be opened or parsed.
inline nlohmann::json read_json_file(const std::string& path) {
  const std::string text = read_text_file(path);
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    throw std::runtime_error("read_json_file: '" + path + "' is not valid JSON: " + error.what());
  }
}

/// Extracts posterior name and parameter summaries from a parsed reference.json. Throws
/// std::invalid_argument naming the field when one is missing, has the wrong type, or when a
/// reference sd is not positive and finite.
inline Reference parse_reference(const nlohmann::json& document) {
  const auto fail = [](const std::string& message) {
    throw std::invalid_argument("parse_reference: " + message);
  };
  if (!document.is_object()) {
    fail("the document is not a JSON object");
  }
  Reference reference;
  if (!document.contains("posterior") || !document.at("posterior").is_string()) {
    fail("field 'posterior' is missing or not a string");
  }
  reference.posterior = document.at("posterior").get<std::string>();
  if (!document.contains("parameters") || !document.at("parameters").is_array() ||
      document.at("parameters").empty()) {
    fail("field 'parameters' is missing, not an array or empty");
  }
  for (const nlohmann::json& entry : document.at("parameters")) {
    ReferenceParameter parameter;
    if (!entry.is_object() || !entry.contains("name") || !entry.at("name").is_string()) {
      fail("an entry of 'parameters' has no string field 'name'");
    }
    parameter.name = entry.at("name").get<std::string>();
    for (const char* field : {"mean", "sd"}) {
      if (!entry.contains(field) || !entry.at(field).is_number()) {
        fail("parameter '" + parameter.name + "' has no numeric field '" + field + "'");
      }
    }
    parameter.mean = entry.at("mean").get<double>();
    parameter.sd = entry.at("sd").get<double>();
    if (!std::isfinite(parameter.mean)) {
      fail("parameter '" + parameter.name + "' has a non-finite mean");
    }
    if (!(parameter.sd > 0.0) || !std::isfinite(parameter.sd)) {
      fail("parameter '" + parameter.name + "' has sd " + std::to_string(parameter.sd) +
           ", expected a positive finite value");
    }
    reference.parameters.push_back(std::move(parameter));
  }
  return reference;
}

/// Reads and parses the reference.json at `path`.
inline Reference read_reference(const std::string& path) {
  return parse_reference(read_json_file(path));
}

namespace io_detail {

inline std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream stream(line);
  while (std::getline(stream, field, ',')) {
    fields.push_back(field);
  }
  if (!line.empty() && line.back() == ',') {
    fields.emplace_back();
  }
  return fields;
}

inline void strip_carriage_return(std::string& line) {
  if (!line.empty() && line.back() == '\r') {
    line.pop_back();
  }
}

}  // namespace io_detail

/// Parses a CSV draw table: a header of names, then one row of numbers per draw. Fields are
/// plain numbers without quotes; blank lines are skipped. Throws std::invalid_argument naming
/// the line when a row has the wrong field count or a field is not a number.
inline DrawTable parse_draws_csv(const std::string& text) {
  std::istringstream stream(text);
  std::string line;
  if (!std::getline(stream, line)) {
    throw std::invalid_argument("parse_draws_csv: the text is empty, expected a header line");
  }
  io_detail::strip_carriage_return(line);
  DrawTable table;
  table.names = io_detail::split_csv_line(line);
  if (table.names.empty()) {
    throw std::invalid_argument("parse_draws_csv: the header line has no names");
  }
  const std::size_t columns = table.names.size();
  std::vector<double> values;
  std::size_t rows = 0;
  std::size_t line_number = 1;
  while (std::getline(stream, line)) {
    ++line_number;
    io_detail::strip_carriage_return(line);
    if (line.empty()) {
      continue;
    }
    const std::vector<std::string> fields = io_detail::split_csv_line(line);
    if (fields.size() != columns) {
      throw std::invalid_argument("parse_draws_csv: line " + std::to_string(line_number) + " has " +
                                  std::to_string(fields.size()) + " fields, expected " +
                                  std::to_string(columns));
    }
    for (const std::string& field : fields) {
      std::size_t used = 0;
      double value = 0.0;
      try {
        value = std::stod(field, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || used != field.size()) {
        throw std::invalid_argument("parse_draws_csv: line " + std::to_string(line_number) +
                                    " has the field '" + field + "', which is not a number");
      }
      values.push_back(value);
    }
    ++rows;
  }
  table.values.resize(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(columns));
  for (std::size_t row = 0; row < rows; ++row) {
    for (std::size_t column = 0; column < columns; ++column) {
      table.values(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(column)) =
          values[row * columns + column];
    }
  }
  return table;
}

/// Reads and parses the draws.csv at `path`.
inline DrawTable read_draws_csv(const std::string& path) {
  return parse_draws_csv(read_text_file(path));
}

/// Formats a draw table as CSV with 9 significant digits, the layout parse_draws_csv reads.
inline std::string format_draws_csv(const DrawTable& table) {
  if (static_cast<std::size_t>(table.values.cols()) != table.names.size()) {
    throw std::invalid_argument("format_draws_csv: the table has " +
                                std::to_string(table.names.size()) + " names but " +
                                std::to_string(table.values.cols()) + " columns");
  }
  std::ostringstream out;
  out << std::setprecision(9);
  for (std::size_t column = 0; column < table.names.size(); ++column) {
    out << (column == 0 ? "" : ",") << table.names[column];
  }
  out << '\n';
  for (Eigen::Index row = 0; row < table.values.rows(); ++row) {
    for (Eigen::Index column = 0; column < table.values.cols(); ++column) {
      out << (column == 0 ? "" : ",") << table.values(row, column);
    }
    out << '\n';
  }
  return out.str();
}

/// Writes `text` to the file at `path`, replacing it. Throws std::runtime_error on failure.
inline void write_text_file(const std::string& path, const std::string& text) {
  std::ofstream stream(path, std::ios::binary | std::ios::trunc);
  if (!stream) {
    throw std::runtime_error("write_text_file: cannot open '" + path + "' for writing");
  }
  stream << text;
  stream.flush();
  if (!stream) {
    throw std::runtime_error("write_text_file: writing '" + path + "' failed");
  }
}

}  // namespace varia::posteriordb
