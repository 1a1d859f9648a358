# Start-up cost (docs/startup.md): every shared library is a file to map and symbols to bind
# before main(). Where Debian ships a static archive of a dependency that only trang uses, the
# imported target is pointed at the archive instead; libraries that HarfBuzz, FreeType or
# libharu load anyway (libpng, zlib, FreeType) stay shared, so one copy of each is in the process.

option(TRANG_STATIC_DEPS "Link ICU, pugixml, libjpeg, libdeflate, xxHash and hyphen statically when their archives are installed" ON)

# trang_use_archives(<imported target> <archive name>...): links the target's users against
# lib<name>.a for each name, in order, when all of them are installed; else leaves it alone.
function(trang_use_archives target)
  if(NOT TRANG_STATIC_DEPS)
    return()
  endif()
  set(paths)
  foreach(name ${ARGN})
    find_library(TRANG_ARCHIVE_${name} NAMES lib${name}.a)
    if(NOT TRANG_ARCHIVE_${name})
      message(STATUS "lib${name}.a not found: ${target} stays shared")
      return()
    endif()
    list(APPEND paths ${TRANG_ARCHIVE_${name}})
  endforeach()
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    set_target_properties(${target} PROPERTIES INTERFACE_LINK_LIBRARIES "${paths}")
  else()
    # An UNKNOWN imported library (FindJPEG): its location for every configuration.
    list(POP_FRONT paths first)
    set_target_properties(${target} PROPERTIES IMPORTED_LOCATION "${first}"
                          IMPORTED_LOCATION_RELEASE "${first}" IMPORTED_LOCATION_DEBUG "${first}"
                          INTERFACE_LINK_LIBRARIES "${paths}")
  endif()
endfunction()

trang_use_archives(PkgConfig::ICU icuuc icudata)
trang_use_archives(pugixml::pugixml pugixml)
trang_use_archives(JPEG::JPEG jpeg)
trang_use_archives(PkgConfig::LIBDEFLATE deflate)
trang_use_archives(PkgConfig::LIBXXHASH xxhash)
find_library(HYPHEN_LIBRARY NAMES hyphen REQUIRED)
if(TRANG_STATIC_DEPS)
  find_library(TRANG_ARCHIVE_hyphen NAMES libhyphen.a)
  if(TRANG_ARCHIVE_hyphen)
    set(HYPHEN_LIBRARY ${TRANG_ARCHIVE_hyphen})
  endif()
endif()

# The trang command, whose start-up users wait for: the loader's work kept small, and the C++
# runtime linked in (nothing else it loads needs libstdc++.so once ICU and pugixml are static).
# Not under a sanitizer, whose runtime is built against the shared one.
function(trang_lean_executable target)
  target_link_options(${target} PRIVATE -Wl,--as-needed -Wl,-O1 -Wl,--hash-style=gnu)
  if(TRANG_STATIC_DEPS AND NOT TRANG_SANITIZE AND NOT TRANG_FUZZ)
    target_link_options(${target} PRIVATE -static-libstdc++ -static-libgcc)
  endif()
endfunction()
