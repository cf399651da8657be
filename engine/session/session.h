#pragma once
// Session files: what the desktop application restores when a session is reopened. JSON, versioned
// ("quantscope_session": 1); sections this version does not know (e.g. a later wizard's) are kept
// as they were and written back. Layout:
//   { "quantscope_session": 1,
//     "model": {"path", "sha256"},
//     "data": {"path", "labels", "preprocess"},
//     "quantization": {settings}, "results": [{label, settings, fp32, quantized, quantizers}],
//     "sensitivity": [{layer, op, weight, sqnr_alone, top1_alone, sqnr_all_but, top1_all_but}],
//     "ratios": {layer: ratio}, "view": {free-form object of the application's view state} }
// Public header: no Qt, no LibTorch.

#include "analysis/quantrun.h"
#include "core/error.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace qs {

struct SessionResult {
    std::string label; // describeSettings() of the configuration
    QuantRunSettings settings;
    EvalResult fp32;
    EvalResult quantized;
    int quantizers = 0;
};

struct Session {
    static constexpr int kVersion = 1;
    std::string modelPath;
    std::string modelSha256; // hex, empty when unknown
    std::string dataPath;
    std::string labelsPath;
    std::string preprocess;  // JSON object text, as parsePreprocess takes it
    QuantRunSettings settings;
    std::vector<SessionResult> results;
    std::vector<LayerQuantSensitivity> sensitivity; // cached table of the last run
    std::map<std::string, double> ratios;           // chosen compression ratio per layer
    nlohmann::json view = nlohmann::json::object();
    nlohmann::json extra = nlohmann::json::object(); // unknown top-level sections, kept as read
};

nlohmann::json sessionToJson(const Session &session);
// `displayName` names the file in errors: "s.qss: 'results[2].fp32.top1' must be a number".
Result<Session> sessionFromJson(const nlohmann::json &json, const std::string &displayName);

Result<Session> readSession(const std::string &path);
Result<void> writeSession(const std::string &path, const Session &session); // atomic replace

nlohmann::json settingsToJson(const QuantRunSettings &settings);
QuantRunSettings settingsFromJson(const nlohmann::json &json, const std::string &where); // throws qs::Exception

} // namespace qs
