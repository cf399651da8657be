#pragma once
// Executor: compiles a Graph into a plan of kernel calls and runs it on LibTorch (CPU).
// Public header: no LibTorch or Qt types. Engine code that needs at::Tensor access (hooks,
// autograd, parameters) includes runtime/executorimpl.h.
// Thread-safety: one Executor runs one batch at a time; create one per thread for parallel runs.

#include "core/error.h"
#include "core/tensor.h"
#include "graph/graph.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace qs {

using TensorMap = std::map<std::string, Tensor>;

struct ExecutorOptions {
    int threads = 0;       // intra-op threads; 0 = all cores
    bool optimize = true;  // inference plan with fused Conv+BN/Pad/activation where it is exact
};

class ExecutorImpl;

class Executor {
public:
    static Result<std::unique_ptr<Executor>> create(const Graph &graph, const ExecutorOptions &options = {});
    ~Executor();

    // Runs one batch. `inputs` holds every graph input by name. With allTensors, the result holds
    // every intermediate tensor too (original graph names), otherwise the graph outputs only.
    Result<TensorMap> run(const TensorMap &inputs, bool allTensors = false);

    const Graph &graph() const;
    ExecutorImpl &impl() { return *m_impl; }

    // Sets LibTorch's intra-op thread count for the process (0 = all cores).
    static void setThreads(int threads);
    // The intra-op thread count of the calling thread.
    static int threads();

private:
    explicit Executor(std::unique_ptr<ExecutorImpl> impl);
    std::unique_ptr<ExecutorImpl> m_impl;
};

} // namespace qs
