#include "datasets/imagefolderdataset.h"

#include "core/error.h"
#include "core/fileutil.h"

#include <QImage>
#include <QImageReader>
#include <QString>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>
#include <sstream>

namespace qs {

namespace fs = std::filesystem;

namespace {

bool isImageFile(const fs::path &p)
{
    static const char *const kExtensions[] = {".jpg", ".jpeg", ".png", ".bmp", ".ppm", ".pgm",
                                              ".pbm", ".gif",  ".tif", ".tiff", ".webp"};
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return std::find(std::begin(kExtensions), std::end(kExtensions), ext) != std::end(kExtensions);
}

bool isHidden(const fs::path &relative)
{
    for (const auto &part : relative)
        if (!part.empty() && part.string()[0] == '.')
            return true;
    return false;
}

// Relative paths of the image files under `root`, sorted byte-wise.
std::vector<std::string> listImages(const std::string &root)
{
    std::vector<std::string> out;
    std::error_code ec;
    fs::recursive_directory_iterator it(root, fs::directory_options::follow_directory_symlink, ec), end;
    if (ec)
        fail(ErrorCode::Io, root + ": cannot list folder (" + ec.message() + ")");
    for (; it != end; it.increment(ec)) {
        if (ec)
            fail(ErrorCode::Io, root + ": cannot list folder (" + ec.message() + ")");
        const fs::path rel = fs::relative(it->path(), root, ec);
        if (isHidden(rel)) {
            if (it->is_directory(ec))
                it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file(ec) && isImageFile(it->path()))
            out.push_back(rel.generic_string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

// First token of every non-empty line ("n01440764" or "n01440764 tench, Tinca tinca").
std::vector<std::string> readClassList(const std::string &path)
{
    std::istringstream in(readFileBytes(path, size_t(1) << 26));
    std::vector<std::string> classes;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string first;
        if (words >> first)
            classes.push_back(first);
    }
    if (classes.empty())
        fail(ErrorCode::Format, path + ": class list is empty");
    return classes;
}

std::vector<std::string> subFolders(const std::string &root)
{
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto &entry : fs::directory_iterator(root, ec)) {
        const std::string name = entry.path().filename().string();
        if (!name.empty() && name[0] != '.' && entry.is_directory(ec))
            out.push_back(name);
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

bool ImageFolderDataset::probe(const std::string &path)
{
    std::error_code ec;
    return fs::is_directory(path, ec);
}

ImageFolderDataset::ImageFolderDataset(const std::string &path, const DatasetOptions &options) : m_path(path)
{
    if (!probe(path))
        fail(ErrorCode::Io, path + ": no such folder");
    const std::vector<std::string> relative = listImages(path);
    if (relative.empty())
        fail(ErrorCode::Invalid, path + ": folder holds no image files (JPEG, PNG, BMP, PPM, GIF, TIFF, WebP)");

    std::string classFile = options.labels;
    if (classFile.empty() && fileExists((fs::path(path) / "wnids.txt").string()))
        classFile = (fs::path(path) / "wnids.txt").string();
    m_classes = classFile.empty() ? subFolders(path) : readClassList(classFile);
    std::map<std::string, int64_t> index;
    for (size_t i = 0; i < m_classes.size(); ++i)
        index.emplace(m_classes[i], int64_t(i));

    for (const auto &rel : relative) {
        const fs::path p(rel);
        int64_t label = -1;
        if (!classFile.empty()) {
            const std::string stem = p.stem().string();
            const std::string parent = p.parent_path().filename().string();
            auto it = index.find(stem.substr(0, stem.find('_')));
            if (it == index.end())
                it = index.find(parent);
            if (it == index.end())
                fail(ErrorCode::Invalid, (fs::path(path) / p).string() + ": class '" + stem.substr(0, stem.find('_')) +
                                             "' is not in the class list " + classFile);
            label = it->second;
        } else if (std::distance(p.begin(), p.end()) > 1) {
            label = index.at(p.begin()->string());
        }
        m_files.push_back((fs::path(path) / p).string());
        m_labels.push_back(label);
    }
}

Image ImageFolderDataset::decodeImage(const std::string &file)
{
    QImageReader reader(QString::fromStdString(file));
    reader.setAutoTransform(false);
    QImage img = reader.read();
    if (img.isNull())
        fail(fileExists(file) ? ErrorCode::Format : ErrorCode::Io,
             file + ": cannot decode image (" + reader.errorString().toStdString() + ")");
    // Drop alpha without compositing (as PIL's convert("RGB") does); premultiplied data is unmultiplied.
    if (img.hasAlphaChannel())
        img = img.convertToFormat(QImage::Format_ARGB32);
    img = img.convertToFormat(QImage::Format_RGB888);
    Image out;
    out.width = img.width();
    out.height = img.height();
    out.channels = 3;
    out.pixels.resize(size_t(out.width) * size_t(out.height) * 3);
    const size_t row = size_t(out.width) * 3;
    for (int y = 0; y < out.height; ++y)
        std::memcpy(&out.pixels[size_t(y) * row], img.constScanLine(y), row);
    return out;
}

Record ImageFolderDataset::record(int64_t index) const
{
    if (index < 0 || index >= size())
        fail(ErrorCode::Invalid, m_path + ": record " + std::to_string(index) + " out of range (0-" +
                                     std::to_string(size() - 1) + ")");
    Record r;
    r.image = decodeImage(m_files[size_t(index)]);
    r.label = m_labels[size_t(index)];
    return r;
}

} // namespace qs
