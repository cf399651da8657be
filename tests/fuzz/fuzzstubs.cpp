// The fuzz build leaves out the analyzers that need LibTorch; what the fuzz targets read (session
// files name a scheme, they never calibrate) never creates one.

#include "quant/analyzer_internal.h"

#include <cstdlib>

namespace qs {

std::unique_ptr<EncodingAnalyzer> makeSqnrSearchAnalyzer() { std::abort(); }
std::unique_ptr<EncodingAnalyzer> makePercentileAnalyzer(double) { std::abort(); }

} // namespace qs
