// Generated content in document order: counters with their scopes (CSS Lists 3 §4), quotes
// (CSS Content 3 §3) and the counter styles (CSS Counter Styles 3 §6).
#include <map>

#include "style/cascade.h"

namespace trang::style {

std::string format_counter(long long n, CounterStyle style) {
  switch (style) {
    case CounterStyle::Disc: return "\u2022";
    case CounterStyle::Circle: return "\u25E6";
    case CounterStyle::Square: return "\u25AA";
    case CounterStyle::None: return {};
    case CounterStyle::LowerRoman: case CounterStyle::UpperRoman: {
      if (n < 1 || n > 3999) break;  // §6.1: the range of roman numerals
      static constexpr std::pair<int, const char*> kTable[] = {
          {1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"},
          {50, "l"},   {40, "xl"},  {10, "x"},  {9, "ix"},   {5, "v"},   {4, "iv"}, {1, "i"}};
      std::string out;
      for (const auto& [v, s] : kTable)
        while (n >= v) out += s, n -= v;
      if (style == CounterStyle::UpperRoman)
        for (char& c : out) c = static_cast<char>(c - 'a' + 'A');
      return out;
    }
    case CounterStyle::LowerAlpha: case CounterStyle::UpperAlpha: {
      if (n < 1) break;  // §6.2: alphabetic systems start at 1
      std::string out;
      char base = style == CounterStyle::LowerAlpha ? 'a' : 'A';
      for (; n > 0; n = (n - 1) / 26) out.insert(out.begin(), static_cast<char>(base + (n - 1) % 26));
      return out;
    }
    case CounterStyle::Decimal: break;
  }
  return std::to_string(n);
}

namespace cascade {
namespace {

using model::Kind;
using model::Node;

class Generator {
 public:
  explicit Generator(StyledDocument& doc) : doc_(doc) {}

  void walk(const Node& n) {
    if (n.kind == Kind::Text) return;
    const ComputedStyle& s = styles(doc_.styles, n.index);
    // CSS Lists 3 §4.5 / CSS 2.1 §12.4.3: an element that is not displayed changes no counter.
    if (s.display == Display::None) {
      drop(doc_.before, n.index);
      drop(doc_.after, n.index);
      drop(doc_.marker, n.index);
      return;
    }
    apply(s, n.kind);
    scopes_.emplace_back();  // the counters n's children (and pseudo-elements) instantiate
    if (n.kind == Kind::ListItem) marker(n, s);
    pseudo(doc_.before, n);
    for (const Node& c : n.children) walk(c);
    pseudo(doc_.after, n);
    for (const std::string& name : scopes_.back()) {
      std::vector<long long>& v = values_[name];
      v.pop_back();
      if (v.empty()) values_.erase(name);
    }
    scopes_.pop_back();
  }

 private:
  // Read through a const table: its non-const operator[] gives the node a copy of its own.
  static const ComputedStyle& styles(const StyleTable& t, size_t i) { return t[i]; }

  static void drop(std::map<uint32_t, StyledDocument::Generated>& m, uint32_t i) { m.erase(i); }

  static bool names(const std::vector<CounterChange>& list, std::string_view name) {
    for (const CounterChange& c : list)
      if (c.name == name) return true;
    return false;
  }

  // A counter in scope, or one instantiated on the current element at 0 (§4.5: using or
  // changing a counter that is not in scope creates it).
  long long& counter(const std::string& name) {
    std::vector<long long>& v = values_[name];
    if (v.empty()) {
      v.push_back(0);
      scopes_.back().push_back(name);
    }
    return v.back();
  }

  // §4.1-4.3, in the order §4.5 gives: reset, then increment, then set. A list holds its own
  // list-item counter and each item counts itself (§4.6), unless their rules name list-item.
  void apply(const ComputedStyle& s, Kind kind) {
    auto reset = [&](const std::string& name, long long value) {
      std::vector<std::string>& level = scopes_.back();
      std::vector<long long>& v = values_[name];
      // A sibling's counter of the same name ends here: this one replaces it.
      if (std::find(level.begin(), level.end(), name) != level.end())
        v.back() = value;
      else
        v.push_back(value), level.push_back(name);
    };
    for (const CounterChange& c : s.counter_reset) reset(c.name, c.value);
    if (kind == Kind::List && !names(s.counter_reset, kListItem)) reset(kListItem, 0);
    for (const CounterChange& c : s.counter_increment) counter(c.name) += c.value;
    if (kind == Kind::ListItem && !names(s.counter_increment, kListItem)) counter(kListItem) += 1;
    for (const CounterChange& c : s.counter_set) counter(c.name) = c.value;
  }

  std::string text(const ComputedStyle& s, const Node& n) {
    std::string out;
    const std::vector<std::string>& q = s.quotes.empty() ? kAutoQuotes : s.quotes;
    size_t pairs = q.size() / 2;
    for (const ContentItem& it : s.content) {
      switch (it.kind) {
        case ContentItem::Kind::Literal: out += it.value; break;
        case ContentItem::Kind::Attr:
          if (const std::string* a = n.attribute(it.value)) out += *a;
          break;
        case ContentItem::Kind::Counter: out += format_counter(counter(it.value), it.counter_style); break;
        case ContentItem::Kind::Counters: {
          counter(it.value);
          const std::vector<long long>& v = values_[it.value];
          for (size_t k = 0; k < v.size(); ++k)
            out += (k ? it.separator : std::string()) + format_counter(v[k], it.counter_style);
          break;
        }
        case ContentItem::Kind::OpenQuote:
          if (pairs) out += q[2 * std::min(quote_depth_, pairs - 1)];
          ++quote_depth_;
          break;
        case ContentItem::Kind::CloseQuote:
          if (quote_depth_ == 0) break;  // §3.2: a close-quote with nothing open prints nothing
          --quote_depth_;
          if (pairs) out += q[2 * std::min(quote_depth_, pairs - 1) + 1];
          break;
        case ContentItem::Kind::NoOpenQuote: ++quote_depth_; break;
        case ContentItem::Kind::NoCloseQuote:
          if (quote_depth_ > 0) --quote_depth_;
          break;
        // Refused by the parser outside margin boxes and string-set.
        case ContentItem::Kind::ElementText: case ContentItem::Kind::CounterPage:
        case ContentItem::Kind::CounterPages: case ContentItem::Kind::String: break;
      }
    }
    return model::to_nfc(out);
  }

  void pseudo(std::map<uint32_t, StyledDocument::Generated>& m, const Node& n) {
    auto it = m.find(n.index);
    if (it == m.end()) return;
    const ComputedStyle& s = styles(doc_.generated_styles, it->second.style);
    if (s.content_none || s.display == Display::None) {
      m.erase(it);
      return;
    }
    apply(s, Kind::Emphasis);
    it->second.text = text(s, n);
  }

  // CSS Lists 3 §3: the marker is ::marker's content, or with content: normal the item's
  // list-item counter in list-style-type ("3. "), or its bullet ("• ").
  void marker(const Node& n, const ComputedStyle& item) {
    auto it = doc_.marker.find(n.index);
    if (it == doc_.marker.end())
      it = doc_.marker.emplace(n.index, StyledDocument::Generated{{}, doc_.generated_styles.add(item)}).first;
    const ComputedStyle& s = styles(doc_.generated_styles, it->second.style);
    apply(s, Kind::Emphasis);
    if (!s.content_normal) {
      it->second.text = s.content_none ? std::string() : text(s, n);
      return;
    }
    CounterStyle type = s.list_style_type;
    std::string mark = format_counter(counter(kListItem), type);
    bool symbol = type == CounterStyle::Disc || type == CounterStyle::Circle ||
                  type == CounterStyle::Square;
    it->second.text = mark.empty() ? mark : mark + (symbol ? " " : ". ");
  }

  inline static const std::string kListItem = "list-item";
  inline static const std::vector<std::string> kAutoQuotes = {"\u201C", "\u201D", "\u2018", "\u2019"};

  StyledDocument& doc_;
  std::map<std::string, std::vector<long long>, std::less<>> values_;
  std::vector<std::vector<std::string>> scopes_ = {{}};
  size_t quote_depth_ = 0;
};

}  // namespace

void resolve_generated(const model::Article& article, StyledDocument& doc) {
  Generator(doc).walk(article.root);
}

}  // namespace cascade
}  // namespace trang::style
