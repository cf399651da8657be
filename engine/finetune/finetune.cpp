#include "finetune/finetune.h"

#include "finetune/batchnormreestimation.h"
#include "finetune/paramoptimizer.h"
#include "finetune/qatquantizers.h"
#include "finetune/trainingset.h"
#include "jobs/job.h"
#include "runtime/executorimpl.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace qs {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kBnEps = 1e-5, kBnMomentum = 0.1;

double since(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Weights and biases of Conv / ConvTranspose / Gemm / MatMul and BN scale and shift, when they are
// float32 initializers.
std::vector<std::string> trainableParameters(const Graph &graph)
{
    std::set<std::string> names;
    for (const Node &n : graph.nodes) {
        std::vector<size_t> slots;
        if (n.opType == "Conv" || n.opType == "ConvTranspose" || n.opType == "Gemm")
            slots = {1, 2};
        else if (n.opType == "MatMul")
            slots = {0, 1};
        else if (n.opType == "BatchNormalization")
            slots = {1, 2};
        for (size_t s : slots) {
            if (!n.hasInput(s))
                continue;
            const Tensor *t = graph.initializer(n.inputs[s]);
            if (t && t->dtype() == DType::Float32)
                names.insert(n.inputs[s]);
        }
    }
    return {names.begin(), names.end()};
}

Graph graphWith(const Graph &graph, const std::map<std::string, at::Tensor> &params)
{
    Graph g = graph;
    for (const auto &kv : params)
        g.initializers[kv.first] = rt::fromAt(kv.second.detach());
    return g;
}

// Learning-rate multiplier at `step` of `total` (epoch is 0-based).
double lrFactor(const FinetuneOptions &o, int64_t step, int64_t total, int epoch)
{
    const double warm = o.warmup * double(total);
    if (warm >= 1 && double(step) < warm)
        return double(step + 1) / (warm + 1);
    switch (o.schedule) {
    case LrSchedule::Cosine:
        return 0.5 * (1.0 + std::cos(kPi * double(step) / double(std::max<int64_t>(total, 1))));
    case LrSchedule::Step:
        return std::pow(o.stepGamma, double(epoch / std::max(o.stepEpochs, 1)));
    case LrSchedule::Constant:
        break;
    }
    return 1.0;
}

// KL(teacher || student) per sample, at temperature T, scaled by T^2 (Hinton et al.).
at::Tensor distillationLoss(const at::Tensor &student, const at::Tensor &teacher, double temperature)
{
    const at::Tensor logQ = at::log_softmax(student / temperature, 1);
    const at::Tensor logP = at::log_softmax(teacher / temperature, 1);
    const at::Tensor kl = (logP.exp() * (logP - logQ)).sum(1).mean();
    return kl * (temperature * temperature);
}

// A batch normalization trained after a folded convolution (batchNormTraining).
struct TrainBn {
    std::string weight, bias;   // the convolution's initializers
    at::Tensor gamma, beta;     // trainable, per output channel
    at::Tensor runMean, runVar; // running statistics
};

struct Snapshot {
    std::map<std::string, at::Tensor> params; // trainable parameters (detached copies)
    std::vector<TensorEncoding> encodings;
    double top1 = -1;
    int epoch = 0;
};

class Finetuner {
public:
    Finetuner(const Graph &graph, const Dataset &data, const Preprocess &pre, const FinetuneOptions &o, Job *job)
        : m_graph(graph), m_data(data), m_pre(pre), m_o(o), m_job(job)
    {
    }

    FinetuneResult run();

private:
    void validate() const;
    void loadData();
    void setupQuantization();
    void setupTraining();
    void setupBatchNorm(std::vector<at::Tensor> &trainable);
    void installStudentHook();
    void applyParameters();
    EpochReport trainEpoch(int epoch);
    at::Tensor lossOf(const at::Tensor &logits, const at::Tensor &input, const at::Tensor &labels);
    double evaluate(const Graph &graph, const std::vector<TensorEncoding> &encodings);
    Snapshot snapshot(int epoch) const;
    void finish(const Snapshot &best);
    void report(const TrainProgress &p);

    const Graph &m_graph;
    const Dataset &m_data;
    const Preprocess &m_pre;
    const FinetuneOptions &m_o;
    Job *m_job;

    TrainingSet m_train, m_eval;
    std::vector<std::string> m_trainable;
    std::map<std::string, at::Tensor> m_master; // trainable leaves and fixed quantized constants
    std::unique_ptr<Executor> m_executor, m_teacher;
    std::map<std::string, TrainBn> m_bn; // by convolution output
    std::unique_ptr<QatQuantizers> m_qat;
    std::unique_ptr<ParamOptimizer> m_optimizer;
    std::mt19937_64 m_rng;
    std::unique_ptr<Augmenter> m_augmenter;
    int64_t m_step = 0, m_totalSteps = 0;
    FinetuneResult m_result;
};

void Finetuner::validate() const
{
    if (m_o.epochs < 1 || m_o.batch < 1 || !(m_o.lr > 0))
        fail(ErrorCode::Usage, "needs epochs >= 1, batch >= 1 and a positive learning rate");
    if (m_o.batchNormTraining && m_o.quant)
        fail(ErrorCode::Usage, "batch-norm training is for FP32 fine-tuning, not with quantization");
    if (m_graph.inputs.size() != 1 || m_graph.outputs.empty())
        fail(ErrorCode::Unsupported, "fine-tuning needs a model with one input and a logits output");
    const int64_t n = m_data.size();
    const int64_t count = m_o.trainSamples < 0 ? n - m_o.trainOffset : m_o.trainSamples;
    if (m_o.trainOffset < 0 || count < 1 || m_o.trainOffset + count > n)
        fail(ErrorCode::Usage, m_data.path() + ": training records " + std::to_string(m_o.trainOffset) + ".." +
                                   std::to_string(m_o.trainOffset + count - 1) + " are outside the data set of " +
                                   std::to_string(n) + " records");
    if (m_o.evalOffset < 0 || m_o.evalOffset > n || (m_o.evalLimit > 0 && m_o.evalOffset + m_o.evalLimit > n))
        fail(ErrorCode::Usage, m_data.path() + ": evaluation records from " + std::to_string(m_o.evalOffset) +
                                   " are outside the data set of " + std::to_string(n) + " records");
}

void Finetuner::loadData()
{
    const auto t0 = std::chrono::steady_clock::now();
    const int64_t n = m_data.size();
    const int64_t count = m_o.trainSamples < 0 ? n - m_o.trainOffset : m_o.trainSamples;
    if (m_job)
        m_job->setProgress(0, count, "loading data");
    m_train = loadTrainingSet(m_data, m_pre, m_o.trainOffset, count, m_o.threads, m_job);
    const int64_t evalCount = m_o.evalLimit < 0 ? n - m_o.evalOffset : m_o.evalLimit;
    if (evalCount > 0)
        m_eval = loadTrainingSet(m_data, m_pre, m_o.evalOffset, evalCount, m_o.threads, m_job);
    if (!m_o.distill && !m_train.hasLabels)
        fail(ErrorCode::Usage, m_data.path() + ": training records without labels need distillation (--distill)");
    if (m_o.augment && m_train.images.dim() != 4)
        fail(ErrorCode::Usage, m_data.path() + ": augmentation needs image records (N x C x H x W)");
    m_result.trainLoadSeconds = since(t0);
}

// Calibrates a QuantSim on the calibration records; its encodings start the training.
void Finetuner::setupQuantization()
{
    const FinetuneQuantOptions &q = *m_o.quant;
    QuantSimOptions so = q.sim;
    so.executor.threads = m_o.threads;
    auto sim = QuantSim::create(m_graph, so).take();
    const int64_t calibOffset = q.calibOffset < 0 ? m_o.trainOffset : q.calibOffset;
    sim->calibrate(m_data, m_pre, calibOffset, std::min<int64_t>(q.calibSamples, m_data.size() - calibOffset),
                   m_o.batch, m_job)
        .take();
    m_result.quantizerArgs = sim->quantizerArgs();
    if (q.learnRanges)
        m_result.quantizerArgs.quantScheme = std::string("training_range_learning_with_") +
                                             calibrationSchemeName(so.scheme) + "_init";
    if (m_eval.size() > 0)
        m_result.before = evaluateTop1(sim->executor().impl(), m_eval, m_o.batch, m_job);
    m_qat = std::make_unique<QatQuantizers>(sim->encodings(), q.learnRanges);
}

void Finetuner::setupTraining()
{
    ExecutorOptions eo;
    eo.threads = m_o.threads;
    m_executor = Executor::create(m_graph, eo).take();
    if (m_o.distill || m_o.distillWeight > 0)
        m_teacher = Executor::create(m_o.teacher ? *m_o.teacher : m_graph, eo).take();
    m_trainable = trainableParameters(m_graph);
    if (m_trainable.empty())
        fail(ErrorCode::Unsupported, "the model has no trainable float weights (Conv, Gemm, MatMul, BatchNormalization)");
    std::vector<at::Tensor> weights;
    for (const std::string &name : m_trainable) {
        at::Tensor t = rt::toAt(*m_graph.initializer(name)).contiguous();
        t.set_requires_grad(true);
        m_master[name] = t;
        weights.push_back(t);
    }
    // Other quantized initializers stay fixed but are read through their quantizers.
    for (const auto &kv : m_graph.initializers)
        if (m_qat && m_qat->find(kv.first) && !m_master.count(kv.first))
            m_master[kv.first] = rt::toAt(kv.second);
    m_optimizer = std::make_unique<ParamOptimizer>(m_o.optimizer, m_o.momentum, m_o.weightDecay);
    if (m_o.batchNormTraining)
        setupBatchNorm(weights);
    m_optimizer->addGroup(weights, m_o.lr, true);
    if (m_qat) {
        // rangeLr moves encoding ranges in tensor units, whatever the grid size.
        for (const auto &range : m_qat->rangeParametersInTensorUnits())
            m_optimizer->addGroup({range.first}, m_o.quant->rangeLr * range.second, false);
    }
    installStudentHook();
    if (m_o.augment)
        m_augmenter = std::make_unique<Augmenter>(m_pre, m_train.images.size(1), 4, m_o.seed + 1);
    m_rng.seed(m_o.seed);
    const int64_t perEpoch = (m_train.size() + m_o.batch - 1) / m_o.batch;
    m_totalSteps = perEpoch * m_o.epochs;
}

// Every biased Conv with trainable float weights of its own gets a batch normalization that starts
// as the identity on the training data: its scale and shift are the standard deviation and mean of
// the convolution's output over up to 20 training batches.
void Finetuner::setupBatchNorm(std::vector<at::Tensor> &trainable)
{
    std::map<std::string, int> uses;
    for (const Node &n : m_graph.nodes)
        for (const std::string &in : n.inputs)
            ++uses[in];
    for (const Node &n : m_graph.nodes)
        if (n.opType == "Conv" && n.hasInput(2) && !n.outputs.empty() && m_master.count(n.inputs[1]) &&
            m_master.count(n.inputs[2]) && uses[n.inputs[1]] == 1 && uses[n.inputs[2]] == 1)
            m_bn[n.outputs[0]] = TrainBn{n.inputs[1], n.inputs[2], {}, {}, {}, {}};
    if (m_bn.empty())
        return;
    std::map<std::string, std::pair<at::Tensor, at::Tensor>> sums; // per channel: sum, sum of squares
    std::map<std::string, double> counts;
    ExecutorImpl &impl = m_executor->impl();
    impl.setHook(
        [&](const std::string &name, const at::Tensor &x) {
            const at::Tensor x64 = x.to(at::kDouble).transpose(0, 1).reshape({x.size(1), -1});
            auto &s = sums[name];
            const at::Tensor s1 = x64.sum(1), s2 = (x64 * x64).sum(1);
            s.first = s.first.defined() ? s.first + s1 : s1;
            s.second = s.second.defined() ? s.second + s2 : s2;
            counts[name] += double(x.numel() / x.size(1));
            return x;
        },
        [&] {
            std::set<std::string> names;
            for (const auto &kv : m_bn)
                names.insert(kv.first);
            return names;
        }());
    {
        at::NoGradGuard noGrad;
        const int64_t batches = std::min<int64_t>(20, (m_train.size() + m_o.batch - 1) / m_o.batch);
        for (int64_t b = 0; b < batches; ++b) {
            const int64_t first = b * m_o.batch, n = std::min<int64_t>(m_o.batch, m_train.size() - first);
            impl.forward({m_train.images.narrow(0, first, n)});
        }
    }
    impl.clearHook();
    for (auto &kv : m_bn) {
        const auto &s = sums.at(kv.first);
        const double count = counts.at(kv.first);
        const at::Tensor mean = s.first / count;
        const at::Tensor var = at::clamp_min(s.second / count - mean * mean, 0.0);
        TrainBn &bn = kv.second;
        bn.runMean = mean.to(at::kFloat);
        bn.runVar = var.to(at::kFloat);
        bn.gamma = at::sqrt(bn.runVar + kBnEps).clone();
        bn.beta = bn.runMean.clone();
        bn.gamma.set_requires_grad(true);
        bn.beta.set_requires_grad(true);
        trainable.push_back(bn.gamma);
        trainable.push_back(bn.beta);
    }
}

// Quantizers (QAT), then trained batch normalization.
void Finetuner::installStudentHook()
{
    std::set<std::string> names;
    if (m_qat)
        for (const std::string &a : m_qat->activationTensors())
            names.insert(a);
    for (const auto &kv : m_bn)
        names.insert(kv.first);
    if (names.empty())
        return;
    TensorHook qat = m_qat ? m_qat->hook() : TensorHook();
    m_executor->impl().setHook(
        [this, qat](const std::string &name, const at::Tensor &x) {
            at::Tensor y = qat ? qat(name, x) : x;
            auto bn = m_bn.find(name);
            if (bn != m_bn.end())
                y = at::batch_norm(y, bn->second.gamma, bn->second.beta, bn->second.runMean, bn->second.runVar,
                                   /*training=*/true, kBnMomentum, kBnEps, false);
            return y;
        },
        names);
}

// The executor reads each parameter through its quantizer, so gradients reach the FP32 masters
// (straight through) and the learned ranges.
void Finetuner::applyParameters()
{
    ExecutorImpl &impl = m_executor->impl();
    for (const auto &kv : m_master) {
        const QatQuantizer *q = m_qat ? m_qat->find(kv.first) : nullptr;
        impl.parameter(kv.first) = q ? QatQuantizers::apply(*q, kv.second) : kv.second;
    }
}

at::Tensor Finetuner::lossOf(const at::Tensor &logits, const at::Tensor &input, const at::Tensor &labels)
{
    if (!m_o.distill && m_o.distillWeight <= 0)
        return at::cross_entropy_loss(logits, labels);
    at::Tensor teacher;
    {
        at::NoGradGuard noGrad;
        teacher = m_teacher->impl().forward({input}).at(0).reshape({input.size(0), -1});
    }
    const at::Tensor kd = distillationLoss(logits, teacher, m_o.temperature);
    if (m_o.distill)
        return kd;
    return at::cross_entropy_loss(logits, labels) * (1.0 - m_o.distillWeight) + kd * m_o.distillWeight;
}

EpochReport Finetuner::trainEpoch(int epoch)
{
    const auto t0 = std::chrono::steady_clock::now();
    at::AutoGradMode enableGrad(true); // callers may hold a no-grad guard
    std::vector<int64_t> order(size_t(m_train.size()));
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), m_rng);
    const int64_t batches = (m_train.size() + m_o.batch - 1) / m_o.batch;
    double lossSum = 0;
    int64_t hits = 0, seen = 0;
    TrainProgress p{epoch + 1, m_o.epochs, 0, batches, 0, -1};
    for (int64_t b = 0; b < batches; ++b) {
        checkCancelled(m_job);
        const int64_t first = b * m_o.batch, n = std::min<int64_t>(m_o.batch, m_train.size() - first);
        std::vector<int64_t> rows(order.begin() + first, order.begin() + first + n);
        const at::Tensor index = at::tensor(rows, at::kLong);
        const at::Tensor x = m_augmenter ? m_augmenter->batch(m_train.images, rows)
                                         : m_train.images.index_select(0, index);
        const at::Tensor labels = m_train.labels.index_select(0, index);
        applyParameters();
        const at::Tensor logits = m_executor->impl().forward({x}).at(0).reshape({n, -1});
        const at::Tensor loss = lossOf(logits, x, labels);
        loss.backward();
        m_optimizer->step(lrFactor(m_o, m_step++, m_totalSteps, epoch));
        if (m_qat)
            m_qat->clampRanges();
        lossSum += loss.item<double>() * double(n);
        seen += n;
        if (m_train.hasLabels)
            hits += logits.detach().argmax(1).eq(labels).sum().item<int64_t>();
        p.batch = b + 1;
        p.loss = lossSum / double(seen);
        p.accuracy = m_train.hasLabels ? double(hits) / double(seen) : -1.0;
        report(p);
    }
    EpochReport r;
    r.epoch = epoch + 1;
    r.loss = lossSum / double(std::max<int64_t>(seen, 1));
    r.trainTop1 = p.accuracy;
    r.seconds = since(t0);
    return r;
}

void Finetuner::report(const TrainProgress &p)
{
    if (m_o.onProgress)
        m_o.onProgress(p);
    if (!m_job)
        return;
    char text[128];
    std::snprintf(text, sizeof text, "epoch %d/%d loss %.4f acc %.4f", p.epoch, p.epochs, p.loss, p.accuracy);
    m_job->setProgress(p.batch, p.batches, text);
}

// The simulated (or FP32) model as it would be exported, evaluated on the evaluation records.
double Finetuner::evaluate(const Graph &graph, const std::vector<TensorEncoding> &encodings)
{
    if (m_eval.size() == 0)
        return -1;
    if (!m_qat) {
        ExecutorOptions eo;
        eo.threads = m_o.threads;
        auto ex = Executor::create(graph, eo).take();
        return evaluateTop1(ex->impl(), m_eval, m_o.batch, m_job);
    }
    QuantSimOptions so = m_o.quant->sim;
    so.executor.threads = m_o.threads;
    auto sim = QuantSim::create(graph, so).take();
    sim->setEncodings(encodings).take();
    return evaluateTop1(sim->executor().impl(), m_eval, m_o.batch, m_job);
}

Snapshot Finetuner::snapshot(int epoch) const
{
    Snapshot s;
    s.epoch = epoch;
    for (const std::string &name : m_trainable)
        s.params[name] = m_master.at(name).detach().clone();
    // Trained batch normalization folds into its convolution with the running statistics.
    for (const auto &kv : m_bn) {
        const TrainBn &bn = kv.second;
        const at::Tensor scale = bn.gamma.detach() / at::sqrt(bn.runVar + kBnEps);
        at::Tensor &w = s.params[bn.weight];
        std::vector<int64_t> shape(size_t(w.dim()), 1);
        shape[0] = -1;
        w = w * scale.reshape(shape);
        s.params[bn.bias] = (s.params[bn.bias] - bn.runMean) * scale + bn.beta.detach();
    }
    if (m_qat)
        s.encodings = m_qat->encodings();
    return s;
}

FinetuneResult Finetuner::run()
{
    validate();
    loadData();
    if (m_eval.size() > 0) {
        ExecutorOptions eo;
        eo.threads = m_o.threads;
        auto fp32 = Executor::create(m_graph, eo).take();
        const auto t0 = std::chrono::steady_clock::now();
        m_result.fp32Top1 = evaluateTop1(fp32->impl(), m_eval, m_o.batch, m_job);
        m_result.fp32EvalSeconds = since(t0);
        m_result.before = m_result.fp32Top1;
    }
    if (m_o.quant)
        setupQuantization();
    setupTraining();
    Snapshot best = snapshot(0);
    best.top1 = m_result.before;
    try {
        for (int epoch = 0; epoch < m_o.epochs; ++epoch) {
            EpochReport r = trainEpoch(epoch);
            Snapshot s = snapshot(epoch + 1);
            const auto t0 = std::chrono::steady_clock::now();
            s.top1 = evaluate(graphWith(m_graph, s.params), s.encodings);
            r.top1 = s.top1;
            r.evalSeconds = since(t0);
            m_result.epochs.push_back(r);
            if (!m_o.keepBest || m_eval.size() == 0 || s.top1 > best.top1)
                best = std::move(s);
        }
    } catch (const Exception &e) {
        if (e.error().code != ErrorCode::Cancelled || m_result.epochs.empty())
            throw;
        m_result.cancelled = true;
    }
    finish(best);
    return std::move(m_result);
}

void Finetuner::finish(const Snapshot &best)
{
    m_result.bestEpoch = best.epoch;
    m_result.graph = graphWith(m_graph, best.params);
    m_result.encodings = best.encodings;
    m_result.after = best.top1;
    if (!m_qat || !m_o.quant->reestimateBatchNorm || m_result.cancelled)
        return;
    bool hasBatchNorm = false;
    for (const Node &n : m_result.graph.nodes)
        hasBatchNorm = hasBatchNorm || n.opType == "BatchNormalization";
    if (!hasBatchNorm)
        return;
    BatchNormReestimation bn;
    bn.sim = m_o.quant->sim;
    bn.sim.executor.threads = m_o.threads;
    bn.batches = m_o.quant->batchNormBatches;
    bn.batch = m_o.batch;
    bn.calibOffset = m_o.quant->calibOffset < 0 ? m_o.trainOffset : m_o.quant->calibOffset;
    bn.calibSamples = m_o.quant->calibSamples;
    ReestimatedModel folded =
        reestimateBatchNorms(m_result.graph, best.encodings, m_train.images, m_data, m_pre, bn, m_job);
    m_result.graph = std::move(folded.graph);
    m_result.encodings = std::move(folded.encodings);
    m_result.after = evaluate(m_result.graph, m_result.encodings);
}

} // namespace

Result<FinetuneResult> finetune(const Graph &graph, const Dataset &data, const Preprocess &pre,
                                const FinetuneOptions &options, Job *job)
{
    return capture("fine-tuning", [&] {
        if (options.threads > 0)
            Executor::setThreads(options.threads);
        Finetuner f(graph, data, pre, options, job);
        return f.run();
    });
}

} // namespace qs
