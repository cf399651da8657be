#include "plugins.h"

#include "datasets/imagefolderdataset.h"

namespace qs {

void registerBuiltinPlugins(DatasetRegistry &registry)
{
    registry.add("imagefolder", ImageFolderDataset::probe,
                 [](const std::string &path, const DatasetOptions &options) -> std::unique_ptr<Dataset> {
                     return std::make_unique<ImageFolderDataset>(path, options);
                 });
}

} // namespace qs
