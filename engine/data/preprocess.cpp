#include "data/preprocess.h"

#include "core/fileutil.h"
#include "data/imageresize.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>

namespace qs {

namespace {

using nlohmann::json;

const char *const kKeys[] = {"resize_shorter_side", "interpolation", "center_crop", "scale",
                             "offset",              "mean",          "std",         "formula"};

[[noreturn]] void badValue(const std::string &source, const std::string &key, const std::string &want, const json &v)
{
    fail(ErrorCode::Invalid, source + ": '" + key + "' must be " + want + ", got " + v.dump());
}

int sizeValue(const std::string &source, const std::string &key, const json &v)
{
    if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > 65536)
        badValue(source, key, "an integer from 0 to 65536", v);
    return v.get<int>();
}

float floatValue(const std::string &source, const std::string &key, const json &v)
{
    if (!v.is_number() || !std::isfinite(v.get<double>()))
        badValue(source, key, "a finite number", v);
    return v.get<float>();
}

std::vector<float> listValue(const std::string &source, const std::string &key, const json &v, bool positive)
{
    if (!v.is_array() || v.empty())
        badValue(source, key, "a non-empty array of numbers", v);
    std::vector<float> out;
    for (const auto &e : v) {
        if (!e.is_number() || !std::isfinite(e.get<double>()) || (positive && e.get<double>() <= 0))
            badValue(source, key, positive ? "an array of positive numbers" : "an array of numbers", v);
        out.push_back(e.get<float>());
    }
    return out;
}

Preprocess fromJson(const std::string &source, const json &doc)
{
    const json &obj = doc.is_object() && doc.contains("preprocess") ? doc.at("preprocess") : doc;
    if (!obj.is_object())
        fail(ErrorCode::Invalid, source + ": preprocessing must be a JSON object, got " + obj.dump());
    for (const auto &item : obj.items()) {
        if (std::find(std::begin(kKeys), std::end(kKeys), item.key()) == std::end(kKeys))
            fail(ErrorCode::Invalid, source + ": unknown key '" + item.key() +
                                         "' (known: resize_shorter_side, interpolation, center_crop, scale, "
                                         "offset, mean, std)");
    }
    Preprocess p;
    if (obj.contains("resize_shorter_side"))
        p.resizeShorterSide = sizeValue(source, "resize_shorter_side", obj["resize_shorter_side"]);
    if (obj.contains("center_crop"))
        p.centerCrop = sizeValue(source, "center_crop", obj["center_crop"]);
    if (obj.contains("interpolation")) {
        const json &v = obj["interpolation"];
        if (!v.is_string() || (v.get<std::string>() != "bilinear" && v.get<std::string>() != "nearest"))
            badValue(source, "interpolation", "\"bilinear\" or \"nearest\"", v);
        p.interpolation = v.get<std::string>();
    }
    if (obj.contains("scale"))
        p.scale = floatValue(source, "scale", obj["scale"]);
    if (obj.contains("offset"))
        p.offset = floatValue(source, "offset", obj["offset"]);
    if (obj.contains("mean"))
        p.mean = listValue(source, "mean", obj["mean"], false);
    if (obj.contains("std"))
        p.std = listValue(source, "std", obj["std"], true);
    if (!p.mean.empty() && !p.std.empty() && p.mean.size() != p.std.size())
        fail(ErrorCode::Invalid, source + ": 'mean' has " + std::to_string(p.mean.size()) + " values but 'std' has " +
                                     std::to_string(p.std.size()));
    return p;
}

// Per-channel lookup table from 8-bit pixel to the final float, computed in float32 in the order
// of the reference pipeline (torchvision's ToTensor divides by 255 rather than multiplying by 1/255).
std::vector<std::array<float, 256>> pixelTables(const Preprocess &p, int channels)
{
    for (const auto *list : {&p.mean, &p.std})
        if (list->size() > 1 && list->size() != size_t(channels))
            fail(ErrorCode::Invalid, "preprocess: " + std::string(list == &p.mean ? "mean" : "std") + " has " +
                                         std::to_string(list->size()) + " values but the image has " +
                                         std::to_string(channels) + " channel" + (channels == 1 ? "" : "s"));
    const double inverse = p.scale != 0.f ? 1.0 / double(p.scale) : 0.0;
    const bool divide = p.scale != 0.f && std::fabs(inverse * 2 - std::round(inverse * 2)) < 1e-6 * inverse;
    const float divisor = float(std::round(inverse * 2) / 2);
    std::vector<std::array<float, 256>> tables(static_cast<size_t>(channels));
    for (int c = 0; c < channels; ++c) {
        for (int v = 0; v < 256; ++v) {
            float x = divide ? float(v) / divisor : float(v) * p.scale;
            x = x + p.offset;
            if (!p.mean.empty())
                x = x - p.mean[p.mean.size() == 1 ? 0 : size_t(c)];
            if (!p.std.empty())
                x = x / p.std[p.std.size() == 1 ? 0 : size_t(c)];
            tables[size_t(c)][size_t(v)] = x;
        }
    }
    return tables;
}

} // namespace

Result<Preprocess> parsePreprocess(const std::string &jsonTextOrFile)
{
    const size_t first = jsonTextOrFile.find_first_not_of(" \t\r\n");
    const bool isText = first != std::string::npos && jsonTextOrFile[first] == '{';
    const std::string source = isText ? std::string("preprocess") : jsonTextOrFile;
    return capture("", [&]() -> Preprocess {
        if (!isText && jsonTextOrFile.empty())
            fail(ErrorCode::Usage, "preprocess: empty JSON text or file name");
        const std::string text = isText ? jsonTextOrFile : readFileBytes(jsonTextOrFile, size_t(1) << 24);
        json doc;
        try {
            doc = json::parse(text);
        } catch (const json::exception &e) {
            fail(ErrorCode::Format, source + ": invalid JSON (" + e.what() + ")");
        }
        return fromJson(source, doc);
    });
}

std::pair<int, int> preprocessedSize(int width, int height, const Preprocess &p)
{
    if (p.resizeShorterSide > 0) {
        const int s = p.resizeShorterSide;
        // Python's round(): half to even, as the reference pipeline computed the longer side.
        if (width <= height) {
            height = int(std::nearbyint(double(s) * height / width));
            width = s;
        } else {
            width = int(std::nearbyint(double(s) * width / height));
            height = s;
        }
    }
    if (p.centerCrop > 0)
        width = height = p.centerCrop;
    return {width, height};
}

Tensor applyPreprocess(const Record &record, const Preprocess &p)
{
    if (record.image.pixels.empty()) {
        if (!record.tensor.defined())
            fail(ErrorCode::Invalid, "preprocess: empty record (no image and no tensor)");
        if (record.tensor.dtype() == DType::Float32)
            return record.tensor;
        return Tensor::fromFloats(record.tensor.shape(), record.tensor.toFloats());
    }
    Image img = record.image;
    if (p.resizeShorterSide > 0) {
        Preprocess resizeOnly;
        resizeOnly.resizeShorterSide = p.resizeShorterSide;
        const auto [w, h] = preprocessedSize(img.width, img.height, resizeOnly);
        img = resizeImage(img, w, h, p.interpolation == "nearest" ? Interpolation::Nearest : Interpolation::Bilinear);
    }
    if (p.centerCrop > 0) {
        const int c = p.centerCrop;
        const int top = int(std::floor((img.height - c) / 2.0));
        const int left = int(std::floor((img.width - c) / 2.0));
        img = cropImage(img, left, top, c, c);
    }
    const auto tables = pixelTables(p, img.channels);
    const size_t plane = size_t(img.width) * size_t(img.height);
    Tensor out(DType::Float32, {img.channels, img.height, img.width});
    float *dst = out.dataAs<float>();
    const size_t ch = size_t(img.channels);
    for (size_t c = 0; c < ch; ++c)
        for (size_t i = 0; i < plane; ++i)
            dst[c * plane + i] = tables[c][img.pixels[i * ch + c]];
    return out;
}

} // namespace qs
