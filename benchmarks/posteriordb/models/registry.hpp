// The posteriordb posteriors varia implements, by posteriordb name.
#pragma once

#include <array>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/ark.hpp"
#include "models/diamonds.hpp"
#include "models/eight_schools.hpp"
#include "models/garch11.hpp"
#include "models/gp_pois_regr.hpp"
#include "models/hmm_example.hpp"
#include "models/kidiq.hpp"
#include "models/low_dim_gauss_mix.hpp"

namespace varia::posteriordb {

/// Returns the posteriordb names of the implemented posteriors (the folder names under
/// benchmarks/posteriordb/data), sorted.
inline std::vector<std::string> known_posteriors() {
  return {std::string(ArK::posterior),          std::string(Diamonds::posterior),
          std::string(EightSchools::posterior), std::string(Garch11::posterior),
          std::string(GpPoisRegr::posterior),   std::string(HmmExample::posterior),
          std::string(Kidiq::posterior),        std::string(LowDimGaussMix::posterior)};
}

namespace detail {

template <class Model, class Visitor>
bool visit_if(std::string_view name, const nlohmann::json& data, Visitor& visitor) {
  if (name != Model::posterior) {
    return false;
  }
  const Model model = Model::from_json(data);
  visitor(model);
  return true;
}

}  // namespace detail

/// Builds the model of posterior `name` from its data.json contents and calls visitor(model)
/// with it (a const lvalue of the model's type). Throws std::invalid_argument for an unknown
/// name, listing the known ones, and whatever the model's from_json throws for invalid data.
template <class Visitor>
void visit_posterior(std::string_view name, const nlohmann::json& data, Visitor&& visitor) {
  const bool found = detail::visit_if<ArK>(name, data, visitor) ||
                     detail::visit_if<Diamonds>(name, data, visitor) ||
                     detail::visit_if<EightSchools>(name, data, visitor) ||
                     detail::visit_if<Garch11>(name, data, visitor) ||
                     detail::visit_if<GpPoisRegr>(name, data, visitor) ||
                     detail::visit_if<HmmExample>(name, data, visitor) ||
                     detail::visit_if<Kidiq>(name, data, visitor) ||
                     detail::visit_if<LowDimGaussMix>(name, data, visitor);
  if (!found) {
    std::string known;
    for (const std::string& posterior : known_posteriors()) {
      known += (known.empty() ? "" : ", ") + posterior;
    }
    throw std::invalid_argument("varia::posteriordb::visit_posterior: unknown posterior \"" +
                                std::string(name) + "\", expected one of: " + known);
  }
}

}  // namespace varia::posteriordb
