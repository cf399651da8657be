#include "charts/chartaxes.h"

#include <QLogValueAxis>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace qs {

double niceStep(double raw, bool integral)
{
    if (!(raw > 0))
        return 1.0;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    double step = 10.0 * power;
    for (double m : {1.0, 2.0, 5.0}) {
        if (m * power >= raw) {
            step = m * power;
            break;
        }
    }
    return integral ? std::max(1.0, step) : step;
}

void setChannelTicks(QValueAxis *axis, int count)
{
    axis->setRange(-0.5, std::max(count, 1) - 0.5);
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0.0);
    axis->setTickInterval(niceStep(count / 10.0, true));
    axis->setLabelFormat(QStringLiteral("%d"));
    axis->setMinorTickCount(0);
}

void setLogTicks(QLogValueAxis *axis)
{
    const double decades = std::log10(axis->max() / axis->min());
    // Under two decades base-10 labels would show one or two numbers: label powers of two.
    axis->setBase(decades < 2.0 ? 2.0 : 10.0);
    axis->setMinorTickCount(decades <= 4 ? -1 : 0);
}

} // namespace qs
