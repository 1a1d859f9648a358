# Writes the file IN as a C++ string constant SYMBOL (namespace trang::embedded) into OUT.
# A raw string literal would break on ")\"" in the input; hex bytes never do.
file(READ ${IN} content HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
file(WRITE ${OUT} "// Generated from ${IN}. Do not edit.\n#include <string_view>\nnamespace trang::embedded {\nstatic const unsigned char data[] = {${bytes} 0};\nextern const std::string_view ${SYMBOL}(reinterpret_cast<const char*>(data), sizeof(data) - 1);\n}\n")
