#pragma once
// JSON forms of the equalization and bias-correction reports (for the CLI's --json and files).
// Scale vectors are summarized (min, max, geometric mean); folded BN statistics are listed in
// full.

#include "equalize/biascorrection.h"
#include "equalize/equalize.h"

#include <nlohmann/json.hpp>

namespace qs {

nlohmann::json toJson(const EqualizeReport &report);
nlohmann::json toJson(const BiasCorrectionReport &report);

} // namespace qs
