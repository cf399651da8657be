#pragma once
// The engine's own data-set kinds, registered by registerBuiltinDatasets (dataset.cpp).

#include "data/dataset.h"

#include <memory>
#include <string>

namespace qs {

bool probeCifar(const std::string &path);
std::unique_ptr<Dataset> openCifar(const std::string &path, const DatasetOptions &options);

bool probeIdx(const std::string &path);
std::unique_ptr<Dataset> openIdx(const std::string &path, const DatasetOptions &options);

bool probeNpy(const std::string &path);
std::unique_ptr<Dataset> openNpy(const std::string &path, const DatasetOptions &options);

// Throws "<data>: N records but <labels> holds M labels" when the counts differ.
void checkLabelCount(const std::string &dataPath, int64_t records, const std::string &labelPath, size_t labels);

} // namespace qs
