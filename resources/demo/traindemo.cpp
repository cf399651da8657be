// Trains the bundled demo model (a small CNN with BatchNorm) on Fashion-MNIST and writes it as
// ONNX through the engine's exporter. Build with -DQS_BUILD_DEMO_TRAINER=ON; run:
//   traindemo /usr/share/datasets/fashion-mnist resources/demo/fashion_mnist_cnn.onnx
// Deterministic (seeded, one thread). The committed model was produced by this program.

#include "data/batch.h"
#include "data/dataset.h"
#include "data/preprocess.h"
#include "onnx/onnxexport.h"

#include <torch/torch.h>

#include <cstdio>

namespace {

struct NetImpl : torch::nn::Module {
    torch::nn::Conv2d conv1{torch::nn::Conv2dOptions(1, 16, 3).padding(1)};
    torch::nn::BatchNorm2d bn1{16};
    torch::nn::Conv2d conv2{torch::nn::Conv2dOptions(16, 32, 3).padding(1)};
    torch::nn::BatchNorm2d bn2{32};
    torch::nn::Linear fc1{32 * 7 * 7, 64};
    torch::nn::Linear fc2{64, 10};

    NetImpl()
    {
        register_module("conv1", conv1);
        register_module("bn1", bn1);
        register_module("conv2", conv2);
        register_module("bn2", bn2);
        register_module("fc1", fc1);
        register_module("fc2", fc2);
    }
    torch::Tensor forward(torch::Tensor x)
    {
        x = torch::max_pool2d(torch::relu(bn1(conv1(x))), 2);
        x = torch::max_pool2d(torch::relu(bn2(conv2(x))), 2);
        x = torch::relu(fc1(x.flatten(1)));
        return fc2(x);
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

qs::Graph toGraph(Net &net)
{
    qs::Graph g;
    g.name = "fashion_mnist_cnn";
    g.opsetVersion = 13;
    g.producerName = "quantscope-traindemo";
    g.inputs.push_back(qs::ValueInfo{"input", qs::DType::Float32, {-1, 1, 28, 28}, {"N", "", "", ""}, true});
    g.outputs.push_back(qs::ValueInfo{"logits", qs::DType::Float32, {-1, 10}, {"N", ""}, true});
    auto conv = [&](const std::string &n, torch::nn::Conv2d &c, const std::string &in, const std::string &out) {
        g.initializers[n + ".weight"] = toQs(c->weight);
        g.initializers[n + ".bias"] = toQs(c->bias);
        qs::Node nd = node(n, "Conv", {in, n + ".weight", n + ".bias"}, {out});
        nd.attributes["kernel_shape"] = qs::Attribute::ofInts({3, 3});
        nd.attributes["pads"] = qs::Attribute::ofInts({1, 1, 1, 1});
        g.nodes.push_back(nd);
    };
    auto bn = [&](const std::string &n, torch::nn::BatchNorm2d &b, const std::string &in, const std::string &out) {
        g.initializers[n + ".weight"] = toQs(b->weight);
        g.initializers[n + ".bias"] = toQs(b->bias);
        g.initializers[n + ".running_mean"] = toQs(b->running_mean);
        g.initializers[n + ".running_var"] = toQs(b->running_var);
        qs::Node nd = node(n, "BatchNormalization",
                           {in, n + ".weight", n + ".bias", n + ".running_mean", n + ".running_var"}, {out});
        nd.attributes["epsilon"] = qs::Attribute::ofFloat(float(b->options.eps()));
        g.nodes.push_back(nd);
    };
    auto pool = [&](const std::string &n, const std::string &in, const std::string &out) {
        qs::Node nd = node(n, "MaxPool", {in}, {out});
        nd.attributes["kernel_shape"] = qs::Attribute::ofInts({2, 2});
        nd.attributes["strides"] = qs::Attribute::ofInts({2, 2});
        g.nodes.push_back(nd);
    };
    auto gemm = [&](const std::string &n, torch::nn::Linear &l, const std::string &in, const std::string &out) {
        g.initializers[n + ".weight"] = toQs(l->weight);
        g.initializers[n + ".bias"] = toQs(l->bias);
        qs::Node nd = node(n, "Gemm", {in, n + ".weight", n + ".bias"}, {out});
        nd.attributes["transB"] = qs::Attribute::ofInt(1);
        g.nodes.push_back(nd);
    };
    conv("conv1", net->conv1, "input", "conv1_out");
    bn("bn1", net->bn1, "conv1_out", "bn1_out");
    g.nodes.push_back(node("relu1", "Relu", {"bn1_out"}, {"relu1_out"}));
    pool("pool1", "relu1_out", "pool1_out");
    conv("conv2", net->conv2, "pool1_out", "conv2_out");
    bn("bn2", net->bn2, "conv2_out", "bn2_out");
    g.nodes.push_back(node("relu2", "Relu", {"bn2_out"}, {"relu2_out"}));
    pool("pool2", "relu2_out", "pool2_out");
    qs::Node flat = node("flatten", "Flatten", {"pool2_out"}, {"flat"});
    flat.attributes["axis"] = qs::Attribute::ofInt(1);
    g.nodes.push_back(flat);
    gemm("fc1", net->fc1, "flat", "fc1_out");
    g.nodes.push_back(node("relu3", "Relu", {"fc1_out"}, {"relu3_out"}));
    gemm("fc2", net->fc2, "relu3_out", "logits");
    return g;
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
    torch::set_num_threads(1);
    const qs::Batch train = loadAll(dir + "/train-images-idx3-ubyte.gz");
    const qs::Batch test = loadAll(dir + "/t10k-images-idx3-ubyte.gz");
    torch::Tensor x = fromQs(train.input), y = torch::tensor(train.labels);
    torch::Tensor tx = fromQs(test.input), ty = torch::tensor(test.labels);

    Net net;
    torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(2e-3));
    const int64_t n = x.size(0), batch = 128;
    for (int epoch = 0; epoch < 3; ++epoch) {
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
