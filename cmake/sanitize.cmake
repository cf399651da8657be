# QS_SANITIZE=address,undefined builds everything with those sanitizers (gcc or clang). LibTorch,
# protobuf and libonnx stay uninstrumented; the engine's own code is checked. Tests labelled
# "asan" (the engine's unit tests, see tests/CMakeLists.txt) are what CI runs in this build.
set(QS_SANITIZE "" CACHE STRING "Comma-separated sanitizers to build with (address,undefined)")
if(QS_SANITIZE)
  string(REPLACE "," ";" _qs_sanitizers "${QS_SANITIZE}")
  foreach(_s IN LISTS _qs_sanitizers)
    if(NOT _s MATCHES "^(address|undefined|leak)$")
      message(FATAL_ERROR "QS_SANITIZE: unsupported sanitizer '${_s}' (address, undefined, leak)")
    endif()
  endforeach()
  # Any report fails the test that triggered it.
  add_compile_options(-fsanitize=${QS_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${QS_SANITIZE})
endif()

# Marks every unit test built from tests/engine/ (and the fuzz regression replay) with the "asan"
# label and gives it the sanitizer runtime options. tests/CMakeLists.txt defers the call to its end.
function(qs_label_sanitizer_tests)
  get_property(_tests DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} PROPERTY TESTS)
  set(_targets "")
  foreach(_t IN LISTS _tests)
    if(NOT TARGET ${_t})
      continue()
    endif()
    get_target_property(_srcs ${_t} SOURCES)
    list(GET _srcs 0 _first)
    get_test_property(${_t} LABELS _labels)
    if(_first MATCHES "^(engine|fuzz)/" AND "unit" IN_LIST _labels)
      set_property(TEST ${_t} APPEND PROPERTY LABELS asan)
      list(APPEND _targets ${_t})
      if(QS_SANITIZE)
        set_property(TEST ${_t} APPEND PROPERTY ENVIRONMENT
            "ASAN_OPTIONS=detect_leaks=1:halt_on_error=1"
            "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")
      endif()
    endif()
  endforeach()
  if(_targets)
    add_custom_target(qs_asan_tests DEPENDS ${_targets})
  endif()
endfunction()
