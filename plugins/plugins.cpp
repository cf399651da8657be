#include "plugins.h"

#include "datasets/imagefolderdataset.h"

#include <QLoggingCategory>

namespace qs {

void registerBuiltinPlugins(DatasetRegistry &registry)
{
    // Camera JPEGs often carry ICC profiles that Qt 6.4 warns about once per image; the profile is not
    // used (pixels are taken as stored, as PIL does), so the warnings are noise. QT_LOGGING_RULES still wins.
    QLoggingCategory::setFilterRules(QStringLiteral("qt.gui.icc.warning=false"));
    registry.add("imagefolder", ImageFolderDataset::probe,
                 [](const std::string &path, const DatasetOptions &options) -> std::unique_ptr<Dataset> {
                     return std::make_unique<ImageFolderDataset>(path, options);
                 });
}

} // namespace qs
