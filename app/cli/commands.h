#pragma once
// quantscope-cli subcommands. Each takes the arguments after its name, prints its result to
// stdout (JSON with --json) and returns the exit status. Errors are thrown: qs::Exception
// (exit 1) or qs::cli::UsageError (exit 2); main() prints them as one "error:" line.

#include "cliargs.h"

#include "data/dataset.h"
#include "data/preprocess.h"
#include "runtime/executor.h"

#include <memory>
#include <string>
#include <vector>

namespace qs::cli {

using Argv = std::vector<std::string>;

int cmdInfo(const Argv &argv);
int cmdRun(const Argv &argv);
int cmdEval(const Argv &argv);
int cmdBench(const Argv &argv);
int cmdQuantize(const Argv &argv);
int cmdExportData(const Argv &argv);
int cmdFinetune(const Argv &argv);

// Compiles the model's executor; errors name the model file.
std::unique_ptr<Executor> createExecutor(const std::string &modelPath, const Graph &graph);

// The data set named by --data (labels from --labels) and the --preprocess settings.
struct DataSpec {
    std::unique_ptr<Dataset> data;
    Preprocess preprocess;
};
DataSpec openDataSpec(const Args &args, const std::string &dataPath);

// Sets LibTorch's thread count from --threads (default: all cores) and returns it.
int applyThreads(int64_t requested);

} // namespace qs::cli
