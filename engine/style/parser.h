// CSS parser, generic level (CSS Syntax Module Level 3, §5): tokens become rules, component
// values and declarations. Nothing here knows a selector or a property; style.cpp gives the
// rules their meaning. Private to the style stage.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"
#include "style/tokenizer.h"

namespace trang::style::css {

// §5 "component value": a preserved token, a function or a simple block.
struct ComponentValue {
  enum class Kind : uint8_t { Token, Function, Block };
  Kind kind = Kind::Token;
  // Token: the token itself; Function: the function token (value = name); Block: the opening
  // '{', '[' or '(' token.
  Token token;
  std::vector<ComponentValue> children;  // Function arguments or block contents
  uint32_t end = 0;                      // byte offset just past the closing token
  bool closed = true;                    // false: the file ended before the closing token

  bool is(TokenType t) const { return kind == Kind::Token && token.type == t; }
  bool is_delim(char32_t c) const { return kind == Kind::Token && token.is_delim(c); }
  bool is_ident(std::string_view s) const { return kind == Kind::Token && token.is_ident(s); }
  bool is_whitespace() const { return is(TokenType::Whitespace); }
  bool is_block(TokenType open) const { return kind == Kind::Block && token.type == open; }
  bool is_function(std::string_view name) const {
    return kind == Kind::Function && equals_ignore_case(token.value, name);
  }
  uint32_t begin() const { return token.begin; }
  int line() const { return token.line; }
  int col() const { return token.col; }
};

using ComponentValues = std::vector<ComponentValue>;

// §5.2 "at-rule" and "qualified rule" in one struct.
struct Rule {
  bool at_rule = false;
  Token start;              // the at-keyword, or the first token of the prelude
  ComponentValues prelude;  // selectors, or the at-rule's prelude
  bool has_block = false;   // at-rules may end with ';' instead
  ComponentValues block;    // contents of the {} block
  Token block_open;         // the '{' (for positions)
};

// §5.2 "declaration".
struct Declaration {
  Token name;             // the ident token (value = property name as written)
  ComponentValues value;  // whitespace trimmed at both ends, !important removed
  bool important = false;
};

// Everything the parser needs to quote and report.
struct ParseContext {
  std::string_view source;
  const std::string& file;
  Diagnostics& diags;

  SourcePos pos(int line, int col) const { return SourcePos{file, line, col}; }
  SourcePos pos(const Token& t) const { return pos(t.line, t.col); }
  SourcePos pos(const ComponentValue& v) const { return pos(v.token); }
};

// §5.3.3 "Parse a stylesheet": the top-level list of rules. Syntax errors (unclosed blocks,
// a rule without a block at end of file) are reported as errors; recovery is the
// specification's.
std::vector<Rule> parse_rules(const std::vector<Token>& tokens, const ParseContext& ctx);

// §5.3.8 "Parse a list of declarations" over the contents of a {} block. Declarations go
// to `decls`; at-rules nested in the block (such as @page margin boxes) to `rules`.
// A declaration without ':' or a block item that does not start with a property name is an
// error; the parser skips to the next ';' as §5.4.5 says.
void parse_declarations(const ComponentValues& block, const ParseContext& ctx,
                        std::vector<Declaration>& decls, std::vector<Rule>& rules);

// The source text of a range of component values, whitespace collapsed, shortened to about
// `max_len` bytes: for quoting values in messages.
std::string source_text(const ComponentValues& values, const ParseContext& ctx,
                        size_t max_len = 60);
std::string source_text(const ComponentValue& value, const ParseContext& ctx);

// Whether `values` (recursively) hold a bad string, a bad url or a block or function the file
// ended inside: such values have already been reported and are dropped without another
// message.
bool contains_bad_token(const ComponentValues& values);

}  // namespace trang::style::css
