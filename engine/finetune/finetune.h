#pragma once
// Fine-tuning of a classifier through the executor's autograd-capable plan: plain FP32 fine-tuning
// (e.g. after compression), quantization-aware training (weights and activations fake-quantized
// with straight-through gradients, optionally learnable ranges), and label-free distillation from
// the unmodified FP32 model. Public header: no LibTorch, no Qt.
//
// Trainable: float initializers read as weight/bias by Conv, ConvTranspose, Gemm and MatMul, and
// the scale/bias of BatchNormalization (running statistics are not trained; with quantization they
// are re-estimated after training and BN is then folded). Inputs are NCHW float32 batches of the
// model's first input; the model's first output gives the class logits (N x K).
// Thread-safety: one call runs on the calling thread; the Job may be cancelled from any thread.

#include "core/error.h"
#include "graph/graph.h"
#include "quant/encodingsfile.h"
#include "quant/quantsim.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace qs {

class Dataset;
struct Preprocess;
class Job;

enum class FinetuneOptimizer { Sgd, Adam };
enum class LrSchedule { Constant, Cosine, Step };

// Reported after every training batch (also as the Job's progress stage text).
struct TrainProgress {
    int epoch = 0, epochs = 0;      // 1-based
    int64_t batch = 0, batches = 0; // 1-based, within the epoch
    double loss = 0;                // running mean over the epoch so far
    double accuracy = -1;           // running training top-1 (labels), -1 without labels
};
// Quantization-aware training: a QuantSim is built from `sim` and calibrated on
// calibOffset..calibOffset+calibSamples-1 (calibOffset < 0: the first training records); its
// placement and encodings start the training.
struct FinetuneQuantOptions {
    QuantSimOptions sim;
    int64_t calibOffset = -1;
    int64_t calibSamples = 500;
    // Learn every enabled quantizer's scale (and the zero point of asymmetric ones) with LSQ-style
    // gradients, initialised from the calibration (AIMET's training_range_learning_with_<scheme>_init).
    // Off: encodings stay fixed and only the weights learn (straight-through estimator).
    bool learnRanges = true;
    // Learning rate of the ranges in tensor units (encoding min/max, as AIMET). On ResNet-20 W4A4
    // (1 epoch) 3e-3 gave 78.1% against 77.4% at 1e-3 and 77.9% at 1e-2.
    double rangeLr = 3e-3;
    bool reestimateBatchNorm = true; // reset BN running statistics, recompute them under simulation, fold
    int batchNormBatches = 20;      // training batches used for the re-estimation
};

struct FinetuneOptions {
    int epochs = 1;
    // 1e-4 is safe for short runs (1000 images, 1 epoch: 3e-4 fell below PTQ on ResNet-20 W4A4); runs
    // of 2 epochs on 5000 images did better at 3e-4 (W4A4 QAT 79.7-80.0% against 78.5%; 1e-3 diverged).
    double lr = 1e-4;
    int batch = 64;
    FinetuneOptimizer optimizer = FinetuneOptimizer::Adam;
    double momentum = 0.9;   // SGD
    double weightDecay = 0;  // L2 added to the gradient (SGD and Adam)
    LrSchedule schedule = LrSchedule::Cosine; // per step, over all epochs
    int stepEpochs = 1;      // Step: multiply the rate by stepGamma every stepEpochs epochs
    double stepGamma = 0.1;
    // Linear warm-up: the rate ramps from 0 over this fraction of all steps, then follows the schedule.
    double warmup = 0;
    bool augment = true;     // random crop with zero padding 4 and horizontal flip (NCHW images)
    bool distill = false;    // loss = KL(FP32 model's softmax || student's softmax) on the same batch; no labels
    double temperature = 2.0; // distillation softmax temperature (ResNet-20 W4A4: 80.3% at 2, 78.9% at 1)
    // With labels, the loss (1 - w) * cross-entropy + w * distillation (distill = false). 0:
    // cross-entropy only. ResNet-20 W4A4 QAT, 2 epochs at lr 1e-4: 80.6% at 0.5 against 78.5% at 0.
    double distillWeight = 0;
    // The distillation teacher (must take the same input and give the same classes); null: the
    // input model in FP32. Compression passes the uncompressed model.
    const Graph *teacher = nullptr;
    // Train every biased Conv (FP32 only) as Conv followed by batch normalization with batch
    // statistics: the normalization starts as the identity on the training data (scale = the
    // output's standard deviation, shift = its mean), learns its scale and shift, keeps running
    // statistics, and is folded back into the convolution for evaluation and the result.
    bool batchNormTraining = false;
    int64_t trainOffset = 0;
    int64_t trainSamples = -1; // -1: to the end of the data set
    int64_t evalOffset = 0;
    int64_t evalLimit = -1;    // -1: to the end; 0: no evaluation (top1 fields stay -1)
    int threads = 0;           // intra-op threads (0 = all cores)
    uint64_t seed = 1;         // shuffling and augmentation
    // After each epoch the model is evaluated; the best epoch (top-1, then lower loss) is returned.
    // Off: the last epoch is returned.
    bool keepBest = true;
    std::optional<FinetuneQuantOptions> quant;
    std::function<void(const TrainProgress &)> onProgress; // optional, called on the calling thread
};

struct EpochReport {
    int epoch = 0;        // 1-based
    double loss = 0;      // mean training loss over the epoch
    double trainTop1 = 0; // running accuracy on the training batches (labels), -1 when distilling without labels
    double top1 = -1;     // evaluation after the epoch (simulated when quantized), -1 without evaluation
    double seconds = 0;   // training time of the epoch (evaluation excluded)
    double evalSeconds = 0;
};

struct FinetuneResult {
    // The trained model: FP32 weights written back into the initializers (BN folded after
    // re-estimation when quantized). With quantization, `encodings` are the final encodings of
    // every enabled quantizer of a QuantSim built on `graph` with the same options, so
    // QuantSim::create(graph) + setEncodings(encodings) reproduces `after` and exports as `quantize`.
    Graph graph;
    std::vector<TensorEncoding> encodings;
    QuantizerArgs quantizerArgs;
    double fp32Top1 = -1; // the input model in FP32
    double fp32EvalSeconds = 0; // forward time of the FP32 evaluation (inference plan)
    double before = -1;   // the input model as trained: FP32, or the calibrated simulation (PTQ)
    double after = -1;    // the returned model (simulated when quantized)
    std::vector<EpochReport> epochs;
    int bestEpoch = 0;        // epoch the returned weights come from (0: the input model)
    bool cancelled = false;   // cancelled after at least one epoch: the best checkpoint so far
    double trainLoadSeconds = 0;
};

// Works on a copy: `graph` is never modified. A cancel before the first epoch ends returns
// ErrorCode::Cancelled; later, the best checkpoint so far with cancelled = true. Progress stages:
// "calibrating", "epoch E/N loss L acc A" (done/total = batches), "evaluating", "batch norm".
Result<FinetuneResult> finetune(const Graph &graph, const Dataset &data, const Preprocess &pre,
                                const FinetuneOptions &options, Job *job = nullptr);

} // namespace qs
