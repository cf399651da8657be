#include "charts/chartdata.h"

namespace qs {

int ChartLayer::outlierCount() const
{
    int n = 0;
    for (const ChartChannel &c : channels)
        n += c.outlier ? 1 : 0;
    return n;
}

} // namespace qs
