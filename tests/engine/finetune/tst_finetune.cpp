// Fine-tuning: the executor's gradients against central finite differences (float64 model built in
// code), the fake quantizers' straight-through and range gradients, the optimizers' update rules,
// and finetune() end to end on a small in-memory data set (improves, keeps the best epoch when
// cancelled, leaves the input untouched, and its QAT result reproduces through QuantSim).

#include "testutil.h"

#include "data/dataset.h"
#include "data/preprocess.h"
#include "finetune/finetune.h"
#include "finetune/paramoptimizer.h"
#include "finetune/qatquantizers.h"
#include "jobs/job.h"
#include "runtime/executorimpl.h"

#include <QTest>

#include <cmath>

using namespace qs;

namespace {

Node node(const std::string &op, std::vector<std::string> in, std::vector<std::string> out)
{
    Node n;
    n.name = out.at(0) + "_node";
    n.opType = op;
    n.inputs = std::move(in);
    n.outputs = std::move(out);
    return n;
}

Tensor uniform(std::vector<int64_t> shape, at::ScalarType type, double halfWidth, double centre = 0.0)
{
    return rt::fromAt(((at::rand(shape, at::kDouble) * 2.0 - 1.0) * halfWidth + centre).to(type));
}

// x[N,3,6,6] -> Conv(3->4, pad 1) -> BatchNormalization -> Relu -> Conv(4->4, pad 1) -> Add(relu)
//  -> GlobalAveragePool -> Flatten -> Gemm(4->classes): a residual block with a BN, in `type`.
Graph residualModel(at::ScalarType type, int classes)
{
    at::manual_seed(7);
    Graph g;
    g.opsetVersion = 13;
    const DType dt = type == at::kDouble ? DType::Float64 : DType::Float32;
    g.inputs.push_back(ValueInfo{"x", dt, {-1, 3, 6, 6}, {"N", "", "", ""}, true});
    g.outputs.push_back(ValueInfo{"y", dt, {-1, classes}, {"N", ""}, true});
    g.initializers["W1"] = uniform({4, 3, 3, 3}, type, 0.4);
    g.initializers["b1"] = uniform({4}, type, 0.1);
    g.initializers["gamma"] = uniform({4}, type, 0.2, 1.0);
    g.initializers["beta"] = uniform({4}, type, 0.1);
    g.initializers["mean"] = uniform({4}, type, 0.1);
    g.initializers["var"] = uniform({4}, type, 0.2, 1.0);
    g.initializers["W2"] = uniform({4, 4, 3, 3}, type, 0.3);
    g.initializers["Wf"] = uniform({classes, 4}, type, 0.5);
    g.initializers["bf"] = uniform({classes}, type, 0.1);
    for (const char *conv : {"c1", "c2"}) {
        Node n = node("Conv", {conv == std::string("c1") ? "x" : "r", conv == std::string("c1") ? "W1" : "W2"},
                      {conv});
        if (n.outputs[0] == "c1")
            n.inputs.push_back("b1");
        n.attributes["pads"] = Attribute::ofInts({1, 1, 1, 1});
        g.nodes.push_back(n);
        if (n.outputs[0] == "c1") {
            g.nodes.push_back(node("BatchNormalization", {"c1", "gamma", "beta", "mean", "var"}, {"bn"}));
            g.nodes.push_back(node("Relu", {"bn"}, {"r"}));
        }
    }
    g.nodes.push_back(node("Add", {"c2", "r"}, {"s"}));
    g.nodes.push_back(node("GlobalAveragePool", {"s"}, {"p"}));
    g.nodes.push_back(node("Flatten", {"p"}, {"f"}));
    Node fc = node("Gemm", {"f", "Wf", "bf"}, {"y"});
    fc.attributes["transB"] = Attribute::ofInt(1);
    g.nodes.push_back(fc);
    return g;
}

// Records x ~ U(-1, 1)^[3,6,6]; the class says whether channel 0 is brighter than channel 1.
class MemoryDataset : public Dataset {
public:
    explicit MemoryDataset(int64_t count)
    {
        at::manual_seed(11);
        m_x = at::rand({count, 3, 6, 6}) * 2.0 - 1.0;
        m_y = m_x.select(1, 0).mean({1, 2}).gt(m_x.select(1, 1).mean({1, 2})).to(at::kLong);
    }
    int64_t size() const override { return m_x.size(0); }
    Record record(int64_t index) const override
    {
        Record r;
        r.tensor = rt::fromAt(m_x[index]);
        r.label = m_y[index].item<int64_t>();
        return r;
    }
    std::string path() const override { return "memory"; }
    std::string kind() const override { return "npy"; }

private:
    at::Tensor m_x, m_y;
};

double lossOf(ExecutorImpl &ex, const at::Tensor &x, const at::Tensor &weights)
{
    return (ex.forward({x}).at(0) * weights).sum().item<double>();
}

FinetuneOptions smallRun(int epochs)
{
    FinetuneOptions o;
    o.epochs = epochs;
    o.lr = 1e-2;
    o.batch = 16;
    o.augment = false;
    o.trainOffset = 0;
    o.trainSamples = 192;
    o.evalOffset = 192;
    o.evalLimit = 128;
    o.threads = 1;
    o.schedule = LrSchedule::Constant;
    return o;
}

// The loss of the first training batch of a fine-tuning run with `opts`.
double firstBatchLoss(const Graph &g, const Dataset &data, FinetuneOptions opts)
{
    double loss = -1;
    opts.onProgress = [&loss](const TrainProgress &p) {
        if (p.batch == 1)
            loss = p.loss;
    };
    finetune(g, data, Preprocess{}, opts).take();
    return loss;
}

} // namespace

class TestFinetune : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void gradientsMatchFiniteDifferences();
    void fixedFakeQuantIsStraightThroughInsideTheRange();
    void learnedRangeGradientsFollowLsq();
    void encodingsRoundTrip();
    void optimizerUpdates();
    void finetuneImprovesAndLeavesInputUntouched();
    void warmupAndMixedLoss();
    void cancelKeepsBestEpoch();
    void batchNormTrainingStartsAsIdentityAndFolds();
    void qatResultReproducesThroughQuantSim();
    void trainingForwardMatchesQuantSim();
    void usageErrors();
};

void TestFinetune::gradientsMatchFiniteDifferences()
{
    const Graph g = residualModel(at::kDouble, 3);
    ExecutorOptions eo;
    eo.threads = 1;
    eo.optimize = false;
    ExecutorImpl ex(g, eo);
    at::manual_seed(3);
    const at::Tensor x = at::randn({2, 3, 6, 6}, at::kDouble);
    const at::Tensor w = at::randn({2, 3}, at::kDouble);
    const std::vector<std::string> params = {"W1", "b1", "gamma", "beta", "W2", "Wf", "bf"};
    for (const auto &name : params)
        ex.parameter(name).set_requires_grad(true);
    (ex.forward({x}).at(0) * w).sum().backward();
    int checked = 0;
    for (const auto &name : params) {
        at::Tensor p = ex.parameter(name);
        const at::Tensor grad = p.grad().clone();
        QVERIFY2(grad.defined() && grad.abs().sum().item<double>() > 0, name.c_str());
        at::NoGradGuard noGrad;
        at::Tensor flat = p.view({-1});
        for (int64_t i = 0; i < flat.numel(); i += 3) {
            const double h = 1e-6, v = flat[i].item<double>();
            flat[i].fill_(v + h);
            const double up = lossOf(ex, x, w);
            flat[i].fill_(v - h);
            const double down = lossOf(ex, x, w);
            flat[i].fill_(v);
            const double numeric = (up - down) / (2 * h), analytic = grad.view({-1})[i].item<double>();
            QVERIFY2(std::abs(numeric - analytic) <= 1e-6 + 1e-6 * std::abs(numeric),
                     qPrintable(QStringLiteral("%1[%2]: analytic %3, numeric %4")
                                    .arg(QString::fromStdString(name)).arg(i).arg(analytic).arg(numeric)));
            ++checked;
        }
    }
    QCOMPARE(checked, 36 + 2 + 2 + 2 + 48 + 4 + 1);
}

// 4-bit grid, scale 0.1, zero point 3: representable [-0.3, 1.2].
TensorEncoding testEncoding(bool symmetric = false)
{
    TensorEncoding te;
    te.tensor = "t";
    te.kind = QuantizerKind::Activation;
    Encoding e;
    e.bitwidth = 4;
    e.symmetric = symmetric;
    e.scale = 0.1;
    e.offset = symmetric ? -8 : -3;
    e.min = e.scale * double(e.offset);
    e.max = e.scale * double(e.offset + 15);
    te.encodings = {e};
    return te;
}

void TestFinetune::fixedFakeQuantIsStraightThroughInsideTheRange()
{
    QatQuantizers qs({testEncoding()}, false);
    const QatQuantizer &q = *qs.find("t");
    QVERIFY(!q.scale.requires_grad());
    at::Tensor x = at::tensor({-1.0f, -0.3f, 0.0f, 0.54f, 1.2f, 2.0f}).set_requires_grad(true);
    const at::Tensor y = QatQuantizers::apply(q, x);
    const std::vector<float> expected = {-0.3f, -0.3f, 0.0f, 0.5f, 1.2f, 1.2f};
    for (size_t i = 0; i < expected.size(); ++i)
        QVERIFY(std::abs(y[int64_t(i)].item<float>() - expected[i]) < 1e-6f);
    y.backward(at::tensor({1.f, 2.f, 3.f, 4.f, 5.f, 6.f}));
    const std::vector<float> grad = {0.f, 2.f, 3.f, 4.f, 5.f, 0.f};
    for (size_t i = 0; i < grad.size(); ++i)
        QCOMPARE(x.grad()[int64_t(i)].item<float>(), grad[i]);
}

void TestFinetune::learnedRangeGradientsFollowLsq()
{
    QatQuantizers qs({testEncoding()}, true);
    const QatQuantizer &q = *qs.find("t");
    QVERIFY(q.learnScale && q.learnZeroPoint);
    QCOMPARE(qs.rangeParameters().size(), size_t(2));
    const std::vector<float> xs = {-1.0f, 0.04f, 0.26f, 2.0f};
    at::Tensor x = at::tensor(xs).set_requires_grad(true);
    QatQuantizers::apply(q, x).sum().backward();
    // LSQ: inside d/ds = round(x/s) - x/s, below qmin - zp = -3, above qmax - zp = 12; the zero point
    // gets -s outside the range; both times the gradient scale 1/sqrt(elements * qmax).
    const double factor = 1.0 / std::sqrt(4.0 * 15.0);
    const double ds = (-3.0 + (0.0 - 0.4) + (3.0 - 2.6) + 12.0) * factor;
    const double dz = (-0.1 - 0.1) * factor;
    QVERIFY(std::abs(q.scale.grad().item<double>() - ds) < 1e-5);
    QVERIFY(std::abs(q.zeroPoint.grad().item<double>() - dz) < 1e-5);
    QCOMPARE(x.grad()[0].item<float>(), 0.f);
    QCOMPARE(x.grad()[1].item<float>(), 1.f);

    // Same gradients as ATen's own learnable fake quantize on many values.
    at::manual_seed(5);
    at::Tensor many = (at::randn({4096}) * 0.6f + 0.3f).set_requires_grad(true);
    at::Tensor ref = many.detach().clone().set_requires_grad(true);
    QatQuantizers mine({testEncoding()}, true);
    const at::Tensor upstream = at::randn({4096});
    QatQuantizers::apply(*mine.find("t"), many).backward(upstream);
    at::Tensor s = at::full({1}, 0.1f).set_requires_grad(true), z = at::full({1}, 3.f).set_requires_grad(true);
    const double gf = 1.0 / std::sqrt(4096.0 * 15.0);
    at::_fake_quantize_learnable_per_tensor_affine(ref, s, z, 0, 15, gf).backward(upstream);
    QVERIFY(many.grad().equal(ref.grad()));
    QVERIFY(std::abs(mine.find("t")->scale.grad().item<double>() - s.grad().item<double>()) <=
            1e-4 * std::abs(s.grad().item<double>()));
    QVERIFY(std::abs(mine.find("t")->zeroPoint.grad().item<double>() - z.grad().item<double>()) <=
            1e-4 * std::abs(z.grad().item<double>()));

    QatQuantizers sym({testEncoding(true)}, true);
    QVERIFY(sym.find("t")->learnScale && !sym.find("t")->learnZeroPoint);
    QCOMPARE(sym.rangeParameters().size(), size_t(1));
}

void TestFinetune::encodingsRoundTrip()
{
    for (bool symmetric : {false, true}) {
        const TensorEncoding in = testEncoding(symmetric);
        QatQuantizers qs({in}, true);
        const TensorEncoding out = qs.encodings().at(0);
        QCOMPARE(out.tensor, in.tensor);
        QCOMPARE(out.encodings.size(), size_t(1));
        const Encoding &a = in.encodings[0], &b = out.encodings[0];
        QCOMPARE(b.offset, a.offset);
        QCOMPARE(b.bitwidth, a.bitwidth);
        QCOMPARE(b.symmetric, a.symmetric);
        QVERIFY(std::abs(b.scale - a.scale) < 1e-7 && std::abs(b.min - a.min) < 1e-6 && std::abs(b.max - a.max) < 1e-6);
    }
}

void TestFinetune::optimizerUpdates()
{
    // SGD with momentum 0.9: buf = g, p -= lr g; then buf = 0.9 g + g.
    at::Tensor p = at::tensor({1.0, -2.0}, at::kDouble).set_requires_grad(true);
    ParamOptimizer sgd(FinetuneOptimizer::Sgd, 0.9, 0.0);
    sgd.addGroup({p}, 0.1, true);
    for (int i = 0; i < 2; ++i) {
        (p * p).sum().backward(); // gradient 2p
        sgd.step(1.0);
    }
    // p1 = p0 - 0.1 * 2 p0 = 0.8 p0; buf = 0.9 * 2 p0 + 2 p1 = 3.4 p0; p2 = 0.8 p0 - 0.34 p0.
    QVERIFY(std::abs(p[0].item<double>() - 0.46) < 1e-12 && std::abs(p[1].item<double>() + 0.92) < 1e-12);
    // Adam's first step moves every coordinate by lr (m/sqrt(v) = sign(g)), halved by the factor.
    at::Tensor q = at::tensor({1.0, -2.0}, at::kDouble).set_requires_grad(true);
    ParamOptimizer adam(FinetuneOptimizer::Adam, 0.9, 0.0);
    adam.addGroup({q}, 0.01, true);
    (q * q).sum().backward();
    adam.step(0.5);
    QVERIFY(std::abs(q[0].item<double>() - 0.995) < 1e-7 && std::abs(q[1].item<double>() + 1.995) < 1e-7);
    QVERIFY(!q.grad().defined() || q.grad().abs().sum().item<double>() == 0.0);
}

void TestFinetune::finetuneImprovesAndLeavesInputUntouched()
{
    const Graph g = residualModel(at::kFloat, 2);
    const Graph copy = g;
    MemoryDataset data(320);
    Result<FinetuneResult> r = finetune(g, data, Preprocess{}, smallRun(3));
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    QCOMPARE(r->epochs.size(), size_t(3));
    qInfo("toy model: before %.4f, epochs %.4f %.4f %.4f, after %.4f", r->before, r->epochs[0].top1,
          r->epochs[1].top1, r->epochs[2].top1, r->after);
    QCOMPARE(r->before, r->fp32Top1);
    QVERIFY(r->after >= r->before + 0.15);
    QVERIFY(r->epochs[2].loss < r->epochs[0].loss);
    QCOMPARE(r->after, r->epochs[size_t(r->bestEpoch - 1)].top1);
    for (const auto &kv : g.initializers)
        QVERIFY(kv.second.bytes() == copy.initializers.at(kv.first).bytes());
    QVERIFY(!(r->graph.initializers.at("W1").bytes() == g.initializers.at("W1").bytes()));
    // The running statistics are not trained.
    QVERIFY(r->graph.initializers.at("mean").bytes() == g.initializers.at("mean").bytes());
}

// One Adam step moves every weight by lr times the rate factor; warm-up over all (one) steps halves it.
// The first batch's loss (before any update) of the mixed loss is the mean of cross-entropy's and
// distillation's, and weight 1 is distillation.
void TestFinetune::warmupAndMixedLoss()
{
    const Graph g = residualModel(at::kFloat, 2);
    MemoryDataset data(64);
    FinetuneOptions o = smallRun(1);
    o.trainSamples = 16;
    o.evalOffset = 16;
    o.evalLimit = 0;
    o.keepBest = false;
    const auto largestStep = [&](const FinetuneOptions &opts) {
        const FinetuneResult r = finetune(g, data, Preprocess{}, opts).take();
        return (rt::toAt(r.graph.initializers.at("W2")) - rt::toAt(g.initializers.at("W2"))).abs().max().item<double>();
    };
    QVERIFY(std::abs(largestStep(o) - 1e-2) < 1e-5);
    o.warmup = 1.0;
    QVERIFY(std::abs(largestStep(o) - 5e-3) < 1e-5);
    o.warmup = 0;
    const double ce = firstBatchLoss(g, data, o);
    o.distill = true;
    const double kd = firstBatchLoss(g, data, o);
    o.distill = false;
    o.distillWeight = 1.0;
    QCOMPARE(firstBatchLoss(g, data, o), kd);
    o.distillWeight = 0.5;
    QVERIFY(std::abs(firstBatchLoss(g, data, o) - 0.5 * (ce + kd)) < 1e-6);
    QVERIFY(std::abs(ce - kd) > 1e-3);
}

void TestFinetune::cancelKeepsBestEpoch()
{
    const Graph g = residualModel(at::kFloat, 2);
    MemoryDataset data(320);
    Job job;
    FinetuneOptions o = smallRun(3);
    o.onProgress = [&job](const TrainProgress &p) {
        if (p.epoch == 2 && p.batch == 3)
            job.cancel();
    };
    Result<FinetuneResult> r = finetune(g, data, Preprocess{}, o, &job);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    QVERIFY(r->cancelled);
    QCOMPARE(r->epochs.size(), size_t(1));
    QVERIFY(r->bestEpoch <= 1);
    QCOMPARE(r->after, r->bestEpoch == 1 ? r->epochs[0].top1 : r->before);

    Job early;
    o.onProgress = [&early](const TrainProgress &p) {
        if (p.batch == 2)
            early.cancel();
    };
    Result<FinetuneResult> none = finetune(g, data, Preprocess{}, o, &early);
    QVERIFY(!none.ok());
    QCOMPARE(none.error().code, ErrorCode::Cancelled);
}

// Batch-norm training: the normalization after the biased convolution c1 starts as the identity
// (the first batch's loss is the plain model's when that batch is the whole training set, whose
// statistics set the start), folds back into c1 (no learning at lr 1e-12: W1 moves only by the
// running variance's update with the unbiased batch variance, 0.1/(n-1) relative, which scales
// W1 by about 1 - 0.05/(n-1) with n = 16 * 6 * 6 values per channel), trains the toy model, and adds nothing to the graph.
void TestFinetune::batchNormTrainingStartsAsIdentityAndFolds()
{
    const Graph g = residualModel(at::kFloat, 2);
    MemoryDataset data(320);
    FinetuneOptions o = smallRun(1);
    o.trainSamples = 16;
    o.evalOffset = 16;
    o.evalLimit = 0;
    o.keepBest = false;
    const double plain = firstBatchLoss(g, data, o);
    o.batchNormTraining = true;
    const double normalized = firstBatchLoss(g, data, o);
    qInfo("first-batch loss: plain %.8f, with batch-norm training %.8f", plain, normalized);
    QVERIFY(std::abs(plain - normalized) < 1e-5 * plain);

    o.lr = 1e-12;
    const FinetuneResult still = finetune(g, data, Preprocess{}, o).take();
    const at::Tensor w1 = rt::toAt(g.initializers.at("W1")), folded = rt::toAt(still.graph.initializers.at("W1"));
    const double moved = ((folded - w1).abs() / w1.abs().clamp_min(1e-6)).max().item<double>();
    qInfo("W1 relative change after folding: %.3g", moved);
    const double expected = 0.05 / (16 * 36 - 1);
    QVERIFY(moved > 0.9 * expected && moved < 1.1 * expected);
    QVERIFY(rt::toAt(still.graph.initializers.at("W2")).equal(rt::toAt(g.initializers.at("W2"))));

    FinetuneOptions trained = smallRun(3);
    trained.batchNormTraining = true;
    const FinetuneResult r = finetune(g, data, Preprocess{}, trained).take();
    qInfo("toy model with batch-norm training: before %.4f, after %.4f", r.before, r.after);
    QVERIFY(r.after >= r.before + 0.15);
    QCOMPARE(r.graph.nodes.size(), g.nodes.size());
    QCOMPARE(r.graph.initializers.size(), g.initializers.size());
}

void TestFinetune::qatResultReproducesThroughQuantSim()
{
    const Graph g = residualModel(at::kFloat, 2);
    MemoryDataset data(320);
    FinetuneOptions o = smallRun(2);
    FinetuneQuantOptions q;
    q.sim.quant.paramBitwidth = 4;
    q.sim.quant.activationBitwidth = 8;
    q.calibSamples = 64;
    q.reestimateBatchNorm = false;
    o.quant = q;
    Result<FinetuneResult> r = finetune(g, data, Preprocess{}, o);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    QCOMPARE(r->quantizerArgs.quantScheme, std::string("training_range_learning_with_tf_enhanced_init"));
    auto sim = QuantSim::create(r->graph, q.sim).take();
    QCOMPARE(int(r->encodings.size()), sim->enabledQuantizerCount());
    QVERIFY(sim->setEncodings(r->encodings).ok());
    at::Tensor x, y;
    for (int64_t i = 192; i < 320; ++i) {
        const Record rec = data.record(i);
        x = x.defined() ? at::cat({x, rt::toAt(rec.tensor).unsqueeze(0)}) : rt::toAt(rec.tensor).unsqueeze(0);
    }
    const at::Tensor labels = at::tensor(std::vector<int64_t>([&] {
        std::vector<int64_t> l;
        for (int64_t i = 192; i < 320; ++i)
            l.push_back(data.record(i).label);
        return l;
    }()));
    const at::Tensor logits = [&] {
        at::NoGradGuard noGrad;
        return sim->executor().impl().forward({x}).at(0);
    }();
    const double top1 = logits.argmax(1).eq(labels).to(at::kDouble).mean().item<double>();
    qInfo("toy QAT W4A8: PTQ %.4f, after %.4f, reproduced %.4f", r->before, r->after, top1);
    QCOMPARE(top1, r->after);
    QVERIFY(r->after >= r->before + 0.15);

    // With re-estimation the BN is folded away and the encodings follow the folded graph.
    o.quant->reestimateBatchNorm = true;
    Result<FinetuneResult> folded = finetune(g, data, Preprocess{}, o);
    QVERIFY2(folded.ok(), folded.ok() ? "" : folded.error().message.c_str());
    for (const Node &n : folded->graph.nodes)
        QVERIFY(n.opType != "BatchNormalization");
    auto sim2 = QuantSim::create(folded->graph, q.sim).take();
    QCOMPARE(int(folded->encodings.size()), sim2->enabledQuantizerCount());
    qInfo("toy QAT W4A8 with BN re-estimation and folding: after %.4f", folded->after);
    QVERIFY(folded->after >= 0.5);
}

// The training forward (learnable quantizers, gradients on) sees the same quantizers and values as
// QuantSim, so what training optimises is what QuantSim evaluates and exports.
void TestFinetune::trainingForwardMatchesQuantSim()
{
    const Graph g = residualModel(at::kFloat, 3);
    MemoryDataset data(64);
    QuantSimOptions so;
    so.quant.paramBitwidth = 4;
    so.quant.activationBitwidth = 4;
    so.executor.threads = 1;
    auto sim = QuantSim::create(g, so).take();
    QVERIFY(sim->calibrate(data, Preprocess{}, 0, 64, 16).ok());
    QatQuantizers qat(sim->encodings(), true);
    std::set<std::string> simActivations;
    for (const QuantizerInfo &q : sim->quantizers())
        if (q.enabled && q.kind != QuantizerKind::Param)
            simActivations.insert(q.tensor);
    QCOMPARE(qat.activationTensors(), simActivations);
    QVERIFY(simActivations.count("x") && simActivations.count("s")); // model input and the Add output

    auto ex = Executor::create(g, so.executor).take();
    ex->impl().setHook(qat.hook(), qat.activationTensors());
    at::AutoGradMode grad(true);
    for (const auto &kv : g.initializers) {
        if (const QatQuantizer *q = qat.find(kv.first)) {
            at::Tensor w = rt::toAt(kv.second).clone();
            w.set_requires_grad(true);
            ex->impl().parameter(kv.first) = QatQuantizers::apply(*q, w);
        }
    }
    std::vector<at::Tensor> rows;
    for (int64_t i = 0; i < 32; ++i)
        rows.push_back(rt::toAt(data.record(i).tensor));
    const at::Tensor x = at::stack(rows);
    const at::Tensor trained = ex->impl().forward({x}).at(0);
    QVERIFY(trained.requires_grad());
    at::Tensor simulated;
    {
        at::NoGradGuard noGrad;
        simulated = sim->executor().impl().forward({x}).at(0);
    }
    QCOMPARE((trained.detach() - simulated).abs().max().item<double>(), 0.0);
}

void TestFinetune::usageErrors()
{
    const Graph g = residualModel(at::kFloat, 2);
    MemoryDataset data(100);
    FinetuneOptions o = smallRun(1);
    o.trainSamples = 200;
    Result<FinetuneResult> r = finetune(g, data, Preprocess{}, o);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().message,
             std::string("fine-tuning: memory: training records 0..199 are outside the data set of 100 records"));
    o.trainSamples = 50;
    o.evalOffset = 50;
    o.evalLimit = 50;
    o.augment = true;
    o.epochs = 0;
    r = finetune(g, data, Preprocess{}, o);
    QCOMPARE(r.error().message,
             std::string("fine-tuning: needs epochs >= 1, batch >= 1 and a positive learning rate"));
    o.epochs = 1;
    o.batchNormTraining = true;
    o.quant = FinetuneQuantOptions{};
    r = finetune(g, data, Preprocess{}, o);
    QCOMPARE(r.error().message,
             std::string("fine-tuning: batch-norm training is for FP32 fine-tuning, not with quantization"));
}

QTEST_APPLESS_MAIN(TestFinetune)
#include "tst_finetune.moc"
