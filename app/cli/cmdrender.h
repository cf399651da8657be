#pragma once
// quantscope-cli render: draws the application's charts offscreen to PNG or SVG, for reports and CI.
// The command needs a QApplication (not a QCoreApplication): main() asks cmdNeedsGui(), calls
// prepareGuiPlatform() before creating the application object, and creates a QApplication.

#include "commands.h"

#include <string>

namespace qs::cli {

// quantscope-cli render MODEL --chart weight-ranges|relative-ranges|quant-sensitivity|sensitivity [--layer NAME]
//   [--compare OTHER.onnx | --equalized] [--compare-mode overlay|side-by-side] [--session S] [--cache FILE]
//   --out FILE.png|.svg [--size WxH] [--theme light|dark] [--scale linear|log]
// --equalized compares with the model after BN folding, cross-layer scaling and high-bias
// absorption. --session takes the selected layer and the cached sensitivity table from a session
// file; without a table, quant-sensitivity computes one (256 records of the data spec beside the
// model, MODEL.json, or the session's data). --chart sensitivity draws the compression sensitivity
// heatmap from --cache FILE (written by `sensitivity --cache`), with the session's ratios marked.
int cmdRender(const Argv &argv);

// True for the subcommands that draw widgets ("render").
bool cmdNeedsGui(const std::string &command);

// Selects the offscreen platform when QT_QPA_PLATFORM is unset, so rendering needs no display, and
// silences Qt's XDG_RUNTIME_DIR warning. Call before the QApplication is constructed.
void prepareGuiPlatform();

} // namespace qs::cli
