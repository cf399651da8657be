#pragma once
// Small ONNX models built in code for the hostile-input tests: each helper states exactly what is
// wrong with the model it returns.

#include <onnx/onnx_pb.h>

#include <QByteArray>
#include <QFile>
#include <QString>

#include <string>
#include <vector>

namespace qs::hostile {

inline onnx::ValueInfoProto floatValue(const std::string &name, std::vector<int64_t> dims)
{
    onnx::ValueInfoProto v;
    v.set_name(name);
    auto *t = v.mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims)
        t->mutable_shape()->add_dim()->set_dim_value(d);
    return v;
}

// x[1,4] -> op(inputs) -> y[1,4], opset `opset`.
inline onnx::ModelProto oneNodeModel(const std::string &op, std::vector<std::string> inputs, int64_t opset = 13)
{
    onnx::ModelProto m;
    m.set_ir_version(8);
    auto *o = m.add_opset_import();
    o->set_domain("");
    o->set_version(opset);
    auto *g = m.mutable_graph();
    g->set_name("g");
    *g->add_input() = floatValue("x", {1, 4});
    *g->add_output() = floatValue("y", {1, 4});
    auto *n = g->add_node();
    n->set_name("n1");
    n->set_op_type(op);
    for (const auto &in : inputs)
        n->add_input(in);
    n->add_output("y");
    return m;
}

inline onnx::TensorProto floatTensor(const std::string &name, std::vector<int64_t> dims, std::vector<float> values)
{
    onnx::TensorProto t;
    t.set_name(name);
    t.set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims)
        t.add_dims(d);
    for (float v : values)
        t.add_float_data(v);
    return t;
}

// Add with the initializer `w` stored in an external file at `location`.
inline onnx::ModelProto externalModel(const std::string &location)
{
    auto m = oneNodeModel("Add", {"x", "w"});
    auto t = floatTensor("w", {1, 4}, {});
    t.set_data_location(onnx::TensorProto::EXTERNAL);
    auto *kv = t.add_external_data();
    kv->set_key("location");
    kv->set_value(location);
    *m.mutable_graph()->add_initializer() = t;
    return m;
}

// A graph input whose type is a sequence nested `depth` times (deeper than protobuf parses).
inline onnx::ModelProto deeplyNestedModel(int depth)
{
    auto m = oneNodeModel("Relu", {"x"});
    onnx::TypeProto *type = m.mutable_graph()->mutable_input(0)->mutable_type();
    type->Clear();
    for (int i = 0; i < depth; ++i)
        type = type->mutable_sequence_type()->mutable_elem_type();
    type->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
    return m;
}

inline QByteArray serialize(const onnx::ModelProto &m)
{
    std::string bytes;
    m.SerializeToString(&bytes);
    return QByteArray::fromStdString(bytes);
}

inline bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

} // namespace qs::hostile
