#pragma once
// Channel pruning of a Conv's input channels (ALGORITHMS.md §5): L2 selection, least-squares
// reconstruction of the kept weights on sampled activations, and winnowing (removing the matching
// output channels of the producers). Pure C++ (Eigen inside).

#include "compress/layergeometry.h"
#include "graph/graph.h"

#include <cstdint>
#include <string>
#include <vector>

namespace qs {

// Input channels ordered by L2 magnitude sum_{o,h,w} W^2: the `kept` largest, in increasing channel
// order (ties keep the lower channel).
std::vector<int64_t> selectInputChannels(const Tensor &weight, int64_t kept);

// Input channels ranked by backward elimination on the layer's least-squares problem (the
// reconstructWeight problem over all channels): starting from every channel, the channel whose
// removal raises the reconstruction error of W·x least goes first, the others are refitted, and so
// on. Returns all channels, most important first, so the first k are the greedy choice for k kept.
// To bound the work on wide layers, one channel per `featuresPerStep` active features (Cin * kh * kw)
// goes per step, those of the smallest single rises (at least one: layers up to 2047 features drop one
// at a time by default).
std::vector<int64_t> rankInputChannelsLeastSquares(const Tensor &weight, const std::vector<float> &patches,
                                                   const std::vector<float> &targetPatches,
                                                   int64_t featuresPerStep = 1024);

// The first `kept` channels of a ranking, in increasing channel order.
std::vector<int64_t> firstChannels(const std::vector<int64_t> &ranking, int64_t kept);

// The weight restricted to the given input channels (dimension 1).
Tensor sliceInputChannels(const Tensor &weight, const std::vector<int64_t> &channels);

// Samples the conv's input patches at `samplesPerImage` output positions per image. Positions
// depend only on the seed and the image's index in the sample stream, so two models' activations
// sampled with the same sampler line up row by row.
class PatchSampler {
public:
    PatchSampler(const LayerGeometry &geometry, std::vector<int64_t> pads, int samplesPerImage, uint32_t seed);
    // Appends one row of Cin * kh * kw values per sample of `input` (N x Cin x H x W, float32);
    // `firstImage` is the index of input's first image in the stream.
    void addPatches(const Tensor &input, int64_t firstImage, std::vector<float> &rows) const;
    int64_t features() const { return m_g.in * m_g.kh * m_g.kw; }

private:
    LayerGeometry m_g;
    std::vector<int64_t> m_pads; // top, left, bottom, right
    int m_perImage;
    uint32_t m_seed;
};

// Least-squares weight [O, kept, kh, kw] over the kept channels that best reproduces the original
// layer's output W·x (bias excluded): target rows come from `targetPatches` (the original model's
// activations), features from `patches` (the activations the pruned layer will see). Both have
// `features` values per row, channel-major (c, ky, kx) like the weight.
Tensor reconstructWeight(const Tensor &originalWeight, const std::vector<float> &patches,
                         const std::vector<float> &targetPatches, const std::vector<int64_t> &kept);

// What winnowing the input of conv `node` would touch: the per-channel nodes passed on the way
// (BatchNormalization, depthwise Conv; activations need no change) and the Conv whose output
// channels go, or the reason it stops (producer empty).
struct WinnowPath {
    std::vector<std::string> passed;
    std::string producer;
    std::string stop;
};
WinnowPath winnowPath(const Graph &graph, const std::string &node);

struct WinnowResult {
    std::vector<std::string> shrunk; // producer nodes whose channels were removed (nearest first)
    std::string skipped;             // why the producers were left alone ("" when they were winnowed)
};

// Sets the conv's weight to `weight` (its kept input channels). With winnow, the producers are
// shrunk through per-channel ops (activations, BatchNormalization, pooling, depthwise Conv) up to a
// Conv whose output channels are removed; where that is impossible (the tensor feeds other nodes,
// an Add, a graph input ...) or without winnow, a Gather on axis 1 selects the kept channels
// in front of the layer, and `skipped` says why.
WinnowResult applyChannelPruning(Graph &graph, const std::string &node, const std::vector<int64_t> &kept,
                                 const Tensor &weight, bool winnow);

} // namespace qs
