#pragma once
// Engine-internal (ATen): batch-norm re-estimation after quantization-aware training, as AIMET's
// reestimate_bn_stats: every BatchNormalization runs on batch statistics while the simulation
// (fixed encodings) quantizes weights and activations; the running mean and variance become the
// average of the batch statistics; then the BNs are folded into their layers. Folded layers get
// fresh weight encodings; other quantizers keep theirs, new ones come from calibration.

#include "data/dataset.h"
#include "data/preprocess.h"
#include "quant/quantsim.h"

#include <ATen/ATen.h>

#include <vector>

namespace qs {

class Job;

struct BatchNormReestimation {
    QuantSimOptions sim;
    int batches = 20;
    int batch = 64;
    int64_t calibOffset = 0;
    int64_t calibSamples = 500;
};

struct ReestimatedModel {
    Graph graph;                          // BNs folded
    std::vector<TensorEncoding> encodings; // of a QuantSim on `graph`
};

// images: N x C x H x W training inputs, read in order (batches x batch records at most).
ReestimatedModel reestimateBatchNorms(const Graph &graph, const std::vector<TensorEncoding> &encodings,
                                      const at::Tensor &images, const Dataset &data, const Preprocess &pre,
                                      const BatchNormReestimation &options, Job *job);

} // namespace qs
