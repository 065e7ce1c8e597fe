# Checks and fixes for building against a LibTorch other than Debian's (a pip wheel's, found with
# -DCMAKE_PREFIX_PATH): the library must come from the same tree as the headers, and the fmt that
# such a tree bundles in include/fmt must not shadow the system fmt that spdlog was built with.

set(IMEVAL_TORCH_PREFIX "${TORCH_INSTALL_PREFIX}")
string(FIND "${TORCH_LIBRARY}" "${IMEVAL_TORCH_PREFIX}/" IMEVAL_TORCH_LIBRARY_AT)
if(NOT IMEVAL_TORCH_LIBRARY_AT EQUAL 0)
  message(FATAL_ERROR "LibTorch library '${TORCH_LIBRARY}' is not from the tree of '${Torch_DIR}' (two LibTorch "
                      "installations?): pass -DCMAKE_PREFIX_PATH=<torch prefix>, the folder that holds lib/ and include/, "
                      "e.g. $(python -c 'import torch, os; print(os.path.dirname(torch.__file__))')")
endif()

if(EXISTS "${IMEVAL_TORCH_PREFIX}/include/fmt" AND NOT IMEVAL_TORCH_PREFIX STREQUAL "/usr")
  # The same headers without fmt/: symlinks to every other entry of the tree's include/.
  set(IMEVAL_TORCH_INCLUDE "${PROJECT_BINARY_DIR}/torch_include")
  file(REMOVE_RECURSE "${IMEVAL_TORCH_INCLUDE}")
  file(MAKE_DIRECTORY "${IMEVAL_TORCH_INCLUDE}")
  file(GLOB IMEVAL_TORCH_INCLUDE_ENTRIES RELATIVE "${IMEVAL_TORCH_PREFIX}/include" "${IMEVAL_TORCH_PREFIX}/include/*")
  foreach(entry IN LISTS IMEVAL_TORCH_INCLUDE_ENTRIES)
    if(NOT entry STREQUAL "fmt")
      file(CREATE_LINK "${IMEVAL_TORCH_PREFIX}/include/${entry}" "${IMEVAL_TORCH_INCLUDE}/${entry}" SYMBOLIC)
    endif()
  endforeach()
  list(TRANSFORM TORCH_INCLUDE_DIRS REPLACE "^${IMEVAL_TORCH_PREFIX}/include$" "${IMEVAL_TORCH_INCLUDE}")
  foreach(target torch torch_cpu torch_cuda c10 c10_cuda torch_library torch_cpu_library torch_cuda_library)
    if(TARGET ${target})
      get_target_property(dirs ${target} INTERFACE_INCLUDE_DIRECTORIES)
      if(dirs)
        list(TRANSFORM dirs REPLACE "^${IMEVAL_TORCH_PREFIX}/include$" "${IMEVAL_TORCH_INCLUDE}")
        set_target_properties(${target} PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${dirs}")
      endif()
    endif()
  endforeach()
  message(STATUS "LibTorch from ${IMEVAL_TORCH_PREFIX}: its bundled fmt is left out of the include path")
endif()
