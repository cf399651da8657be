<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>qs::ChartView</name>
    <message>
        <source>: unknown image type (use .png or .svg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>: cannot write (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy Image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Image...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>qs::ChartsPanel</name>
    <message>
        <source>Weight ranges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relative ranges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantization sensitivity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare with equalized</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>overlaid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>side by side</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show all-but-one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>equalized</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>original</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size in pixels (WIDTHxHEIGHT):</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>qs::JobStatusWidget</name>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>qs::LayerExplorer</name>
    <message>
        <source>Filter layers (regular expression)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show one op type only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All ops</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy Rows</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>qs::LayerTableModel</name>
    <message>
        <source>Largest / smallest output-channel weight range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQNR of the model output with only this layer&apos;s weight quantized (dB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top-1 drop in points with only this layer&apos;s weight quantized</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Op</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight shape</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output shape</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Params</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MACs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight max</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Range ratio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQNR (dB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top-1 drop</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>qs::MainWindow</name>
    <message>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ONNX models (*.onnx);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantscope sessions (*.qss);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save Session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantscope sessions (*.qss)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recover Autosaved Session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open Model...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Session...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save Session &amp;As...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Preferences...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No model loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantscope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantscope - %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading %1...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loaded %1 in %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>input %1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>output %1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 nodes, %2 parameters, %3 MACs per sample</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Session saved to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>: the session names no model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A model is still loading.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 changed since the session was saved (SHA-256 differs)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>qs::QuantPanel</name>
    <message>
        <source>Quantization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Post-training fixes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scheme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Percentile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight bits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activation bits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High-bias absorption</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bias correction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preprocess (JSON)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calibration samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evaluation samples (0 = all)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sensitivity samples (0 = off)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per-channel weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fold batch norms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cross-layer equalization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>exact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>approximate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>empirical</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>analytical</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AdaRound</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AdaRound is not available from the panel in this version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>beside the data set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Encodings...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export QDQ ONNX...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FP32 top-1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantized top-1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FP32 top-5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantized top-5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantizers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No model loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Another job is running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantizing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantization cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: FP32 top-1 %2, quantized top-1 %3 over %4 samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No quantization run to export.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export QDQ ONNX</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Encodings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ONNX models (*.onnx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AIMET encodings (*.encodings *.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>qs::QuantSensitivityChart</name>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>quantized alone: SQNR %1 dB, top-1 %2%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all other layers quantized: SQNR %1 dB, top-1 %2%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FP32 top-1 %1%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantization sensitivity: not computed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run a quantization with per-layer sensitivity in the quantization panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantization sensitivity per layer (SQNR of the model output)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lowest SQNR when quantized alone: %1 (%2 dB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>layer quantized alone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all other layers quantized</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQNR (dB)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>qs::RelativeRangeChart</name>
    <message>
        <source>original</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>compared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2, %3 channels)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>relative range: Q1 %1, median %2, Q3 %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>whiskers %1 to %2, fence %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 outlier channels, max/min channel range %2x</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, channel %2: relative range %3 (range %4, min %5, max %6)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>relative ranges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 outliers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>outlier channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>relative range (log scale)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>relative range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relative weight ranges: no layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relative weight ranges per output channel (range / smallest range in the layer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 layers, %2 with outlier channels beyond Q3 + 1.5 IQR (red)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>qs::SettingsDialog</name>
    <message>
        <source>Preferences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>qs::WeightRangeChart</name>
    <message>
        <source>original</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>compared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, channel %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>min %1, max %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mean %1, std %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>range %1 (%2 x the smallest)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>outlier channel (beyond Q3 + 1.5 IQR)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min to max</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>min to max</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 mean</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mean</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 range (max - min)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>range (max - min)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>output channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>channel range (max - min), log scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>weight value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight ranges: no layer selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>max/min channel range %1x</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>max/min channel range: %1 %2x, %3 %4x</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight ranges per output channel: %1 (%2, %3 channels)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
