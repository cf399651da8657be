#pragma once
// Axis helpers shared by the charts.

class QLogValueAxis;
class QValueAxis;

namespace qs {

// 1, 2 or 5 times a power of ten, at least `raw` (and at least 1 when `integral`).
double niceStep(double raw, bool integral);
// An axis over integer positions 0..count-1 (channels, layers): range -0.5..count-0.5 and
// integer labels every niceStep(count / 10).
void setChannelTicks(QValueAxis *axis, int count);
// Log axis base and minor grid (set its range first): base 2 below two decades, else base 10;
// minor grid lines only over a few decades.
void setLogTicks(QLogValueAxis *axis);

} // namespace qs
