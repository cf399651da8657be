// Trains the bundled demo model (a small depthwise-separable CNN) on Fashion-MNIST and writes it as
// ONNX through the engine's exporter. Build with -DQS_BUILD_DEMO_TRAINER=ON; run:
//   traindemo /usr/share/datasets/fashion-mnist resources/demo/fashion_mnist_cnn.onnx
// Seeded; the committed model was produced by this program, and the figures it printed are in the README.

#include "data/batch.h"
#include "data/dataset.h"
#include "data/preprocess.h"
#include "onnx/onnxexport.h"

#include <torch/torch.h>

#include <cstdio>

namespace {

// A small depthwise-separable CNN (MobileNet-style blocks with BatchNorm and ReLU6), so the demo
// shows what matters on real mobile models: BN folding, depthwise ranges, equalization.
struct Block {
    int in, out, stride;
};
const Block kBlocks[] = {{16, 32, 2}, {32, 64, 2}, {64, 64, 1}};

struct NetImpl : torch::nn::Module {
    torch::nn::Conv2d stem{torch::nn::Conv2dOptions(1, 16, 3).padding(1).bias(false)};
    torch::nn::BatchNorm2d stemBn{16};
    std::vector<torch::nn::Conv2d> dw, pw;
    std::vector<torch::nn::BatchNorm2d> dwBn, pwBn;
    torch::nn::Linear fc{64, 10};

    NetImpl()
    {
        register_module("stem", stem);
        register_module("stem_bn", stemBn);
        int i = 0;
        for (const Block &b : kBlocks) {
            const std::string n = std::to_string(++i);
            dw.push_back(register_module("dw" + n, torch::nn::Conv2d(torch::nn::Conv2dOptions(b.in, b.in, 3)
                                                                         .stride(b.stride)
                                                                         .padding(1)
                                                                         .groups(b.in)
                                                                         .bias(false))));
            dwBn.push_back(register_module("dw" + n + "_bn", torch::nn::BatchNorm2d(b.in)));
            pw.push_back(register_module("pw" + n, torch::nn::Conv2d(torch::nn::Conv2dOptions(b.in, b.out, 1).bias(false))));
            pwBn.push_back(register_module("pw" + n + "_bn", torch::nn::BatchNorm2d(b.out)));
        }
        register_module("fc", fc);
    }
    torch::Tensor forward(torch::Tensor x)
    {
        x = torch::clamp(stemBn(stem(x)), 0, 6);
        for (size_t i = 0; i < dw.size(); ++i) {
            x = torch::clamp(dwBn[i](dw[i](x)), 0, 6);
            x = torch::clamp(pwBn[i](pw[i](x)), 0, 6);
        }
        return fc(x.mean({2, 3}));
    }
};
TORCH_MODULE(Net);

qs::Tensor toQs(const torch::Tensor &t)
{
    torch::Tensor c = t.detach().contiguous().to(torch::kFloat);
    qs::Tensor out(qs::DType::Float32, std::vector<int64_t>(c.sizes().begin(), c.sizes().end()));
    std::memcpy(out.data(), c.data_ptr<float>(), out.byteSize());
    return out;
}

torch::Tensor fromQs(const qs::Tensor &t)
{
    return torch::from_blob(const_cast<void *>(t.data()), t.shape(), torch::kFloat).clone();
}

qs::Node node(const std::string &name, const std::string &op, std::vector<std::string> in, std::vector<std::string> out)
{
    qs::Node n;
    n.name = name;
    n.opType = op;
    n.inputs = std::move(in);
    n.outputs = std::move(out);
    return n;
}

class GraphWriter {
public:
    GraphWriter()
    {
        m_g.name = "fashion_mnist_dscnn";
        m_g.opsetVersion = 13;
        m_g.producerName = "quantscope-traindemo";
        m_g.inputs.push_back(qs::ValueInfo{"input", qs::DType::Float32, {-1, 1, 28, 28}, {"N", "", "", ""}, true});
        m_g.outputs.push_back(qs::ValueInfo{"logits", qs::DType::Float32, {-1, 10}, {"N", ""}, true});
        m_g.initializers["relu6_min"] = qs::Tensor::fromFloats({}, {0.f});
        m_g.initializers["relu6_max"] = qs::Tensor::fromFloats({}, {6.f});
    }

    // Conv (no bias) -> BatchNormalization -> Clip(0, 6); returns the output tensor name.
    std::string convBnRelu6(const std::string &n, torch::nn::Conv2d &c, torch::nn::BatchNorm2d &b, const std::string &in)
    {
        m_g.initializers[n + ".weight"] = toQs(c->weight);
        qs::Node conv = node(n, "Conv", {in, n + ".weight"}, {n + "_out"});
        const int64_t k = c->options.kernel_size()->at(0);
        const int64_t pad = k / 2;
        conv.attributes["kernel_shape"] = qs::Attribute::ofInts({k, k});
        conv.attributes["pads"] = qs::Attribute::ofInts({pad, pad, pad, pad});
        conv.attributes["strides"] = qs::Attribute::ofInts({c->options.stride()->at(0), c->options.stride()->at(1)});
        conv.attributes["group"] = qs::Attribute::ofInt(c->options.groups());
        m_g.nodes.push_back(conv);
        const std::string bn = n + "_bn";
        m_g.initializers[bn + ".weight"] = toQs(b->weight);
        m_g.initializers[bn + ".bias"] = toQs(b->bias);
        m_g.initializers[bn + ".running_mean"] = toQs(b->running_mean);
        m_g.initializers[bn + ".running_var"] = toQs(b->running_var);
        qs::Node nd = node(bn, "BatchNormalization",
                           {n + "_out", bn + ".weight", bn + ".bias", bn + ".running_mean", bn + ".running_var"},
                           {bn + "_out"});
        nd.attributes["epsilon"] = qs::Attribute::ofFloat(float(b->options.eps()));
        m_g.nodes.push_back(nd);
        m_g.nodes.push_back(node(n + "_relu6", "Clip", {bn + "_out", "relu6_min", "relu6_max"}, {n + "_act"}));
        return n + "_act";
    }

    qs::Graph finish(torch::nn::Linear &fc, const std::string &in)
    {
        m_g.nodes.push_back(node("pool", "GlobalAveragePool", {in}, {"pool_out"}));
        qs::Node flat = node("flatten", "Flatten", {"pool_out"}, {"flat"});
        flat.attributes["axis"] = qs::Attribute::ofInt(1);
        m_g.nodes.push_back(flat);
        m_g.initializers["fc.weight"] = toQs(fc->weight);
        m_g.initializers["fc.bias"] = toQs(fc->bias);
        qs::Node gemm = node("fc", "Gemm", {"flat", "fc.weight", "fc.bias"}, {"logits"});
        gemm.attributes["transB"] = qs::Attribute::ofInt(1);
        m_g.nodes.push_back(gemm);
        return std::move(m_g);
    }

private:
    qs::Graph m_g;
};

qs::Graph toGraph(Net &net)
{
    GraphWriter w;
    std::string x = w.convBnRelu6("stem", net->stem, net->stemBn, "input");
    for (size_t i = 0; i < net->dw.size(); ++i) {
        const std::string n = std::to_string(i + 1);
        x = w.convBnRelu6("dw" + n, net->dw[i], net->dwBn[i], x);
        x = w.convBnRelu6("pw" + n, net->pw[i], net->pwBn[i], x);
    }
    return w.finish(net->fc, x);
}

qs::Batch loadAll(const std::string &images)
{
    auto ds = qs::DatasetRegistry::instance().open(images, {}).take();
    qs::Preprocess pre;
    pre.scale = 1.f / 255.f;
    return qs::loadBatch(*ds, pre, 0, ds->size()).take();
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: traindemo FASHION_MNIST_DIR OUT.onnx\n");
        return 2;
    }
    qs::registerBuiltinDatasets(qs::DatasetRegistry::instance());
    const std::string dir = argv[1];
    torch::manual_seed(1);
    torch::set_num_threads(2);
    const qs::Batch train = loadAll(dir + "/train-images-idx3-ubyte.gz");
    const qs::Batch test = loadAll(dir + "/t10k-images-idx3-ubyte.gz");
    torch::Tensor x = fromQs(train.input), y = torch::tensor(train.labels);
    torch::Tensor tx = fromQs(test.input), ty = torch::tensor(test.labels);

    Net net;
    torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(2e-3));
    const int64_t n = x.size(0), batch = 128;
    for (int epoch = 0; epoch < 4; ++epoch) {
        net->train();
        torch::Tensor perm = torch::randperm(n);
        double lossSum = 0;
        for (int64_t i = 0; i + batch <= n; i += batch) {
            torch::Tensor idx = perm.slice(0, i, i + batch);
            opt.zero_grad();
            torch::Tensor loss = torch::cross_entropy_loss(net->forward(x.index_select(0, idx)), y.index_select(0, idx));
            loss.backward();
            opt.step();
            lossSum += loss.item<double>();
        }
        net->eval();
        torch::NoGradGuard ng;
        const double acc = net->forward(tx).argmax(1).eq(ty).to(torch::kFloat).mean().item<double>();
        std::printf("epoch %d: train loss %.4f, test top-1 %.4f\n", epoch + 1, lossSum / double(n / batch), acc);
    }
    qs::exportOnnx(toGraph(net), argv[2]).take();
    std::printf("wrote %s\n", argv[2]);
    return 0;
}
