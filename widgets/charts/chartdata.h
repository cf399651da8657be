#pragma once
// Qt-side copies of the engine's per-channel weight statistics (engine/analysis/weightstats.h),
// so the charts build without the engine and are testable with synthetic data.
// weightstatsadapter.h converts from the engine structs.

#include <QString>
#include <QVector>

namespace qs {

struct ChartChannel {
    double min = 0;
    double max = 0;
    double mean = 0;
    double std = 0;
    double relativeRange = 0; // |max - min| / smallest positive channel range of the layer
    bool outlier = false;     // relativeRange > Q3 + 1.5 IQR
    double range() const { return max - min; }
};

struct ChartLayer {
    QString name;
    QString opType;
    QVector<ChartChannel> channels;
    // Quartiles of the relative ranges (linear interpolation) and the outlier fence Q3 + 1.5 IQR.
    double q1 = 0;
    double median = 0;
    double q3 = 0;
    double upperFence = 0;
    double rangeRatio = 1; // largest / smallest positive channel range
    int outlierCount() const;
};

} // namespace qs

namespace qs {

// Qt-side copy of one layer's quantization sensitivity (engine/analysis/quantsensitivity.h).
struct ChartSensitivity {
    QString name;
    QString opType;
    double sqnrAlone = 0;  // dB, the model output with only this layer's weight quantized
    double top1Alone = 0;  // 0..1
    double sqnrAllBut = 0; // dB, every other layer's weight quantized
    double top1AllBut = 0;
};

} // namespace qs
