# One precompiled header (cmake/pch.h) built once by gitopsd_pch and reused by
# every C++ target (REUSE_FROM), so the standard library and nlohmann/json are
# parsed once a build rather than once a translation unit. GCC checks that the
# flags and macros match; CMake compiles with -Winvalid-pch, so a target that
# drifts off the shared flags gets a warning (an error under GITOPSD_WERROR)
# rather than a silently ignored PCH.
option(GITOPSD_PCH "Shared precompiled header" ON)

function(gitopsd_pch_targets dir out)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub ${subdirs})
    gitopsd_pch_targets(${sub} sub_targets)
    list(APPEND targets ${sub_targets})
  endforeach()
  set(${out} ${targets} PARENT_SCOPE)
endfunction()

# Call once, after every add_subdirectory.
function(gitopsd_apply_pch)
  if(NOT GITOPSD_PCH)
    return()
  endif()
  add_library(gitopsd_pch STATIC ${PROJECT_SOURCE_DIR}/cmake/pch.cc)
  target_link_libraries(gitopsd_pch PRIVATE nlohmann_json::nlohmann_json)
  target_precompile_headers(gitopsd_pch PRIVATE ${PROJECT_SOURCE_DIR}/cmake/pch.h)
  gitopsd_pch_targets(${PROJECT_SOURCE_DIR} targets)
  foreach(t ${targets})
    get_target_property(type ${t} TYPE)
    if(t STREQUAL "gitopsd_pch" OR NOT type MATCHES "^(STATIC_LIBRARY|EXECUTABLE|OBJECT_LIBRARY)$")
      continue()
    endif()
    target_precompile_headers(${t} REUSE_FROM gitopsd_pch)
  endforeach()
endfunction()
