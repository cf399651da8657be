<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>SensitivityHeatmap</name>
    <message>
        <source>memory</source>
        <translation>memory</translation>
    </message>
    <message>
        <source>MACs</source>
        <translation>MACs</translation>
    </message>
    <message>
        <source>%1, %2, top-1 of %3 records</source>
        <translation>%1, %2, top-1 of %3 records</translation>
    </message>
    <message>
        <source>, baseline %1%</source>
        <translation>, baseline %1%</translation>
    </message>
    <message>
        <source>Compression sensitivity</source>
        <translation>Compression sensitivity</translation>
    </message>
</context>
<context>
    <name>qs::ChartView</name>
    <message>
        <source>: unknown image type (use .png or .svg)</source>
        <translation>: unknown image type (use .png or .svg)</translation>
    </message>
    <message>
        <source>: cannot write (%1)</source>
        <translation>: cannot write (%1)</translation>
    </message>
    <message>
        <source>Copy Image</source>
        <translation>Copy Image</translation>
    </message>
    <message>
        <source>Export Image...</source>
        <translation>Export Image...</translation>
    </message>
    <message>
        <source>Export Chart</source>
        <translation>Export Chart</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg)</source>
        <translation>PNG image (*.png);;SVG image (*.svg)</translation>
    </message>
</context>
<context>
    <name>qs::ChartsPanel</name>
    <message>
        <source>Weight ranges</source>
        <translation>Weight ranges</translation>
    </message>
    <message>
        <source>Relative ranges</source>
        <translation>Relative ranges</translation>
    </message>
    <message>
        <source>Quantization sensitivity</source>
        <translation>Quantization sensitivity</translation>
    </message>
    <message>
        <source>Compare with equalized</source>
        <translation>Compare with equalized</translation>
    </message>
    <message>
        <source>overlaid</source>
        <translation>overlaid</translation>
    </message>
    <message>
        <source>side by side</source>
        <translation>side by side</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>Log scale</translation>
    </message>
    <message>
        <source>Show all-but-one</source>
        <translation>Show all-but-one</translation>
    </message>
    <message>
        <source>Export...</source>
        <translation>Export...</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>equalized</source>
        <translation>equalized</translation>
    </message>
    <message>
        <source>original</source>
        <translation>original</translation>
    </message>
    <message>
        <source>Export Chart</source>
        <translation>Export Chart</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg)</source>
        <translation>PNG image (*.png);;SVG image (*.svg)</translation>
    </message>
    <message>
        <source>Size in pixels (WIDTHxHEIGHT):</source>
        <translation>Size in pixels (WIDTHxHEIGHT):</translation>
    </message>
</context>
<context>
    <name>qs::CompressionWizard</name>
    <message>
        <source>Compression Wizard</source>
        <translation>Compression Wizard</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <source>Data set</source>
        <translation>Data set</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>Labels</translation>
    </message>
    <message>
        <source>Preprocess (JSON)</source>
        <translation>Preprocess (JSON)</translation>
    </message>
    <message>
        <source>Evaluator</source>
        <translation>Evaluator</translation>
    </message>
    <message>
        <source>Sensitivity records from</source>
        <translation>Sensitivity records from</translation>
    </message>
    <message>
        <source>Sensitivity records (0 = all)</source>
        <translation>Sensitivity records (0 = all)</translation>
    </message>
    <message>
        <source>Test records from</source>
        <translation>Test records from</translation>
    </message>
    <message>
        <source>Test records (0 = all)</source>
        <translation>Test records (0 = all)</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Batch</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Method</translation>
    </message>
    <message>
        <source>Cost metric</source>
        <translation>Cost metric</translation>
    </message>
    <message>
        <source>Target (fraction of the cost kept)</source>
        <translation>Target (fraction of the cost kept)</translation>
    </message>
    <message>
        <source>Candidate ratios</source>
        <translation>Candidate ratios</translation>
    </message>
    <message>
        <source>Round channels and ranks to</source>
        <translation>Round channels and ranks to</translation>
    </message>
    <message>
        <source>Reconstruction images</source>
        <translation>Reconstruction images</translation>
    </message>
    <message>
        <source>Cache file</source>
        <translation>Cache file</translation>
    </message>
    <message>
        <source>Fine-tuning epochs (0 = off)</source>
        <translation>Fine-tuning epochs (0 = off)</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Learning rate</translation>
    </message>
    <message>
        <source>Training records from</source>
        <translation>Training records from</translation>
    </message>
    <message>
        <source>Training records (0 = all)</source>
        <translation>Training records (0 = all)</translation>
    </message>
    <message>
        <source>Export folder</source>
        <translation>Export folder</translation>
    </message>
    <message>
        <source>Top-1 accuracy (classifier)</source>
        <translation>Top-1 accuracy (classifier)</translation>
    </message>
    <message>
        <source>Spatial SVD</source>
        <translation>Spatial SVD</translation>
    </message>
    <message>
        <source>Weight SVD</source>
        <translation>Weight SVD</translation>
    </message>
    <message>
        <source>Channel pruning</source>
        <translation>Channel pruning</translation>
    </message>
    <message>
        <source>Spatial SVD, then channel pruning</source>
        <translation>Spatial SVD, then channel pruning</translation>
    </message>
    <message>
        <source>MACs</source>
        <translation>MACs</translation>
    </message>
    <message>
        <source>Memory (parameters)</source>
        <translation>Memory (parameters)</translation>
    </message>
    <message>
        <source>beside the data set</source>
        <translation>beside the data set</translation>
    </message>
    <message>
        <source>chosen when the table is first computed</source>
        <translation>chosen when the table is first computed</translation>
    </message>
    <message>
        <source>folder for the model, reports and charts</source>
        <translation>folder for the model, reports and charts</translation>
    </message>
    <message>
        <source>Compute</source>
        <translation>Compute</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Resume</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Greedy Selection</source>
        <translation>Greedy Selection</translation>
    </message>
    <message>
        <source>Compress</source>
        <translation>Compress</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Layer</translation>
    </message>
    <message>
        <source>Op</source>
        <translation>Op</translation>
    </message>
    <message>
        <source>Ratio</source>
        <translation>Ratio</translation>
    </message>
    <message>
        <source>Kept</source>
        <translation>Kept</translation>
    </message>
    <message>
        <source>MACs saved</source>
        <translation>MACs saved</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Score</translation>
    </message>
    <message>
        <source>MACs before</source>
        <translation>MACs before</translation>
    </message>
    <message>
        <source>MACs after</source>
        <translation>MACs after</translation>
    </message>
    <message>
        <source>Parameters after</source>
        <translation>Parameters after</translation>
    </message>
    <message>
        <source>Model, data and evaluator</source>
        <translation>Model, data and evaluator</translation>
    </message>
    <message>
        <source>Method and target</source>
        <translation>Method and target</translation>
    </message>
    <message>
        <source>Sensitivity analysis</source>
        <translation>Sensitivity analysis</translation>
    </message>
    <message>
        <source>Ratio selection</source>
        <translation>Ratio selection</translation>
    </message>
    <message>
        <source>Compression</source>
        <translation>Compression</translation>
    </message>
    <message>
        <source>Results and export</source>
        <translation>Results and export</translation>
    </message>
    <message>
        <source>The model to compress, the records the sensitivity table and the final evaluation use.</source>
        <translation>The model to compress, the records the sensitivity table and the final evaluation use.</translation>
    </message>
    <message>
        <source>How layers are compressed, what the target measures, and the candidate ratios per layer.</source>
        <translation>How layers are compressed, what the target measures, and the candidate ratios per layer.</translation>
    </message>
    <message>
        <source>Top-1 with one layer compressed at a time. Cancel keeps finished layers in the cache; Resume continues.</source>
        <translation>Top-1 with one layer compressed at a time. Cancel keeps finished layers in the cache; Resume continues.</translation>
    </message>
    <message>
        <source>Greedy selection for the target; change a layer's ratio in the table or by clicking the heatmap.</source>
        <translation>Greedy selection for the target; change a layer's ratio in the table or by clicking the heatmap.</translation>
    </message>
    <message>
        <source>Compresses the chosen layers (channel pruning refits each layer on the data), then optionally fine-tunes.</source>
        <translation>Compresses the chosen layers (channel pruning refits each layer on the data), then optionally fine-tunes.</translation>
    </message>
    <message>
        <source>Accuracy and cost before and after; export the model, reports, charts and tables.</source>
        <translation>Accuracy and cost before and after; export the model, reports, charts and tables.</translation>
    </message>
    <message>
        <source>No compression yet.</source>
        <translation>No compression yet.</translation>
    </message>
    <message>
        <source>Top-1 %1 before, %2 compressed</source>
        <translation>Top-1 %1 before, %2 compressed</translation>
    </message>
    <message>
        <source>, %1 after %2 epochs of fine-tuning</source>
        <translation>, %1 after %2 epochs of fine-tuning</translation>
    </message>
    <message>
        <source>. MACs %1 -&gt; %2 (%3), parameters %4 -&gt; %5; the cost model projected %6 MACs.</source>
        <translation>. MACs %1 -&gt; %2 (%3), parameters %4 -&gt; %5; the cost model projected %6 MACs.</translation>
    </message>
    <message>
        <source> (Compress again to export the model: it is not kept in the session.)</source>
        <translation> (Compress again to export the model: it is not kept in the session.)</translation>
    </message>
    <message>
        <source>Nothing to export: compress the model first.</source>
        <translation>Nothing to export: compress the model first.</translation>
    </message>
    <message>
        <source>Choose an export folder.</source>
        <translation>Choose an export folder.</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>Exported to %1</translation>
    </message>
    <message>
        <source>Compression report</source>
        <translation>Compression report</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>Compression sensitivity</source>
        <translation>Compression sensitivity</translation>
    </message>
    <message>
        <source>Compressed layers</source>
        <translation>Compressed layers</translation>
    </message>
    <message>
        <source>%1 of %2 layers in the cache %3</source>
        <translation>%1 of %2 layers in the cache %3</translation>
    </message>
    <message>
        <source>No model loaded.</source>
        <translation>No model loaded.</translation>
    </message>
    <message>
        <source>Another job is running.</source>
        <translation>Another job is running.</translation>
    </message>
    <message>
        <source>Computing; finished layers are kept in %1</source>
        <translation>Computing; finished layers are kept in %1</translation>
    </message>
    <message>
        <source>Cancelled; %1 finished layers are kept in the cache.</source>
        <translation>Cancelled; %1 finished layers are kept in the cache.</translation>
    </message>
    <message>
        <source>Projected: MACs %1 -&gt; %2 (%3 of the original), parameters %4 -&gt; %5 (%6); target %7. Expected top-1 about %8 (lowest score of the chosen cells; baseline %9).</source>
        <translation>Projected: MACs %1 -&gt; %2 (%3 of the original), parameters %4 -&gt; %5 (%6); target %7. Expected top-1 about %8 (lowest score of the chosen cells; baseline %9).</translation>
    </message>
    <message>
        <source> Spatial SVD stage (to the square root of the target); channel pruning to the target follows.</source>
        <translation> Spatial SVD stage (to the square root of the target); channel pruning to the target follows.</translation>
    </message>
    <message>
        <source>Choose the ratios first.</source>
        <translation>Choose the ratios first.</translation>
    </message>
    <message>
        <source>Compressing</source>
        <translation>Compressing</translation>
    </message>
    <message>
        <source>Compressing %1 layers...</source>
        <translation>Compressing %1 layers...</translation>
    </message>
    <message>
        <source>Top-1 %1 -&gt; %2, MACs %3 -&gt; %4</source>
        <translation>Top-1 %1 -&gt; %2, MACs %3 -&gt; %4</translation>
    </message>
    <message>
        <source>Compression cancelled; nothing changed.</source>
        <translation>Compression cancelled; nothing changed.</translation>
    </message>
    <message>
        <source>%1 layers x %2 ratios, baseline top-1 %3 over %4 records</source>
        <translation>%1 layers x %2 ratios, baseline top-1 %3 over %4 records</translation>
    </message>
    <message>
        <source>%1 s of computing</source>
        <translation>%1 s of computing</translation>
    </message>
    <message>
        <source>Channel selection</source>
        <translation>Channel selection</translation>
    </message>
    <message>
        <source>Largest weights (L2)</source>
        <translation>Largest weights (L2)</translation>
    </message>
    <message>
        <source>Least reconstruction error</source>
        <translation>Least reconstruction error</translation>
    </message>
</context>
<context>
    <name>qs::JobStatusWidget</name>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>qs::LayerExplorer</name>
    <message>
        <source>Filter layers (regular expression)</source>
        <translation>Filter layers (regular expression)</translation>
    </message>
    <message>
        <source>Show one op type only</source>
        <translation>Show one op type only</translation>
    </message>
    <message>
        <source>All ops</source>
        <translation>All ops</translation>
    </message>
    <message>
        <source>Copy Rows</source>
        <translation>Copy Rows</translation>
    </message>
</context>
<context>
    <name>qs::LayerTableModel</name>
    <message>
        <source>Largest / smallest output-channel weight range</source>
        <translation>Largest / smallest output-channel weight range</translation>
    </message>
    <message>
        <source>SQNR of the model output with only this layer's weight quantized (dB)</source>
        <translation>SQNR of the model output with only this layer's weight quantized (dB)</translation>
    </message>
    <message>
        <source>Top-1 drop in points with only this layer's weight quantized</source>
        <translation>Top-1 drop in points with only this layer's weight quantized</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Layer</translation>
    </message>
    <message>
        <source>Op</source>
        <translation>Op</translation>
    </message>
    <message>
        <source>Weight shape</source>
        <translation>Weight shape</translation>
    </message>
    <message>
        <source>Output shape</source>
        <translation>Output shape</translation>
    </message>
    <message>
        <source>Params</source>
        <translation>Params</translation>
    </message>
    <message>
        <source>MACs</source>
        <translation>MACs</translation>
    </message>
    <message>
        <source>Weight min</source>
        <translation>Weight min</translation>
    </message>
    <message>
        <source>Weight max</source>
        <translation>Weight max</translation>
    </message>
    <message>
        <source>Range ratio</source>
        <translation>Range ratio</translation>
    </message>
    <message>
        <source>SQNR (dB)</source>
        <translation>SQNR (dB)</translation>
    </message>
    <message>
        <source>Top-1 drop</source>
        <translation>Top-1 drop</translation>
    </message>
    <message>
        <source>Input shape</source>
        <translation>Input shape</translation>
    </message>
</context>
<context>
    <name>qs::MainWindow</name>
    <message>
        <source>Ready</source>
        <translation>Ready</translation>
    </message>
    <message>
        <source>Open Model</source>
        <translation>Open Model</translation>
    </message>
    <message>
        <source>ONNX models (*.onnx);;All files (*)</source>
        <translation>ONNX models (*.onnx);;All files (*)</translation>
    </message>
    <message>
        <source>Open Session</source>
        <translation>Open Session</translation>
    </message>
    <message>
        <source>Quantscope sessions (*.qss);;All files (*)</source>
        <translation>Quantscope sessions (*.qss);;All files (*)</translation>
    </message>
    <message>
        <source>Save Session</source>
        <translation>Save Session</translation>
    </message>
    <message>
        <source>Quantscope sessions (*.qss)</source>
        <translation>Quantscope sessions (*.qss)</translation>
    </message>
    <message>
        <source>Recover Autosaved Session</source>
        <translation>Recover Autosaved Session</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>Open &amp;Recent</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Settings</translation>
    </message>
    <message>
        <source>&amp;Open Model...</source>
        <translation>&amp;Open Model...</translation>
    </message>
    <message>
        <source>Open &amp;Session...</source>
        <translation>Open &amp;Session...</translation>
    </message>
    <message>
        <source>Save Session &amp;As...</source>
        <translation>Save Session &amp;As...</translation>
    </message>
    <message>
        <source>&amp;Preferences...</source>
        <translation>&amp;Preferences...</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>Layers</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Overview</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>Quantization</translation>
    </message>
    <message>
        <source>No model loaded.</source>
        <translation>No model loaded.</translation>
    </message>
    <message>
        <source>Quantscope</source>
        <translation>Quantscope</translation>
    </message>
    <message>
        <source>Quantscope - %1</source>
        <translation>Quantscope - %1</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>Loading %1...</source>
        <translation>Loading %1...</translation>
    </message>
    <message>
        <source>Loaded %1 in %2 s</source>
        <translation>Loaded %1 in %2 s</translation>
    </message>
    <message>
        <source>input %1 %2</source>
        <translation>input %1 %2</translation>
    </message>
    <message>
        <source>output %1 %2</source>
        <translation>output %1 %2</translation>
    </message>
    <message>
        <source>%1 nodes, %2 parameters, %3 MACs per sample</source>
        <translation>%1 nodes, %2 parameters, %3 MACs per sample</translation>
    </message>
    <message>
        <source>Session saved to %1</source>
        <translation>Session saved to %1</translation>
    </message>
    <message>
        <source>: the session names no model</source>
        <translation>: the session names no model</translation>
    </message>
    <message>
        <source>A model is still loading.</source>
        <translation>A model is still loading.</translation>
    </message>
    <message>
        <source>%1 changed since the session was saved (SHA-256 differs)</source>
        <translation>%1 changed since the session was saved (SHA-256 differs)</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>&amp;Tools</translation>
    </message>
    <message>
        <source>&amp;Compression Wizard...</source>
        <translation>&amp;Compression Wizard...</translation>
    </message>
</context>
<context>
    <name>qs::QuantPanel</name>
    <message>
        <source>Quantization</source>
        <translation>Quantization</translation>
    </message>
    <message>
        <source>Post-training fixes</source>
        <translation>Post-training fixes</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Data</translation>
    </message>
    <message>
        <source>Scheme</source>
        <translation>Scheme</translation>
    </message>
    <message>
        <source>Percentile</source>
        <translation>Percentile</translation>
    </message>
    <message>
        <source>Weight bits</source>
        <translation>Weight bits</translation>
    </message>
    <message>
        <source>Activation bits</source>
        <translation>Activation bits</translation>
    </message>
    <message>
        <source>High-bias absorption</source>
        <translation>High-bias absorption</translation>
    </message>
    <message>
        <source>Bias correction</source>
        <translation>Bias correction</translation>
    </message>
    <message>
        <source>Data set</source>
        <translation>Data set</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>Labels</translation>
    </message>
    <message>
        <source>Preprocess (JSON)</source>
        <translation>Preprocess (JSON)</translation>
    </message>
    <message>
        <source>Calibration samples</source>
        <translation>Calibration samples</translation>
    </message>
    <message>
        <source>Evaluation samples (0 = all)</source>
        <translation>Evaluation samples (0 = all)</translation>
    </message>
    <message>
        <source>Sensitivity samples (0 = off)</source>
        <translation>Sensitivity samples (0 = off)</translation>
    </message>
    <message>
        <source>Per-channel weights</source>
        <translation>Per-channel weights</translation>
    </message>
    <message>
        <source>Fold batch norms</source>
        <translation>Fold batch norms</translation>
    </message>
    <message>
        <source>Cross-layer equalization</source>
        <translation>Cross-layer equalization</translation>
    </message>
    <message>
        <source>off</source>
        <translation>off</translation>
    </message>
    <message>
        <source>exact</source>
        <translation>exact</translation>
    </message>
    <message>
        <source>approximate</source>
        <translation>approximate</translation>
    </message>
    <message>
        <source>empirical</source>
        <translation>empirical</translation>
    </message>
    <message>
        <source>analytical</source>
        <translation>analytical</translation>
    </message>
    <message>
        <source>AdaRound</source>
        <translation>AdaRound</translation>
    </message>
    <message>
        <source>beside the data set</source>
        <translation>beside the data set</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Run</translation>
    </message>
    <message>
        <source>Export Encodings...</source>
        <translation>Export Encodings...</translation>
    </message>
    <message>
        <source>Export QDQ ONNX...</source>
        <translation>Export QDQ ONNX...</translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation>Configuration</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>Samples</translation>
    </message>
    <message>
        <source>FP32 top-1</source>
        <translation>FP32 top-1</translation>
    </message>
    <message>
        <source>Quantized top-1</source>
        <translation>Quantized top-1</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Change</translation>
    </message>
    <message>
        <source>FP32 top-5</source>
        <translation>FP32 top-5</translation>
    </message>
    <message>
        <source>Quantized top-5</source>
        <translation>Quantized top-5</translation>
    </message>
    <message>
        <source>Quantizers</source>
        <translation>Quantizers</translation>
    </message>
    <message>
        <source>No model loaded.</source>
        <translation>No model loaded.</translation>
    </message>
    <message>
        <source>Another job is running.</source>
        <translation>Another job is running.</translation>
    </message>
    <message>
        <source>Quantizing</source>
        <translation>Quantizing</translation>
    </message>
    <message>
        <source>Quantization cancelled</source>
        <translation>Quantization cancelled</translation>
    </message>
    <message>
        <source>%1: FP32 top-1 %2, quantized top-1 %3 over %4 samples</source>
        <translation>%1: FP32 top-1 %2, quantized top-1 %3 over %4 samples</translation>
    </message>
    <message>
        <source>No quantization run to export.</source>
        <translation>No quantization run to export.</translation>
    </message>
    <message>
        <source>Export QDQ ONNX</source>
        <translation>Export QDQ ONNX</translation>
    </message>
    <message>
        <source>Export Encodings</source>
        <translation>Export Encodings</translation>
    </message>
    <message>
        <source>ONNX models (*.onnx)</source>
        <translation>ONNX models (*.onnx)</translation>
    </message>
    <message>
        <source>AIMET encodings (*.encodings *.json)</source>
        <translation>AIMET encodings (*.encodings *.json)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>AdaRound iterations</source>
        <translation>AdaRound iterations</translation>
    </message>
    <message>
        <source>Learned weight rounding; excludes bias correction</source>
        <translation>Learned weight rounding; excludes bias correction</translation>
    </message>
</context>
<context>
    <name>qs::QuantSensitivityChart</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>quantized alone: SQNR %1 dB, top-1 %2%</source>
        <translation>quantized alone: SQNR %1 dB, top-1 %2%</translation>
    </message>
    <message>
        <source>all other layers quantized: SQNR %1 dB, top-1 %2%</source>
        <translation>all other layers quantized: SQNR %1 dB, top-1 %2%</translation>
    </message>
    <message>
        <source>FP32 top-1 %1%</source>
        <translation>FP32 top-1 %1%</translation>
    </message>
    <message>
        <source>Quantization sensitivity: not computed</source>
        <translation>Quantization sensitivity: not computed</translation>
    </message>
    <message>
        <source>run a quantization with per-layer sensitivity in the quantization panel</source>
        <translation>run a quantization with per-layer sensitivity in the quantization panel</translation>
    </message>
    <message>
        <source>Quantization sensitivity per layer (SQNR of the model output)</source>
        <translation>Quantization sensitivity per layer (SQNR of the model output)</translation>
    </message>
    <message>
        <source>lowest SQNR when quantized alone: %1 (%2 dB)</source>
        <translation>lowest SQNR when quantized alone: %1 (%2 dB)</translation>
    </message>
    <message>
        <source>layer quantized alone</source>
        <translation>layer quantized alone</translation>
    </message>
    <message>
        <source>all other layers quantized</source>
        <translation>all other layers quantized</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>layer</translation>
    </message>
    <message>
        <source>SQNR (dB)</source>
        <translation>SQNR (dB)</translation>
    </message>
</context>
<context>
    <name>qs::RelativeRangeChart</name>
    <message>
        <source>original</source>
        <translation>original</translation>
    </message>
    <message>
        <source>compared</source>
        <translation>compared</translation>
    </message>
    <message>
        <source>%1 (%2, %3 channels)</source>
        <translation>%1 (%2, %3 channels)</translation>
    </message>
    <message>
        <source>relative range: Q1 %1, median %2, Q3 %3</source>
        <translation>relative range: Q1 %1, median %2, Q3 %3</translation>
    </message>
    <message>
        <source>whiskers %1 to %2, fence %3</source>
        <translation>whiskers %1 to %2, fence %3</translation>
    </message>
    <message>
        <source>%1 outlier channels, max/min channel range %2x</source>
        <translation>%1 outlier channels, max/min channel range %2x</translation>
    </message>
    <message>
        <source>%1, channel %2: relative range %3 (range %4, min %5, max %6)</source>
        <translation>%1, channel %2: relative range %3 (range %4, min %5, max %6)</translation>
    </message>
    <message>
        <source>relative ranges</source>
        <translation>relative ranges</translation>
    </message>
    <message>
        <source>%1 outliers</source>
        <translation>%1 outliers</translation>
    </message>
    <message>
        <source>outlier channels</source>
        <translation>outlier channels</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>layer</translation>
    </message>
    <message>
        <source>relative range (log scale)</source>
        <translation>relative range (log scale)</translation>
    </message>
    <message>
        <source>relative range</source>
        <translation>relative range</translation>
    </message>
    <message>
        <source>Relative weight ranges: no layers</source>
        <translation>Relative weight ranges: no layers</translation>
    </message>
    <message>
        <source>Relative weight ranges per output channel (range / smallest range in the layer)</source>
        <translation>Relative weight ranges per output channel (range / smallest range in the layer)</translation>
    </message>
    <message>
        <source>%1 layers, %2 with outlier channels beyond Q3 + 1.5 IQR (red)</source>
        <translation>%1 layers, %2 with outlier channels beyond Q3 + 1.5 IQR (red)</translation>
    </message>
</context>
<context>
    <name>qs::SensitivityHeatmap</name>
    <message>
        <source>ratio kept (columns) per layer (rows)</source>
        <translation>ratio kept (columns) per layer (rows)</translation>
    </message>
    <message>
        <source>top-1 / baseline</source>
        <translation>top-1 / baseline</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>pending</translation>
    </message>
    <message>
        <source>%1 at ratio %2: top-1 %3</source>
        <translation>%1 at ratio %2: top-1 %3</translation>
    </message>
    <message>
        <source> (%1 points against %2)</source>
        <translation> (%1 points against %2)</translation>
    </message>
</context>
<context>
    <name>qs::SettingsDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Preferences</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Follow the system</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Light</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dark</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>System language</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Theme</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Language</translation>
    </message>
</context>
<context>
    <name>qs::WeightRangeChart</name>
    <message>
        <source>original</source>
        <translation>original</translation>
    </message>
    <message>
        <source>compared</source>
        <translation>compared</translation>
    </message>
    <message>
        <source>%1, channel %2</source>
        <translation>%1, channel %2</translation>
    </message>
    <message>
        <source>min %1, max %2</source>
        <translation>min %1, max %2</translation>
    </message>
    <message>
        <source>mean %1, std %2</source>
        <translation>mean %1, std %2</translation>
    </message>
    <message>
        <source>range %1 (%2 x the smallest)</source>
        <translation>range %1 (%2 x the smallest)</translation>
    </message>
    <message>
        <source>outlier channel (beyond Q3 + 1.5 IQR)</source>
        <translation>outlier channel (beyond Q3 + 1.5 IQR)</translation>
    </message>
    <message>
        <source>%1 min to max</source>
        <translation>%1 min to max</translation>
    </message>
    <message>
        <source>min to max</source>
        <translation>min to max</translation>
    </message>
    <message>
        <source>%1 mean</source>
        <translation>%1 mean</translation>
    </message>
    <message>
        <source>mean</source>
        <translation>mean</translation>
    </message>
    <message>
        <source>%1 range (max - min)</source>
        <translation>%1 range (max - min)</translation>
    </message>
    <message>
        <source>range (max - min)</source>
        <translation>range (max - min)</translation>
    </message>
    <message>
        <source>output channel</source>
        <translation>output channel</translation>
    </message>
    <message>
        <source>channel range (max - min), log scale</source>
        <translation>channel range (max - min), log scale</translation>
    </message>
    <message>
        <source>weight value</source>
        <translation>weight value</translation>
    </message>
    <message>
        <source>Weight ranges: no layer selected</source>
        <translation>Weight ranges: no layer selected</translation>
    </message>
    <message>
        <source>max/min channel range %1x</source>
        <translation>max/min channel range %1x</translation>
    </message>
    <message>
        <source>max/min channel range: %1 %2x, %3 %4x</source>
        <translation>max/min channel range: %1 %2x, %3 %4x</translation>
    </message>
    <message>
        <source>Weight ranges per output channel: %1 (%2, %3 channels)</source>
        <translation>Weight ranges per output channel: %1 (%2, %3 channels)</translation>
    </message>
</context>
</TS>