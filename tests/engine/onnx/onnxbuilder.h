#pragma once
// Builders for tiny ONNX models written in code, shared by the ONNX tests.

#include <onnx/onnx_pb.h>

#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace qs::test {

inline void setDims(onnx::TensorProto *t, const std::vector<int64_t> &dims)
{
    t->clear_dims();
    for (int64_t d : dims)
        t->add_dims(d);
}

inline onnx::TensorProto *addFloats(onnx::GraphProto *g, const std::string &name, const std::vector<int64_t> &dims,
                                    const std::vector<float> &values)
{
    onnx::TensorProto *t = g->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    setDims(t, dims);
    t->set_raw_data(std::string(reinterpret_cast<const char *>(values.data()), values.size() * sizeof(float)));
    return t;
}

inline onnx::TensorProto *addInt64s(onnx::GraphProto *g, const std::string &name, const std::vector<int64_t> &dims,
                                    const std::vector<int64_t> &values)
{
    onnx::TensorProto *t = g->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::INT64);
    setDims(t, dims);
    for (int64_t v : values)
        t->add_int64_data(v);
    return t;
}

// Tensor value info; dim -1 becomes the symbolic dimension "N", -2 an unknown dimension.
inline void setValueInfo(onnx::ValueInfoProto *vi, const std::string &name, const std::vector<int64_t> &dims,
                         int32_t elemType = onnx::TensorProto::FLOAT)
{
    vi->set_name(name);
    auto *tt = vi->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(elemType);
    auto *shape = tt->mutable_shape();
    for (int64_t d : dims) {
        if (d == -1)
            shape->add_dim()->set_dim_param("N");
        else if (d < -1)
            shape->add_dim();
        else
            shape->add_dim()->set_dim_value(d);
    }
}

inline onnx::NodeProto *addNode(onnx::GraphProto *g, const std::string &op, const std::string &name,
                                const std::vector<std::string> &inputs, const std::vector<std::string> &outputs)
{
    onnx::NodeProto *n = g->add_node();
    n->set_op_type(op);
    n->set_name(name);
    for (const auto &i : inputs)
        n->add_input(i);
    for (const auto &o : outputs)
        n->add_output(o);
    return n;
}

inline void addIntsAttr(onnx::NodeProto *n, const std::string &name, const std::vector<int64_t> &values)
{
    auto *a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (int64_t v : values)
        a->add_ints(v);
}

inline void addIntAttr(onnx::NodeProto *n, const std::string &name, int64_t value)
{
    auto *a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(value);
}

inline onnx::ModelProto emptyModel(int64_t opset = 13, int64_t irVersion = 7)
{
    onnx::ModelProto m;
    m.set_ir_version(irVersion);
    m.set_producer_name("builder");
    auto *op = m.add_opset_import();
    op->set_domain("");
    op->set_version(opset);
    m.mutable_graph()->set_name("tiny");
    return m;
}

// X [N,3,4,4] -> Conv 'conv' (W [2,3,1,1], B [2]) -> Y -> Relu 'relu' -> Z [N,2,4,4].
// W[o][i] = o*3 + i + 1 (1..6), B = {0.5, -0.5}.
inline onnx::ModelProto tinyConvModel(int64_t opset = 13)
{
    onnx::ModelProto m = emptyModel(opset);
    onnx::GraphProto *g = m.mutable_graph();
    setValueInfo(g->add_input(), "X", {-1, 3, 4, 4});
    setValueInfo(g->add_output(), "Z", {-1, 2, 4, 4});
    addFloats(g, "W", {2, 3, 1, 1}, {1, 2, 3, 4, 5, 6});
    addFloats(g, "B", {2}, {0.5f, -0.5f});
    onnx::NodeProto *conv = addNode(g, "Conv", "conv", {"X", "W", "B"}, {"Y"});
    addIntsAttr(conv, "kernel_shape", {1, 1});
    addNode(g, "Relu", "relu", {"Y"}, {"Z"});
    return m;
}

inline std::string writeFile(const QTemporaryDir &dir, const std::string &name, const std::string &bytes)
{
    const std::string path = dir.path().toStdString() + "/" + name;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    return path;
}

inline std::string writeModel(const QTemporaryDir &dir, const std::string &name, const onnx::ModelProto &m)
{
    return writeFile(dir, name, m.SerializeAsString());
}

} // namespace qs::test
