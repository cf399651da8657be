#pragma once
// One entry per untrusted-input reader. Each feeds one input to the engine exactly as a user's
// file would reach it and returns what happened, as one line: "ok: <summary>" or the error
// message (the scratch file's path replaced by "INPUT"). The libFuzzer targets call them; the
// regression test replays tests/fuzz/regressions/<target>/* and compares with <file>.expected.

#include <string>
#include <vector>

namespace qs::fuzz {

struct Target {
    const char *name;                              // "onnx", "quantconfig", "npy", "cifar", "idx", "session"
    std::string (*run)(const std::string &bytes);
};

const std::vector<Target> &targets();
const Target *findTarget(const std::string &name);

std::string onnxModel(const std::string &bytes);
std::string quantsimConfig(const std::string &bytes);
std::string npyFile(const std::string &bytes);
std::string cifarFile(const std::string &bytes);
std::string idxFile(const std::string &bytes);
std::string sessionFile(const std::string &bytes);

} // namespace qs::fuzz
