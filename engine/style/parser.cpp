// CSS Syntax Module Level 3 §5 ("Parsing"): consume rules, component values, blocks,
// functions and declarations. Section numbers are that specification's.
#include "style/parser.h"

#include <algorithm>

namespace trang::style::css {

namespace {

TokenType closing_of(TokenType open) {
  switch (open) {
    case TokenType::LeftBrace: return TokenType::RightBrace;
    case TokenType::LeftBracket: return TokenType::RightBracket;
    default: return TokenType::RightParen;
  }
}

const char* spelling(TokenType t) {
  switch (t) {
    case TokenType::LeftBrace: return "{";
    case TokenType::RightBrace: return "}";
    case TokenType::LeftBracket: return "[";
    case TokenType::RightBracket: return "]";
    case TokenType::LeftParen: return "(";
    default: return ")";
  }
}

// §5.4 over the token list. The input always ends with an Eof token, and consuming past it
// keeps returning it.
class RuleParser {
 public:
  RuleParser(const std::vector<Token>& tokens, const ParseContext& ctx)
      : tokens_(tokens), ctx_(ctx) {}

  // §5.4.1 Consume a list of rules (top-level flag set: CDO/CDC are skipped).
  std::vector<Rule> consume_rule_list() {
    std::vector<Rule> rules;
    for (;;) {
      const Token& t = consume();
      switch (t.type) {
        case TokenType::Whitespace:
        case TokenType::CDO:
        case TokenType::CDC:
          break;
        case TokenType::Eof:
          return rules;
        case TokenType::AtKeyword:
          reconsume();
          rules.push_back(consume_at_rule());
          break;
        default: {
          reconsume();
          Rule r;
          if (consume_qualified_rule(r)) rules.push_back(std::move(r));
          break;
        }
      }
    }
  }

 private:
  const Token& consume() {
    const Token& t = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) ++pos_;
    else at_eof_ = true;
    return t;
  }
  void reconsume() {
    if (at_eof_) at_eof_ = false;
    else --pos_;
  }

  // §5.4.2 Consume an at-rule. An at-rule cut off by the end of the file is returned as it
  // is (the specification calls it a parse error; its meaning is checked by the caller).
  Rule consume_at_rule() {
    Rule r;
    r.at_rule = true;
    r.start = consume();
    for (;;) {
      const Token& t = consume();
      if (t.type == TokenType::Semicolon) return r;
      if (t.type == TokenType::Eof) return r;
      if (t.type == TokenType::LeftBrace) {
        r.has_block = true;
        r.block_open = t;
        ++depth_;
        r.block = consume_simple_block(t).children;
        --depth_;
        return r;
      }
      reconsume();
      r.prelude.push_back(consume_component_value());
    }
  }

  // §5.4.3 Consume a qualified rule. Returns false (nothing) when the file ends before the
  // block, which is reported here since nothing later sees the rule.
  bool consume_qualified_rule(Rule& r) {
    r.start = tokens_[pos_];
    for (;;) {
      const Token& t = consume();
      if (t.type == TokenType::Eof) {
        report_rule_without_block(r);
        return false;
      }
      if (t.type == TokenType::LeftBrace) {
        r.has_block = true;
        r.block_open = t;
        ++depth_;
        r.block = consume_simple_block(t).children;
        --depth_;
        return true;
      }
      reconsume();
      r.prelude.push_back(consume_component_value());
    }
  }

  void report_rule_without_block(const Rule& r) {
    for (const ComponentValue& v : r.prelude) {
      if (v.is_whitespace()) continue;
      if (v.is(TokenType::RightBrace)) {
        ctx_.diags.error(ctx_.pos(v), "unexpected '}' (no block is open)",
                         "remove it, or check the braces before it");
      } else {
        ctx_.diags.error(ctx_.pos(v),
                         "expected '{' after " + source_text(r.prelude, ctx_) +
                             ", found end of file");
      }
      return;
    }
  }

  // §5.4.7 Consume a component value.
  ComponentValue consume_component_value() {
    const Token& t = consume();
    bool opens = t.type == TokenType::LeftBrace || t.type == TokenType::LeftBracket ||
                 t.type == TokenType::LeftParen || t.type == TokenType::Function;
    if (opens && depth_ >= kMaxNesting) return skip_nested(t);
    if (!opens) {
      ComponentValue v;
      v.token = t;
      v.end = t.end;
      return v;
    }
    ++depth_;
    ComponentValue v =
        t.type == TokenType::Function ? consume_function(t) : consume_simple_block(t);
    --depth_;
    return v;
  }

  // Blocks and functions nested deeper than any real stylesheet would exhaust the stack of a
  // recursive descent: past the limit, the nested part is skipped (bracket counting only) and
  // reported once. It becomes a delim, so the declaration or selector holding it is dropped.
  ComponentValue skip_nested(const Token& open) {
    if (!reported_nesting_) {
      ctx_.diags.error(ctx_.pos(open), "blocks nested more than " +
                                           std::to_string(kMaxNesting) +
                                           " deep (the innermost are ignored)");
      reported_nesting_ = true;
    }
    int level = 1;
    uint32_t end = open.end;
    while (level > 0) {
      const Token& t = consume();
      end = t.end;
      if (t.type == TokenType::Eof) break;
      if (t.type == TokenType::LeftBrace || t.type == TokenType::LeftBracket ||
          t.type == TokenType::LeftParen || t.type == TokenType::Function)
        ++level;
      else if (t.type == TokenType::RightBrace || t.type == TokenType::RightBracket ||
               t.type == TokenType::RightParen)
        --level;
    }
    ComponentValue v;
    v.token = open;
    v.token.type = TokenType::Delim;
    v.token.delim = 0xFFFD;
    v.end = end;
    return v;
  }

  // §5.4.8 Consume a simple block. The end of the file before the closing token is an error
  // at the opening one, where the user has to look.
  ComponentValue consume_simple_block(const Token& open) {
    ComponentValue b;
    b.kind = ComponentValue::Kind::Block;
    b.token = open;
    TokenType close = closing_of(open.type);
    for (;;) {
      const Token& t = consume();
      if (t.type == close) {
        b.end = t.end;
        return b;
      }
      if (t.type == TokenType::Eof) {
        report_unclosed(open, std::string("unclosed '") + spelling(open.type) +
                                  "' (no matching '" + spelling(close) +
                                  "' before the end of the file)");
        b.end = t.end;
        b.closed = false;
        return b;
      }
      reconsume();
      b.children.push_back(consume_component_value());
    }
  }

  // The end of the file closes every open block at once. Only the innermost is reported: it
  // is where the missing bracket belongs (or the first place to look), and the blocks around
  // it are unclosed only because of it.
  void report_unclosed(const Token& open, const std::string& message) {
    if (reported_unclosed_) return;
    ctx_.diags.error(ctx_.pos(open), message);
    reported_unclosed_ = true;
  }

  // §5.4.9 Consume a function.
  ComponentValue consume_function(const Token& fn) {
    ComponentValue f;
    f.kind = ComponentValue::Kind::Function;
    f.token = fn;
    for (;;) {
      const Token& t = consume();
      if (t.type == TokenType::RightParen) {
        f.end = t.end;
        return f;
      }
      if (t.type == TokenType::Eof) {
        report_unclosed(fn, "unclosed '" + fn.value +
                                "(' (no matching ')' before the end of the file)");
        f.end = t.end;
        f.closed = false;
        return f;
      }
      reconsume();
      f.children.push_back(consume_component_value());
    }
  }

  static constexpr int kMaxNesting = 200;

  const std::vector<Token>& tokens_;
  const ParseContext& ctx_;
  size_t pos_ = 0;
  bool at_eof_ = false;
  int depth_ = 0;
  bool reported_nesting_ = false;
  bool reported_unclosed_ = false;
};

void trim_whitespace(ComponentValues& v) {
  while (!v.empty() && v.back().is_whitespace()) v.pop_back();
  size_t first = 0;
  while (first < v.size() && v[first].is_whitespace()) ++first;
  v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(first));
}

// §5.4.6 Consume a declaration, from the items of one ';'-separated piece of a block (the
// first item is the property name's ident).
bool consume_declaration(const ComponentValues& items, const ParseContext& ctx,
                         Declaration& out) {
  out.name = items[0].token;
  size_t i = 1;
  while (i < items.size() && items[i].is_whitespace()) ++i;
  if (i >= items.size() || !items[i].is(TokenType::Colon)) {
    std::string found = i >= items.size() ? "';'" : source_text(items[i], ctx);
    // A {} block in the middle of a declaration list is almost always the next rule, after a
    // '}' that was forgotten.
    bool looks_like_rule = std::any_of(items.begin(), items.end(), [](const ComponentValue& v) {
      return v.is_block(TokenType::LeftBrace);
    });
    ctx.diags.error(ctx.pos(out.name),
                    "expected ':' after property name '" + out.name.value + "', found " + found,
                    looks_like_rule ? "is a '}' missing before it? This looks like the start of "
                                      "a new rule"
                                    : "write it as '" + out.name.value + ": value;'");
    return false;
  }
  out.value.assign(items.begin() + static_cast<std::ptrdiff_t>(i + 1), items.end());
  trim_whitespace(out.value);
  // "If the last two non-whitespace tokens are a <delim-token> '!' followed by an
  // <ident-token> ASCII case-insensitive 'important', remove them and set important."
  size_t n = out.value.size();
  if (n >= 2 && out.value[n - 1].is_ident("important")) {
    size_t j = n - 1;
    while (j > 0 && out.value[j - 1].is_whitespace()) --j;
    if (j > 0 && out.value[j - 1].is_delim('!')) {
      out.value.resize(j - 1);
      trim_whitespace(out.value);
      out.important = true;
    }
  }
  return true;
}

}  // namespace

std::vector<Rule> parse_rules(const std::vector<Token>& tokens, const ParseContext& ctx) {
  return RuleParser(tokens, ctx).consume_rule_list();
}

// §5.4.5 Consume a list of declarations, over the block's component values.
void parse_declarations(const ComponentValues& block, const ParseContext& ctx,
                        std::vector<Declaration>& decls, std::vector<Rule>& rules) {
  size_t i = 0;
  auto piece_end = [&](size_t from) {
    while (from < block.size() && !block[from].is(TokenType::Semicolon)) ++from;
    return from;
  };
  while (i < block.size()) {
    const ComponentValue& v = block[i];
    if (v.is_whitespace() || v.is(TokenType::Semicolon)) {
      ++i;
      continue;
    }
    if (v.is(TokenType::AtKeyword)) {
      // A nested at-rule: prelude up to ';' or a {} block.
      Rule r;
      r.at_rule = true;
      r.start = v.token;
      ++i;
      for (; i < block.size(); ++i) {
        if (block[i].is(TokenType::Semicolon)) {
          ++i;
          break;
        }
        if (block[i].is_block(TokenType::LeftBrace)) {
          r.has_block = true;
          r.block_open = block[i].token;
          r.block = block[i].children;
          ++i;
          break;
        }
        r.prelude.push_back(block[i]);
      }
      rules.push_back(std::move(r));
      continue;
    }
    size_t end = piece_end(i);
    if (v.is(TokenType::Ident)) {
      ComponentValues items(block.begin() + static_cast<std::ptrdiff_t>(i),
                            block.begin() + static_cast<std::ptrdiff_t>(end));
      Declaration d;
      if (consume_declaration(items, ctx, d)) decls.push_back(std::move(d));
    } else if (!v.is(TokenType::BadString) && !v.is(TokenType::BadUrl)) {
      std::string hint;
      if (v.is_block(TokenType::LeftBrace) || v.is(TokenType::RightBrace))
        hint = "a ';' or '}' may be missing before it";
      ctx.diags.error(ctx.pos(v), "expected a property name, found " + source_text(v, ctx),
                      hint);
    }
    i = end;
  }
}

std::string source_text(const ComponentValue& value, const ParseContext& ctx) {
  return source_text(ComponentValues{value}, ctx);
}

std::string source_text(const ComponentValues& values, const ParseContext& ctx,
                        size_t max_len) {
  size_t first = 0, last = values.size();
  while (first < last && values[first].is_whitespace()) ++first;
  while (last > first && values[last - 1].is_whitespace()) --last;
  if (first == last) return "''";
  uint32_t b = values[first].begin(), e = values[last - 1].end;
  std::string_view raw = ctx.source.substr(b, e - b);
  std::string out;
  bool space = false;
  for (char c : raw) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  if (out.size() > max_len) {
    size_t cut = max_len;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out = out.substr(0, cut) + "...";
  }
  return "'" + out + "'";
}

bool contains_bad_token(const ComponentValues& values) {
  for (const ComponentValue& v : values) {
    if (v.is(TokenType::BadString) || v.is(TokenType::BadUrl) || !v.closed) return true;
    if (!v.children.empty() && contains_bad_token(v.children)) return true;
  }
  return false;
}

}  // namespace trang::style::css
