#pragma once
// quantscope-cli sensitivity and compress: the per-layer sensitivity table, greedy ratio selection,
// compression, optional fine-tuning and export. The flags both commands share are parsed here.

#include "commands.h"

#include "compress/sensitivity.h"

#include <nlohmann/json.hpp>

namespace qs::cli {

// sensitivity MODEL --data PATH [--labels FILE] [--preprocess JSON_OR_FILE]
//   --method spatial-svd|weight-svd|channel-pruning [--candidates 10] [--eval-offset K] [--eval-limit N]
//   [--cache FILE] [--metric mac|memory] [--round-to 8] [--batch B] [--threads T] [--layers A,B]
//   [--recon-images N] [--no-prefix-reuse] [--json]
int cmdSensitivity(const Argv &argv);
// compress MODEL (data and evaluation flags of sensitivity)
//   --method spatial-svd|weight-svd|channel-pruning|svd+pruning --target R [--metric mac|memory]
//   [--cache FILE] [--ratios FILE] [--test-offset K --test-limit N] [--finetune-epochs E
//   --train-offset K --train-samples N [--finetune-lr LR] [--finetune-batch B]] [--export DIR] [--json]
int cmdCompress(const Argv &argv);

// Option specs shared by both commands.
std::vector<OptionSpec> sensitivityOptionSpecs();
// SensitivityOptions from the shared flags (method given separately; svd+pruning runs two tables).
SensitivityOptions sensitivityOptionsFromArgs(const Args &args, CompressMethod method);
// The table as {"layer": {"0.1": top1, ...}} in table order.
nlohmann::json sensitivityLayersJson(const SensitivityTable &table);

} // namespace qs::cli
