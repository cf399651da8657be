#pragma once
// A folder of images (JPEG, PNG, BMP, ...), searched recursively; record i is the i-th file in order of
// relative path (byte order). Images are decoded with QImage to 8-bit RGB (gray, CMYK, palette and
// alpha images converted; EXIF orientation is not applied, as with PIL's Image.open).
// Labels, by the first rule that applies:
//  - a class list (DatasetOptions::labels, or wnids.txt in the folder): one class per line; a file's
//    class is the line of its file-name prefix before the first '_' (ImageNet's "<wnid>_name.JPEG"),
//    else the line of its parent folder's name;
//  - otherwise the index of the file's top-level sub-folder among the sorted sub-folders; files in the
//    folder itself get -1.

#include "data/dataset.h"

#include <string>
#include <vector>

namespace qs {

class ImageFolderDataset : public Dataset {
public:
    // Throws qs::Exception naming the folder or file (no images, unreadable class list, file whose class
    // is not in the list).
    ImageFolderDataset(const std::string &path, const DatasetOptions &options);

    static bool probe(const std::string &path); // a folder
    // Decodes one image file to RGB; throws naming the file.
    static Image decodeImage(const std::string &file);

    int64_t size() const override { return int64_t(m_files.size()); }
    Record record(int64_t index) const override;
    std::string path() const override { return m_path; }
    std::string kind() const override { return "imagefolder"; }

    const std::vector<std::string> &files() const { return m_files; }   // absolute paths, in record order
    const std::vector<std::string> &classes() const { return m_classes; } // class names by index
    int64_t label(int64_t index) const { return m_labels.at(size_t(index)); }

private:
    std::string m_path;
    std::vector<std::string> m_files;
    std::vector<int64_t> m_labels;
    std::vector<std::string> m_classes;
};

} // namespace qs
