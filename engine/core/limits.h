#pragma once
// The memory budget for what untrusted files declare (model initializers and activations, data
// arrays): readers refuse a declaration beyond it before allocating anything.

#include "core/error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace qs {

constexpr int64_t kDefaultMemoryLimit = int64_t(4) << 30;

// $QS_MEMORY_LIMIT (bytes, or a number followed by K, M or G, powers of 1024) when set, else
// kDefaultMemoryLimit; Usage error naming the variable when it is not a size.
Result<int64_t> memoryLimitFromEnvironment();

// Bytes of a tensor of `shape` with elements of `elementSize` bytes, or -1 when a dimension is
// negative or the product overflows int64.
int64_t checkedByteSize(const std::vector<int64_t> &shape, size_t elementSize);

// Deepest nesting of arrays and objects in a JSON text (strings skipped), found without parsing it.
// nlohmann::json copies and compares values recursively, so a document nested a hundred thousand
// levels deep overflows the stack after it parsed fine: readers refuse texts deeper than
// kMaxJsonDepth before parsing them.
constexpr int kMaxJsonDepth = 256;
int jsonNestingDepth(const std::string &text);

} // namespace qs
