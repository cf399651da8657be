#pragma once
// Registration of the built-in plugins (data sources that need Qt). Call once at start-up, after
// registerBuiltinDatasets, on the registry the application uses.

#include "data/dataset.h"

namespace qs {

void registerBuiltinPlugins(DatasetRegistry &registry); // adds "imagefolder"

} // namespace qs
