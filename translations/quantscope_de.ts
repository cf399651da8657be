<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>SensitivityHeatmap</name>
    <message>
        <source>memory</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <source>MACs</source>
        <translation>MACs</translation>
    </message>
    <message>
        <source>%1, %2, top-1 of %3 records</source>
        <translation>%1, %2, Top-1 über %3 Datensätze</translation>
    </message>
    <message>
        <source>, baseline %1%</source>
        <translation>, Ausgangswert %1%</translation>
    </message>
    <message>
        <source>Compression sensitivity</source>
        <translation>Kompressionsempfindlichkeit</translation>
    </message>
</context>
<context>
    <name>qs::ChartView</name>
    <message>
        <source>: unknown image type (use .png or .svg)</source>
        <translation>: unbekannter Bildtyp (.png oder .svg verwenden)</translation>
    </message>
    <message>
        <source>: cannot write (%1)</source>
        <translation>: kann nicht geschrieben werden (%1)</translation>
    </message>
    <message>
        <source>Copy Image</source>
        <translation>Bild kopieren</translation>
    </message>
    <message>
        <source>Export Image...</source>
        <translation>Bild exportieren...</translation>
    </message>
    <message>
        <source>Export Chart</source>
        <translation>Diagramm exportieren</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg)</source>
        <translation>PNG-Bild (*.png);;SVG-Bild (*.svg)</translation>
    </message>
</context>
<context>
    <name>qs::ChartsPanel</name>
    <message>
        <source>Weight ranges</source>
        <translation>Gewichtsbereiche</translation>
    </message>
    <message>
        <source>Relative ranges</source>
        <translation>Relative Bereiche</translation>
    </message>
    <message>
        <source>Quantization sensitivity</source>
        <translation>Quantisierungsempfindlichkeit</translation>
    </message>
    <message>
        <source>Compare with equalized</source>
        <translation>Mit ausgeglichenem Modell vergleichen</translation>
    </message>
    <message>
        <source>overlaid</source>
        <translation>überlagert</translation>
    </message>
    <message>
        <source>side by side</source>
        <translation>nebeneinander</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>Logarithmische Skala</translation>
    </message>
    <message>
        <source>Show all-but-one</source>
        <translation>Alle außer einer zeigen</translation>
    </message>
    <message>
        <source>Export...</source>
        <translation>Exportieren...</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>equalized</source>
        <translation>ausgeglichen</translation>
    </message>
    <message>
        <source>original</source>
        <translation>Original</translation>
    </message>
    <message>
        <source>Export Chart</source>
        <translation>Diagramm exportieren</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg)</source>
        <translation>PNG-Bild (*.png);;SVG-Bild (*.svg)</translation>
    </message>
    <message>
        <source>Size in pixels (WIDTHxHEIGHT):</source>
        <translation>Größe in Pixeln (BREITExHÖHE):</translation>
    </message>
</context>
<context>
    <name>qs::CompressionWizard</name>
    <message>
        <source>Compression Wizard</source>
        <translation>Kompressionsassistent</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Data set</source>
        <translation>Datensatz</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>Labels</translation>
    </message>
    <message>
        <source>Preprocess (JSON)</source>
        <translation>Vorverarbeitung (JSON)</translation>
    </message>
    <message>
        <source>Evaluator</source>
        <translation>Bewertung</translation>
    </message>
    <message>
        <source>Sensitivity records from</source>
        <translation>Empfindlichkeits-Datensätze ab</translation>
    </message>
    <message>
        <source>Sensitivity records (0 = all)</source>
        <translation>Empfindlichkeits-Datensätze (0 = alle)</translation>
    </message>
    <message>
        <source>Test records from</source>
        <translation>Test-Datensätze ab</translation>
    </message>
    <message>
        <source>Test records (0 = all)</source>
        <translation>Test-Datensätze (0 = alle)</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Stapelgröße</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Verfahren</translation>
    </message>
    <message>
        <source>Cost metric</source>
        <translation>Kostenmaß</translation>
    </message>
    <message>
        <source>Target (fraction of the cost kept)</source>
        <translation>Ziel (verbleibender Anteil der Kosten)</translation>
    </message>
    <message>
        <source>Candidate ratios</source>
        <translation>Kandidaten-Verhältnisse</translation>
    </message>
    <message>
        <source>Round channels and ranks to</source>
        <translation>Kanäle und Ränge runden auf</translation>
    </message>
    <message>
        <source>Reconstruction images</source>
        <translation>Rekonstruktionsbilder</translation>
    </message>
    <message>
        <source>Cache file</source>
        <translation>Cache-Datei</translation>
    </message>
    <message>
        <source>Fine-tuning epochs (0 = off)</source>
        <translation>Feinabstimmungs-Epochen (0 = aus)</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <source>Training records from</source>
        <translation>Trainings-Datensätze ab</translation>
    </message>
    <message>
        <source>Training records (0 = all)</source>
        <translation>Trainings-Datensätze (0 = alle)</translation>
    </message>
    <message>
        <source>Export folder</source>
        <translation>Exportordner</translation>
    </message>
    <message>
        <source>Top-1 accuracy (classifier)</source>
        <translation>Top-1-Genauigkeit (Klassifikator)</translation>
    </message>
    <message>
        <source>Spatial SVD</source>
        <translation>Räumliche SVD</translation>
    </message>
    <message>
        <source>Weight SVD</source>
        <translation>Gewichts-SVD</translation>
    </message>
    <message>
        <source>Channel pruning</source>
        <translation>Kanalbeschneidung</translation>
    </message>
    <message>
        <source>Spatial SVD, then channel pruning</source>
        <translation>Räumliche SVD, dann Kanalbeschneidung</translation>
    </message>
    <message>
        <source>MACs</source>
        <translation>MACs</translation>
    </message>
    <message>
        <source>Memory (parameters)</source>
        <translation>Speicher (Parameter)</translation>
    </message>
    <message>
        <source>beside the data set</source>
        <translation>neben dem Datensatz</translation>
    </message>
    <message>
        <source>chosen when the table is first computed</source>
        <translation>wird bei der ersten Berechnung der Tabelle gewählt</translation>
    </message>
    <message>
        <source>folder for the model, reports and charts</source>
        <translation>Ordner für Modell, Berichte und Diagramme</translation>
    </message>
    <message>
        <source>Compute</source>
        <translation>Berechnen</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Greedy Selection</source>
        <translation>Gierige Auswahl</translation>
    </message>
    <message>
        <source>Compress</source>
        <translation>Komprimieren</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>Op</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>Ratio</source>
        <translation>Verhältnis</translation>
    </message>
    <message>
        <source>Kept</source>
        <translation>Behalten</translation>
    </message>
    <message>
        <source>MACs saved</source>
        <translation>Eingesparte MACs</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>MACs before</source>
        <translation>MACs vorher</translation>
    </message>
    <message>
        <source>MACs after</source>
        <translation>MACs nachher</translation>
    </message>
    <message>
        <source>Parameters after</source>
        <translation>Parameter nachher</translation>
    </message>
    <message>
        <source>Model, data and evaluator</source>
        <translation>Modell, Daten und Bewertung</translation>
    </message>
    <message>
        <source>Method and target</source>
        <translation>Verfahren und Ziel</translation>
    </message>
    <message>
        <source>Sensitivity analysis</source>
        <translation>Empfindlichkeitsanalyse</translation>
    </message>
    <message>
        <source>Ratio selection</source>
        <translation>Auswahl der Verhältnisse</translation>
    </message>
    <message>
        <source>Compression</source>
        <translation>Kompression</translation>
    </message>
    <message>
        <source>Results and export</source>
        <translation>Ergebnisse und Export</translation>
    </message>
    <message>
        <source>The model to compress, the records the sensitivity table and the final evaluation use.</source>
        <translation>Das zu komprimierende Modell und die Datensätze für die Empfindlichkeitstabelle und die abschließende Bewertung.</translation>
    </message>
    <message>
        <source>How layers are compressed, what the target measures, and the candidate ratios per layer.</source>
        <translation>Wie Schichten komprimiert werden, was das Ziel misst, und die Kandidaten-Verhältnisse je Schicht.</translation>
    </message>
    <message>
        <source>Top-1 with one layer compressed at a time. Cancel keeps finished layers in the cache; Resume continues.</source>
        <translation>Top-1 mit jeweils einer komprimierten Schicht. Abbrechen behält fertige Schichten im Cache; Fortsetzen macht weiter.</translation>
    </message>
    <message>
        <source>Greedy selection for the target; change a layer's ratio in the table or by clicking the heatmap.</source>
        <translation>Gierige Auswahl für das Ziel; das Verhältnis einer Schicht in der Tabelle oder per Klick in die Heatmap ändern.</translation>
    </message>
    <message>
        <source>Compresses the chosen layers (channel pruning refits each layer on the data), then optionally fine-tunes.</source>
        <translation>Komprimiert die gewählten Schichten (die Kanalbeschneidung passt jede Schicht an die Daten an), dann optional Feinabstimmung.</translation>
    </message>
    <message>
        <source>Accuracy and cost before and after; export the model, reports, charts and tables.</source>
        <translation>Genauigkeit und Kosten vorher und nachher; Modell, Berichte, Diagramme und Tabellen exportieren.</translation>
    </message>
    <message>
        <source>No compression yet.</source>
        <translation>Noch keine Kompression.</translation>
    </message>
    <message>
        <source>Top-1 %1 before, %2 compressed</source>
        <translation>Top-1 %1 vorher, %2 komprimiert</translation>
    </message>
    <message>
        <source>, %1 after %2 epochs of fine-tuning</source>
        <translation>, %1 nach %2 Epochen Feinabstimmung</translation>
    </message>
    <message>
        <source>. MACs %1 -&gt; %2 (%3), parameters %4 -&gt; %5; the cost model projected %6 MACs.</source>
        <translation>. MACs %1 -&gt; %2 (%3), Parameter %4 -&gt; %5; das Kostenmodell sagte %6 MACs voraus.</translation>
    </message>
    <message>
        <source> (Compress again to export the model: it is not kept in the session.)</source>
        <translation> (Zum Exportieren erneut komprimieren: das Modell wird nicht in der Sitzung gespeichert.)</translation>
    </message>
    <message>
        <source>Nothing to export: compress the model first.</source>
        <translation>Nichts zu exportieren: zuerst das Modell komprimieren.</translation>
    </message>
    <message>
        <source>Choose an export folder.</source>
        <translation>Einen Exportordner wählen.</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>Exportiert nach %1</translation>
    </message>
    <message>
        <source>Compression report</source>
        <translation>Kompressionsbericht</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Compression sensitivity</source>
        <translation>Kompressionsempfindlichkeit</translation>
    </message>
    <message>
        <source>Compressed layers</source>
        <translation>Komprimierte Schichten</translation>
    </message>
    <message>
        <source>%1 of %2 layers in the cache %3</source>
        <translation>%1 von %2 Schichten im Cache %3</translation>
    </message>
    <message>
        <source>No model loaded.</source>
        <translation>Kein Modell geladen.</translation>
    </message>
    <message>
        <source>Another job is running.</source>
        <translation>Ein anderer Auftrag läuft.</translation>
    </message>
    <message>
        <source>Computing; finished layers are kept in %1</source>
        <translation>Berechnung läuft; fertige Schichten werden in %1 gespeichert</translation>
    </message>
    <message>
        <source>Cancelled; %1 finished layers are kept in the cache.</source>
        <translation>Abgebrochen; %1 fertige Schichten bleiben im Cache.</translation>
    </message>
    <message>
        <source>Projected: MACs %1 -&gt; %2 (%3 of the original), parameters %4 -&gt; %5 (%6); target %7. Expected top-1 about %8 (lowest score of the chosen cells; baseline %9).</source>
        <translation>Voraussichtlich: MACs %1 -&gt; %2 (%3 des Originals), Parameter %4 -&gt; %5 (%6); Ziel %7. Erwartete Top-1 etwa %8 (niedrigster Wert der gewählten Zellen; Ausgangswert %9).</translation>
    </message>
    <message>
        <source> Spatial SVD stage (to the square root of the target); channel pruning to the target follows.</source>
        <translation> Stufe räumliche SVD (auf die Quadratwurzel des Ziels); die Kanalbeschneidung auf das Ziel folgt.</translation>
    </message>
    <message>
        <source>Choose the ratios first.</source>
        <translation>Zuerst die Verhältnisse wählen.</translation>
    </message>
    <message>
        <source>Compressing</source>
        <translation>Komprimierung</translation>
    </message>
    <message>
        <source>Compressing %1 layers...</source>
        <translation>Komprimiere %1 Schichten...</translation>
    </message>
    <message>
        <source>Top-1 %1 -&gt; %2, MACs %3 -&gt; %4</source>
        <translation>Top-1 %1 -&gt; %2, MACs %3 -&gt; %4</translation>
    </message>
    <message>
        <source>Compression cancelled; nothing changed.</source>
        <translation>Kompression abgebrochen; nichts geändert.</translation>
    </message>
    <message>
        <source>%1 layers x %2 ratios, baseline top-1 %3 over %4 records</source>
        <translation>%1 Schichten x %2 Verhältnisse, Ausgangswert Top-1 %3 über %4 Datensätze</translation>
    </message>
    <message>
        <source>%1 s of computing</source>
        <translation>%1 s Rechenzeit</translation>
    </message>
    <message>
        <source>Channel selection</source>
        <translation>Kanalauswahl</translation>
    </message>
    <message>
        <source>Largest weights (L2)</source>
        <translation>Größte Gewichte (L2)</translation>
    </message>
    <message>
        <source>Least reconstruction error</source>
        <translation>Kleinster Rekonstruktionsfehler</translation>
    </message>
</context>
<context>
    <name>qs::JobStatusWidget</name>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>qs::LayerExplorer</name>
    <message>
        <source>Filter layers (regular expression)</source>
        <translation>Schichten filtern (regulärer Ausdruck)</translation>
    </message>
    <message>
        <source>Show one op type only</source>
        <translation>Nur einen Operatortyp zeigen</translation>
    </message>
    <message>
        <source>All ops</source>
        <translation>Alle Operatoren</translation>
    </message>
    <message>
        <source>Copy Rows</source>
        <translation>Zeilen kopieren</translation>
    </message>
</context>
<context>
    <name>qs::LayerTableModel</name>
    <message>
        <source>Largest / smallest output-channel weight range</source>
        <translation>Größter / kleinster Gewichtsbereich der Ausgabekanäle</translation>
    </message>
    <message>
        <source>SQNR of the model output with only this layer's weight quantized (dB)</source>
        <translation>SQNR der Modellausgabe, wenn nur die Gewichte dieser Schicht quantisiert sind (dB)</translation>
    </message>
    <message>
        <source>Top-1 drop in points with only this layer's weight quantized</source>
        <translation>Top-1-Verlust in Prozentpunkten, wenn nur die Gewichte dieser Schicht quantisiert sind</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>Op</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>Weight shape</source>
        <translation>Gewichtsform</translation>
    </message>
    <message>
        <source>Output shape</source>
        <translation>Ausgabeform</translation>
    </message>
    <message>
        <source>Params</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>MACs</source>
        <translation>MACs</translation>
    </message>
    <message>
        <source>Weight min</source>
        <translation>Gewicht min.</translation>
    </message>
    <message>
        <source>Weight max</source>
        <translation>Gewicht max.</translation>
    </message>
    <message>
        <source>Range ratio</source>
        <translation>Bereichsverhältnis</translation>
    </message>
    <message>
        <source>SQNR (dB)</source>
        <translation>SQNR (dB)</translation>
    </message>
    <message>
        <source>Top-1 drop</source>
        <translation>Top-1-Verlust</translation>
    </message>
    <message>
        <source>Input shape</source>
        <translation>Eingabeform</translation>
    </message>
</context>
<context>
    <name>qs::MainWindow</name>
    <message>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <source>Open Model</source>
        <translation>Modell öffnen</translation>
    </message>
    <message>
        <source>ONNX models (*.onnx);;All files (*)</source>
        <translation>ONNX-Modelle (*.onnx);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Open Session</source>
        <translation>Sitzung öffnen</translation>
    </message>
    <message>
        <source>Quantscope sessions (*.qss);;All files (*)</source>
        <translation>Quantscope-Sitzungen (*.qss);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Save Session</source>
        <translation>Sitzung speichern</translation>
    </message>
    <message>
        <source>Quantscope sessions (*.qss)</source>
        <translation>Quantscope-Sitzungen (*.qss)</translation>
    </message>
    <message>
        <source>Recover Autosaved Session</source>
        <translation>Automatisch gespeicherte Sitzung wiederherstellen</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <source>&amp;Open Model...</source>
        <translation>Modell ö&amp;ffnen...</translation>
    </message>
    <message>
        <source>Open &amp;Session...</source>
        <translation>&amp;Sitzung öffnen...</translation>
    </message>
    <message>
        <source>Save Session &amp;As...</source>
        <translation>Sitzung speichern &amp;unter...</translation>
    </message>
    <message>
        <source>&amp;Preferences...</source>
        <translation>&amp;Optionen...</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>Schichten</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>Quantisierung</translation>
    </message>
    <message>
        <source>No model loaded.</source>
        <translation>Kein Modell geladen.</translation>
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
        <translation>(keine)</translation>
    </message>
    <message>
        <source>Loading %1...</source>
        <translation>Lade %1...</translation>
    </message>
    <message>
        <source>Loaded %1 in %2 s</source>
        <translation>%1 in %2 s geladen</translation>
    </message>
    <message>
        <source>input %1 %2</source>
        <translation>Eingabe %1 %2</translation>
    </message>
    <message>
        <source>output %1 %2</source>
        <translation>Ausgabe %1 %2</translation>
    </message>
    <message>
        <source>%1 nodes, %2 parameters, %3 MACs per sample</source>
        <translation>%1 Knoten, %2 Parameter, %3 MACs pro Beispiel</translation>
    </message>
    <message>
        <source>Session saved to %1</source>
        <translation>Sitzung in %1 gespeichert</translation>
    </message>
    <message>
        <source>: the session names no model</source>
        <translation>: die Sitzung nennt kein Modell</translation>
    </message>
    <message>
        <source>A model is still loading.</source>
        <translation>Ein Modell wird noch geladen.</translation>
    </message>
    <message>
        <source>%1 changed since the session was saved (SHA-256 differs)</source>
        <translation>%1 wurde seit dem Speichern der Sitzung geändert (SHA-256 weicht ab)</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>&amp;Werkzeuge</translation>
    </message>
    <message>
        <source>&amp;Compression Wizard...</source>
        <translation>&amp;Kompressionsassistent...</translation>
    </message>
</context>
<context>
    <name>qs::QuantPanel</name>
    <message>
        <source>Quantization</source>
        <translation>Quantisierung</translation>
    </message>
    <message>
        <source>Post-training fixes</source>
        <translation>Korrekturen nach dem Training</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Daten</translation>
    </message>
    <message>
        <source>Scheme</source>
        <translation>Verfahren</translation>
    </message>
    <message>
        <source>Percentile</source>
        <translation>Perzentil</translation>
    </message>
    <message>
        <source>Weight bits</source>
        <translation>Gewichtsbits</translation>
    </message>
    <message>
        <source>Activation bits</source>
        <translation>Aktivierungsbits</translation>
    </message>
    <message>
        <source>High-bias absorption</source>
        <translation>Absorption hoher Biaswerte</translation>
    </message>
    <message>
        <source>Bias correction</source>
        <translation>Bias-Korrektur</translation>
    </message>
    <message>
        <source>Data set</source>
        <translation>Datensatz</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>Labels</translation>
    </message>
    <message>
        <source>Preprocess (JSON)</source>
        <translation>Vorverarbeitung (JSON)</translation>
    </message>
    <message>
        <source>Calibration samples</source>
        <translation>Kalibrierungsbeispiele</translation>
    </message>
    <message>
        <source>Evaluation samples (0 = all)</source>
        <translation>Auswertungsbeispiele (0 = alle)</translation>
    </message>
    <message>
        <source>Sensitivity samples (0 = off)</source>
        <translation>Empfindlichkeitsbeispiele (0 = aus)</translation>
    </message>
    <message>
        <source>Per-channel weights</source>
        <translation>Gewichte pro Kanal</translation>
    </message>
    <message>
        <source>Fold batch norms</source>
        <translation>Batch-Norms einfalten</translation>
    </message>
    <message>
        <source>Cross-layer equalization</source>
        <translation>Schichtübergreifender Ausgleich</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <source>exact</source>
        <translation>exakt</translation>
    </message>
    <message>
        <source>approximate</source>
        <translation>genähert</translation>
    </message>
    <message>
        <source>empirical</source>
        <translation>empirisch</translation>
    </message>
    <message>
        <source>analytical</source>
        <translation>analytisch</translation>
    </message>
    <message>
        <source>AdaRound</source>
        <translation>AdaRound</translation>
    </message>
    <message>
        <source>beside the data set</source>
        <translation>neben dem Datensatz</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Ausführen</translation>
    </message>
    <message>
        <source>Export Encodings...</source>
        <translation>Encodings exportieren...</translation>
    </message>
    <message>
        <source>Export QDQ ONNX...</source>
        <translation>QDQ-ONNX exportieren...</translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation>Konfiguration</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>Beispiele</translation>
    </message>
    <message>
        <source>FP32 top-1</source>
        <translation>FP32 Top-1</translation>
    </message>
    <message>
        <source>Quantized top-1</source>
        <translation>Quantisiert Top-1</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <source>FP32 top-5</source>
        <translation>FP32 Top-5</translation>
    </message>
    <message>
        <source>Quantized top-5</source>
        <translation>Quantisiert Top-5</translation>
    </message>
    <message>
        <source>Quantizers</source>
        <translation>Quantisierer</translation>
    </message>
    <message>
        <source>No model loaded.</source>
        <translation>Kein Modell geladen.</translation>
    </message>
    <message>
        <source>Another job is running.</source>
        <translation>Ein anderer Auftrag läuft.</translation>
    </message>
    <message>
        <source>Quantizing</source>
        <translation>Quantisiere</translation>
    </message>
    <message>
        <source>Quantization cancelled</source>
        <translation>Quantisierung abgebrochen</translation>
    </message>
    <message>
        <source>%1: FP32 top-1 %2, quantized top-1 %3 over %4 samples</source>
        <translation>%1: FP32 Top-1 %2, quantisiert Top-1 %3 über %4 Beispiele</translation>
    </message>
    <message>
        <source>No quantization run to export.</source>
        <translation>Kein Quantisierungslauf zum Exportieren.</translation>
    </message>
    <message>
        <source>Export QDQ ONNX</source>
        <translation>QDQ-ONNX exportieren</translation>
    </message>
    <message>
        <source>Export Encodings</source>
        <translation>Encodings exportieren</translation>
    </message>
    <message>
        <source>ONNX models (*.onnx)</source>
        <translation>ONNX-Modelle (*.onnx)</translation>
    </message>
    <message>
        <source>AIMET encodings (*.encodings *.json)</source>
        <translation>AIMET-Encodings (*.encodings *.json)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>AdaRound iterations</source>
        <translation>AdaRound-Iterationen</translation>
    </message>
    <message>
        <source>Learned weight rounding; excludes bias correction</source>
        <translation>Gelernte Rundung der Gewichte; schließt die Bias-Korrektur aus</translation>
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
        <translation>allein quantisiert: SQNR %1 dB, Top-1 %2%</translation>
    </message>
    <message>
        <source>all other layers quantized: SQNR %1 dB, top-1 %2%</source>
        <translation>alle anderen Schichten quantisiert: SQNR %1 dB, Top-1 %2%</translation>
    </message>
    <message>
        <source>FP32 top-1 %1%</source>
        <translation>FP32 Top-1 %1%</translation>
    </message>
    <message>
        <source>Quantization sensitivity: not computed</source>
        <translation>Quantisierungsempfindlichkeit: nicht berechnet</translation>
    </message>
    <message>
        <source>run a quantization with per-layer sensitivity in the quantization panel</source>
        <translation>eine Quantisierung mit Empfindlichkeit pro Schicht im Quantisierungsfeld ausführen</translation>
    </message>
    <message>
        <source>Quantization sensitivity per layer (SQNR of the model output)</source>
        <translation>Quantisierungsempfindlichkeit pro Schicht (SQNR der Modellausgabe)</translation>
    </message>
    <message>
        <source>lowest SQNR when quantized alone: %1 (%2 dB)</source>
        <translation>niedrigstes SQNR allein quantisiert: %1 (%2 dB)</translation>
    </message>
    <message>
        <source>layer quantized alone</source>
        <translation>Schicht allein quantisiert</translation>
    </message>
    <message>
        <source>all other layers quantized</source>
        <translation>alle anderen Schichten quantisiert</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>Schicht</translation>
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
        <translation>Original</translation>
    </message>
    <message>
        <source>compared</source>
        <translation>verglichen</translation>
    </message>
    <message>
        <source>%1 (%2, %3 channels)</source>
        <translation>%1 (%2, %3 Kanäle)</translation>
    </message>
    <message>
        <source>relative range: Q1 %1, median %2, Q3 %3</source>
        <translation>relativer Bereich: Q1 %1, Median %2, Q3 %3</translation>
    </message>
    <message>
        <source>whiskers %1 to %2, fence %3</source>
        <translation>Whisker %1 bis %2, Grenze %3</translation>
    </message>
    <message>
        <source>%1 outlier channels, max/min channel range %2x</source>
        <translation>%1 Ausreißerkanäle, max./min. Kanalbereich %2x</translation>
    </message>
    <message>
        <source>%1, channel %2: relative range %3 (range %4, min %5, max %6)</source>
        <translation>%1, Kanal %2: relativer Bereich %3 (Bereich %4, min. %5, max. %6)</translation>
    </message>
    <message>
        <source>relative ranges</source>
        <translation>relative Bereiche</translation>
    </message>
    <message>
        <source>%1 outliers</source>
        <translation>%1 Ausreißer</translation>
    </message>
    <message>
        <source>outlier channels</source>
        <translation>Ausreißerkanäle</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>relative range (log scale)</source>
        <translation>relativer Bereich (logarithmisch)</translation>
    </message>
    <message>
        <source>relative range</source>
        <translation>relativer Bereich</translation>
    </message>
    <message>
        <source>Relative weight ranges: no layers</source>
        <translation>Relative Gewichtsbereiche: keine Schichten</translation>
    </message>
    <message>
        <source>Relative weight ranges per output channel (range / smallest range in the layer)</source>
        <translation>Relative Gewichtsbereiche pro Ausgabekanal (Bereich / kleinster Bereich der Schicht)</translation>
    </message>
    <message>
        <source>%1 layers, %2 with outlier channels beyond Q3 + 1.5 IQR (red)</source>
        <translation>%1 Schichten, %2 mit Ausreißerkanälen über Q3 + 1,5 IQR (rot)</translation>
    </message>
</context>
<context>
    <name>qs::SensitivityHeatmap</name>
    <message>
        <source>ratio kept (columns) per layer (rows)</source>
        <translation>behaltenes Verhältnis (Spalten) je Schicht (Zeilen)</translation>
    </message>
    <message>
        <source>top-1 / baseline</source>
        <translation>Top-1 / Ausgangswert</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>ausstehend</translation>
    </message>
    <message>
        <source>%1 at ratio %2: top-1 %3</source>
        <translation>%1 bei Verhältnis %2: Top-1 %3</translation>
    </message>
    <message>
        <source> (%1 points against %2)</source>
        <translation> (%1 Punkte gegenüber %2)</translation>
    </message>
</context>
<context>
    <name>qs::SettingsDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Optionen</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Dem System folgen</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Farbschema</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
</context>
<context>
    <name>qs::WeightRangeChart</name>
    <message>
        <source>original</source>
        <translation>Original</translation>
    </message>
    <message>
        <source>compared</source>
        <translation>verglichen</translation>
    </message>
    <message>
        <source>%1, channel %2</source>
        <translation>%1, Kanal %2</translation>
    </message>
    <message>
        <source>min %1, max %2</source>
        <translation>min. %1, max. %2</translation>
    </message>
    <message>
        <source>mean %1, std %2</source>
        <translation>Mittelwert %1, Standardabweichung %2</translation>
    </message>
    <message>
        <source>range %1 (%2 x the smallest)</source>
        <translation>Bereich %1 (%2 x der kleinste)</translation>
    </message>
    <message>
        <source>outlier channel (beyond Q3 + 1.5 IQR)</source>
        <translation>Ausreißerkanal (über Q3 + 1,5 IQR)</translation>
    </message>
    <message>
        <source>%1 min to max</source>
        <translation>%1 min. bis max.</translation>
    </message>
    <message>
        <source>min to max</source>
        <translation>min. bis max.</translation>
    </message>
    <message>
        <source>%1 mean</source>
        <translation>%1 Mittelwert</translation>
    </message>
    <message>
        <source>mean</source>
        <translation>Mittelwert</translation>
    </message>
    <message>
        <source>%1 range (max - min)</source>
        <translation>%1 Bereich (max. - min.)</translation>
    </message>
    <message>
        <source>range (max - min)</source>
        <translation>Bereich (max. - min.)</translation>
    </message>
    <message>
        <source>output channel</source>
        <translation>Ausgabekanal</translation>
    </message>
    <message>
        <source>channel range (max - min), log scale</source>
        <translation>Kanalbereich (max. - min.), logarithmisch</translation>
    </message>
    <message>
        <source>weight value</source>
        <translation>Gewichtswert</translation>
    </message>
    <message>
        <source>Weight ranges: no layer selected</source>
        <translation>Gewichtsbereiche: keine Schicht ausgewählt</translation>
    </message>
    <message>
        <source>max/min channel range %1x</source>
        <translation>max./min. Kanalbereich %1x</translation>
    </message>
    <message>
        <source>max/min channel range: %1 %2x, %3 %4x</source>
        <translation>max./min. Kanalbereich: %1 %2x, %3 %4x</translation>
    </message>
    <message>
        <source>Weight ranges per output channel: %1 (%2, %3 channels)</source>
        <translation>Gewichtsbereiche pro Ausgabekanal: %1 (%2, %3 Kanäle)</translation>
    </message>
</context>
</TS>