# libFuzzer build (configure with CXX=clang++ -DQS_FUZZ=ON): a static library of the engine sources
# that read untrusted files (core, graph, ONNX import, data readers, quantsim config), compiled
# with -fsanitize=fuzzer-no-link,address,undefined, and one fuzz target per reader in tests/fuzz.
# LibTorch and the rest of the engine are not built. ctest -L fuzz runs each target for
# QS_FUZZ_SECONDS seconds from the random seed QS_FUZZ_SEED: fixed by default, so a run (and a
# failing CI run) is reproducible; 0 draws a new seed every run, for exploratory fuzzing.
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "QS_FUZZ needs clang (configure with -DCMAKE_CXX_COMPILER=clang++)")
endif()
find_package(Protobuf REQUIRED)
find_package(ONNX REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(ZLIB REQUIRED)
set(QS_FUZZ_SECONDS 60 CACHE STRING "Seconds each fuzz target runs under ctest -L fuzz")
set(QS_FUZZ_SEED 1 CACHE STRING "libFuzzer's -seed for ctest -L fuzz (0: a new random seed every run)")

set(QS_FUZZ_FLAGS -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g)
set(_e ${CMAKE_SOURCE_DIR}/engine)
add_library(qsfuzzengine STATIC
    ${_e}/core/error.cpp ${_e}/core/fileutil.cpp ${_e}/core/limits.cpp ${_e}/core/tensor.cpp ${_e}/core/warnings.cpp
    ${_e}/graph/graph.cpp ${_e}/graph/costmodel.cpp
    ${_e}/onnx/onnximport.cpp ${_e}/onnx/tensorproto.cpp ${_e}/onnx/shapefolding.cpp
    ${_e}/onnx/intfolding.cpp ${_e}/onnx/intfoldinglayout.cpp ${_e}/onnx/inferenceguard.cpp
    ${_e}/data/npy.cpp ${_e}/data/idxfile.cpp ${_e}/data/dataset.cpp ${_e}/data/randomaccessfile.cpp
    ${_e}/data/cifardataset.cpp ${_e}/data/idxdataset.cpp ${_e}/data/npydataset.cpp
    ${_e}/quant/quantconfig.cpp ${_e}/quant/quantconfig_placement.cpp
    ${_e}/quant/analyzer.cpp ${_e}/quant/encoding.cpp ${_e}/session/session.cpp)
target_include_directories(qsfuzzengine PUBLIC ${_e})
target_compile_options(qsfuzzengine PUBLIC ${QS_FUZZ_FLAGS})
target_link_options(qsfuzzengine PUBLIC -fsanitize=address,undefined)
target_link_libraries(qsfuzzengine PUBLIC nlohmann_json::nlohmann_json onnx onnx_proto protobuf::libprotobuf
                      ZLIB::ZLIB)

enable_testing()
add_subdirectory(tests/fuzz)
