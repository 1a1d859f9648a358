// Computed values (CSS Cascade 4 §4.4, CSS 2.1 §6.1.2): each property of an element from its
// winning declaration, its parent and the initial values.
#include <algorithm>

#include "style/calc.h"
#include "style/cascade.h"

namespace trang::style::cascade {

namespace {

// font-variant-caps as OpenType features (CSS Fonts 4 §6.6, "feature mapping").
void add_caps_features(FontVariantCaps caps, std::vector<std::string>& out) {
  switch (caps) {
    case FontVariantCaps::Normal: break;
    case FontVariantCaps::SmallCaps: out.push_back("smcp"); break;
    case FontVariantCaps::AllSmallCaps: out.push_back("smcp"); out.push_back("c2sc"); break;
    case FontVariantCaps::PetiteCaps: out.push_back("pcap"); break;
    case FontVariantCaps::AllPetiteCaps: out.push_back("pcap"); out.push_back("c2pc"); break;
    case FontVariantCaps::Unicase: out.push_back("unic"); break;
    case FontVariantCaps::TitlingCaps: out.push_back("titl"); break;
  }
}

bool is_inline_kind(model::Kind k) {
  return k == model::Kind::Emphasis || k == model::Kind::Strong || k == model::Kind::Link ||
         k == model::Kind::LineBreak || k == model::Kind::Text;
}

// CSS Fonts 4 §2.2, "bolder"/"lighter" relative to the inherited weight.
int relative_weight(int w, bool bolder) {
  if (bolder) {
    if (w < 350) return 400;
    if (w < 550) return 700;
    if (w < 900) return 900;
    return w;
  }
  if (w < 100) return w;
  if (w < 550) return 100;
  if (w < 750) return 400;
  return 700;
}

}  // namespace

// Initial values (each property's definition, "Initial"). `display` starts from what the
// element is in the article language (the role a UA stylesheet plays for HTML), so a sheet
// that says nothing about display still lays out.
Computed initial_values(model::Kind kind) {
  Computed c;
  ComputedStyle& s = c.style;
  s.display = is_inline_kind(kind) ? Display::Inline : Display::Block;
  s.font_family = {"Noto Serif"};
  s.font_weight = 400;
  s.font_style = FontStyle::Normal;
  s.font_size = kMediumFontSize;
  c.line_height_factor = 1.2;  // normal
  s.line_height = kMediumFontSize * 1.2;
  s.color = Color::gray(0);
  s.text_align = TextAlign::Left;
  s.text_transform = TextTransform::None;
  s.text_indent = Pt(0);
  s.letter_spacing = Pt(0);
  s.margin_top = s.margin_right = s.margin_bottom = s.margin_left = Pt(0);
  s.column_span_all = false;
  c.column_count = 0;
  c.column_gap = kMediumFontSize;  // normal = 1em
  c.rule_width = Pt(2.25);         // medium
  c.rule_style = RuleStyle::None;
  c.rule_color = s.color;          // currentcolor
  return c;
}

void Resolver::compute(model::Kind kind, const Winners& declared, const Computed* parent,
                       Computed& c) {
  const Computed init = initial_values(kind);
  const Computed& inherited = parent ? *parent : init;
  c = init;
  // CSS Variables 1 §3: custom properties first, then var() in the others replaced.
  c.vars = custom_properties(declared, parent ? parent->vars : nullptr);
  Winners substituted;
  const Winners* wp = &declared;
  for (const Winner& x : declared.slots) {
    if (x.decl && x.decl->value.kind == Value::Kind::Pending) {
      substituted = declared;
      substitute(substituted, c.vars.get());
      wp = &substituted;
      break;
    }
  }
  const Winners& w = *wp;
  ComputedStyle& s = c.style;
  const ComputedStyle& ps = inherited.style;
  const PropertyDeclaration* d;

  // font-size first: every em below depends on it. Its ex and ch are the parent's font's.
  font_ = &ps;
  switch (source(w, parent != nullptr, PropertyId::FontSize, d)) {
    case Source::Inherit: s.font_size = ps.font_size; break;
    case Source::Initial: s.font_size = init.style.font_size; break;
    case Source::Declared: {
      const Length& l = d->value.length;
      // CSS Values 4 §6.1.1: rem on the root's font-size is the initial font size.
      Pt size = (l.unit == LengthUnit::Rem && !parent) ? kMediumFontSize * l.value
                                                        : resolve(l, ps.font_size, ps.font_size);
      double clamped = std::clamp(size.v, kMinFontSize, kMaxFontSize);
      if (clamped != size.v)
        warn_once(*d, "out-of-range value for 'font-size': " + d->text + " computes to " +
                          format_number(size.v, 2) + "pt (clamped to " +
                          format_number(clamped, 2) + "pt)");
      s.font_size = Pt(clamped);
      break;
    }
  }
  const Pt em = s.font_size;
  if (!parent) root_font_size_ = em;  // rem everywhere else (CSS Values 3 §6.1.1)

  switch (source(w, parent != nullptr, PropertyId::Display, d)) {
    case Source::Inherit: s.display = ps.display; break;
    case Source::Initial: break;
    case Source::Declared: s.display = static_cast<Display>(d->value.keyword); break;
  }
  switch (source(w, parent != nullptr, PropertyId::FontFamily, d)) {
    case Source::Inherit: s.font_family = ps.font_family; break;
    case Source::Initial: break;
    case Source::Declared: s.font_family = d->value.families; break;
  }
  switch (source(w, parent != nullptr, PropertyId::FontWeight, d)) {
    case Source::Inherit: s.font_weight = ps.font_weight; break;
    case Source::Initial: break;
    case Source::Declared:
      if (d->value.kind == Value::Kind::Number)
        s.font_weight = static_cast<int>(d->value.number + 0.5);
      else
        s.font_weight = relative_weight(ps.font_weight, d->value.keyword == kw::kBolder);
      // Faces come in 100..900 (CSS Fonts 4 allows 1..1000 and picks the nearest).
      s.font_weight = std::clamp(s.font_weight, 100, 900);
      break;
  }
  switch (source(w, parent != nullptr, PropertyId::FontStyle, d)) {
    case Source::Inherit: s.font_style = ps.font_style; break;
    case Source::Initial: break;
    case Source::Declared: s.font_style = static_cast<FontStyle>(d->value.keyword); break;
  }
  font_ = &s;  // ex and ch below are of the element's own font

  // line-height (CSS 2.1 §10.8.1): a number is inherited as the number and multiplies the
  // element's own font size; a length or percentage is inherited as the computed length.
  switch (source(w, parent != nullptr, PropertyId::LineHeight, d)) {
    case Source::Inherit:
      c.line_height_factor = inherited.line_height_factor;
      s.line_height = c.line_height_factor > 0 ? em * c.line_height_factor : ps.line_height;
      break;
    case Source::Initial:
      c.line_height_factor = 1.2;
      s.line_height = em * 1.2;
      break;
    case Source::Declared:
      if (d->value.kind == Value::Kind::Number) {
        c.line_height_factor = d->value.number;
        s.line_height = em * d->value.number;
      } else {
        c.line_height_factor = 0;
        s.line_height = resolve(d->value.length, em, em);
      }
      break;
  }

  switch (source(w, parent != nullptr, PropertyId::Color, d)) {
    case Source::Inherit: s.color = ps.color; break;
    case Source::Initial: break;
    case Source::Declared:
      // CSS Color 4 §4.4: currentcolor on `color` itself is `inherit`.
      s.color = d->value.kind == Value::Kind::CurrentColor ? ps.color : d->value.color;
      break;
  }
  s.text_indent = length_property(w, PropertyId::TextIndent, parent, ps.text_indent,
                                  init.style.text_indent, em);
  s.letter_spacing = length_property(w, PropertyId::LetterSpacing, parent, ps.letter_spacing,
                                     init.style.letter_spacing, em);
  s.margin_top = length_property(w, PropertyId::MarginTop, parent, ps.margin_top, Pt(0), em);
  s.margin_right =
      length_property(w, PropertyId::MarginRight, parent, ps.margin_right, Pt(0), em);
  s.margin_bottom =
      length_property(w, PropertyId::MarginBottom, parent, ps.margin_bottom, Pt(0), em);
  s.margin_left = length_property(w, PropertyId::MarginLeft, parent, ps.margin_left, Pt(0), em);
  switch (source(w, parent != nullptr, PropertyId::ColumnSpan, d)) {
    case Source::Inherit: s.column_span_all = ps.column_span_all; break;
    case Source::Initial: break;
    case Source::Declared: s.column_span_all = d->value.keyword == kw::kSpanAll; break;
  }

  s.column_span = 1;
  if (const PropertyDeclaration* cs = w[static_cast<size_t>(PropertyId::ColumnSpan)].decl;
      cs && cs->value.kind == Value::Kind::Number) {
    s.column_span = static_cast<int>(cs->value.number);
    s.column_span_all = false;
  } else if (s.column_span_all) {
    s.column_span = kMaxColumnCount;
  }
  compute_more(w, parent, inherited, init, c, em);

  // Multi-column (CSS Multi-column 1 §3, §4); none of these inherit.
  switch (source(w, parent != nullptr, PropertyId::ColumnCount, d)) {
    case Source::Inherit: c.column_count = inherited.column_count; break;
    case Source::Initial: break;
    case Source::Declared:
      c.column_count = d->value.kind == Value::Kind::Number
                           ? static_cast<int>(d->value.number)
                           : 0;  // auto
      break;
  }
  c.column_gap =
      length_property(w, PropertyId::ColumnGap, parent, inherited.column_gap, em, em);
  c.column_count_decl = w[static_cast<size_t>(PropertyId::ColumnCount)].decl;
  c.column_gap_decl = w[static_cast<size_t>(PropertyId::ColumnGap)].decl;
  c.rule_width = length_property(w, PropertyId::ColumnRuleWidth, parent, inherited.rule_width,
                                 init.rule_width, em);
  switch (source(w, parent != nullptr, PropertyId::ColumnRuleStyle, d)) {
    case Source::Inherit: c.rule_style = inherited.rule_style; break;
    case Source::Initial: break;
    case Source::Declared: c.rule_style = static_cast<RuleStyle>(d->value.keyword); break;
  }
  c.rule_color = s.color;  // initial: currentcolor
  switch (source(w, parent != nullptr, PropertyId::ColumnRuleColor, d)) {
    case Source::Inherit: c.rule_color = inherited.rule_color; break;
    case Source::Initial: break;
    case Source::Declared:
      if (d->value.kind == Value::Kind::Color) c.rule_color = d->value.color;
      break;
  }
}

void Resolver::compute_more(const Winners& w, const Computed* parent, const Computed& inherited,
                  const Computed& init, Computed& c, Pt em) {
  ComputedStyle& s = c.style;
  const ComputedStyle& ps = inherited.style;
  const ComputedStyle& is = init.style;
  const PropertyDeclaration* d;
  using P = PropertyId;
  using H = PropertyHandler;

  // The rows of property_table.h that need no code of their own.
  for (const PropertyDef& p : longhand_defs()) {
    if (p.how.kind == H::Kind::Custom) continue;
    Source from = source(w, parent != nullptr, p.id, d);
    if (p.how.kind == H::Kind::Keywords) {
      switch (from) {
        case Source::Inherit: p.how.inherit(s, ps); break;
        case Source::Initial: p.how.store(s, p.how.keywords[p.how.initial].value); break;
        case Source::Declared: p.how.store(s, d->value.keyword); break;
      }
    } else {
      uint8_t& k = c.feature_keywords[static_cast<size_t>(p.id)];
      switch (from) {
        case Source::Inherit: k = inherited.feature_keywords[static_cast<size_t>(p.id)]; break;
        case Source::Initial: k = static_cast<uint8_t>(p.how.initial); break;
        case Source::Declared: k = static_cast<uint8_t>(d->value.keyword); break;
      }
    }
  }

  switch (source(w, parent != nullptr, P::FontFeatureSettings, d)) {
    case Source::Inherit: c.feature_settings = inherited.feature_settings; break;
    case Source::Initial: c.feature_settings.clear(); break;
    case Source::Declared: c.feature_settings = d->value.families; break;
  }
  keyword_property(w, P::FontVariantCaps, parent, s.font_variant_caps, ps.font_variant_caps,
                   FontVariantCaps::Normal);
  // Caps and the table's feature keywords first: font-feature-settings comes last and wins
  // (CSS Fonts 4 §7.2).
  s.font_features.clear();
  add_caps_features(s.font_variant_caps, s.font_features);
  for (const PropertyDef& p : longhand_defs()) {
    if (p.how.kind != H::Kind::Features) continue;
    std::string_view f = p.how.keywords[c.feature_keywords[static_cast<size_t>(p.id)]].features;
    while (!f.empty()) {
      size_t comma = f.find(',');
      s.font_features.emplace_back(f.substr(0, comma));
      f = comma == std::string_view::npos ? std::string_view() : f.substr(comma + 1);
    }
  }
  s.font_features.insert(s.font_features.end(), c.feature_settings.begin(),
                         c.feature_settings.end());
  s.word_spacing = length_property(w, P::WordSpacing, parent, ps.word_spacing, Pt(0), em);
  switch (source(w, parent != nullptr, P::HyphenateLimitChars, d)) {
    case Source::Inherit:
      s.hyphenate_word_min = ps.hyphenate_word_min;
      s.hyphenate_before_min = ps.hyphenate_before_min;
      s.hyphenate_after_min = ps.hyphenate_after_min;
      break;
    case Source::Initial: break;
    case Source::Declared: {
      // CSS Text 4 §6.2.2: a missing third value is the second; auto is 5 2 2.
      const std::vector<double>& n = d->value.numbers;
      auto at = [&](size_t i, int dflt) {
        double x = i < n.size() ? n[i] : (i == 2 && n.size() == 2 ? n[1] : -1);
        return x < 0 ? dflt : static_cast<int>(x);
      };
      s.hyphenate_word_min = at(0, 5);
      s.hyphenate_before_min = at(1, 2);
      s.hyphenate_after_min = at(2, 2);
      break;
    }
  }
  int_property(w, P::HyphenateLimitLines, parent, s.hyphenate_limit_lines,
               ps.hyphenate_limit_lines, is.hyphenate_limit_lines);
  int_property(w, P::Widows, parent, s.widows, ps.widows, is.widows);
  int_property(w, P::Orphans, parent, s.orphans, ps.orphans, is.orphans);
  int fill = inherited.column_fill_balance;
  int_keyword(w, P::ColumnFill, parent, fill, fill, 1);
  c.column_fill_balance = fill != 0;
  int_property(w, P::TrangMinLines, parent, s.min_lines, ps.min_lines, is.min_lines);
  switch (source(w, parent != nullptr, P::TrangFontExpansion, d)) {
    case Source::Inherit: s.expansion = ps.expansion; break;
    case Source::Initial: s.expansion = is.expansion; break;
    case Source::Declared: s.expansion = d->value.number; break;
  }
  for (auto [id, field] : {std::pair{P::TrangRuntCost, &ComputedStyle::runt_cost},
                           std::pair{P::TrangRuntWidth, &ComputedStyle::runt_width},
                           std::pair{P::TrangStackCost, &ComputedStyle::stack_cost}}) {
    switch (source(w, parent != nullptr, id, d)) {
      case Source::Inherit: s.*field = ps.*field; break;
      case Source::Initial: s.*field = is.*field; break;
      case Source::Declared: s.*field = d->value.number; break;
    }
  }

  switch (source(w, parent != nullptr, P::Opacity, d)) {
    case Source::Inherit: s.opacity = ps.opacity; break;
    case Source::Initial: s.opacity = 1; break;
    case Source::Declared: s.opacity = d->value.number; break;
  }

  // Backgrounds and borders (CSS Backgrounds 3); none inherit.
  switch (source(w, parent != nullptr, P::BackgroundColor, d)) {
    case Source::Inherit:
      s.has_background = ps.has_background;
      s.background_color = ps.background_color;
      break;
    case Source::Initial: s.has_background = false; break;
    case Source::Declared:
      s.background_color = d->value.kind == Value::Kind::Color ? d->value.color : s.color;
      s.has_background = d->value.kind != Value::Kind::Keyword && s.background_color.alpha > 0;
      break;
  }
  struct Side {
    BorderSide ComputedStyle::*side;
    P width, style, color;
    Pt ComputedStyle::*padding;
    P pad;
  };
  const Side sides[] = {
      {&ComputedStyle::border_top, P::BorderTopWidth, P::BorderTopStyle, P::BorderTopColor,
       &ComputedStyle::padding_top, P::PaddingTop},
      {&ComputedStyle::border_right, P::BorderRightWidth, P::BorderRightStyle,
       P::BorderRightColor, &ComputedStyle::padding_right, P::PaddingRight},
      {&ComputedStyle::border_bottom, P::BorderBottomWidth, P::BorderBottomStyle,
       P::BorderBottomColor, &ComputedStyle::padding_bottom, P::PaddingBottom},
      {&ComputedStyle::border_left, P::BorderLeftWidth, P::BorderLeftStyle,
       P::BorderLeftColor, &ComputedStyle::padding_left, P::PaddingLeft}};
  for (const Side& x : sides) {
    BorderSide& b = s.*x.side;
    const BorderSide& pb = ps.*x.side;
    b.width = length_property(w, x.width, parent, pb.width, Pt(2.25), em);  // medium
    keyword_property(w, x.style, parent, b.style, pb.style, RuleStyle::None);
    color_property(w, x.color, parent, b.color, pb.color, s.color);
    // CSS Backgrounds 3 §4.3: the used width of a border with style none is 0.
    if (b.style == RuleStyle::None) b.width = Pt(0);
    s.*x.padding = length_property(w, x.pad, parent, ps.*x.padding, Pt(0), em);
  }

  // Figures and images: width and max-width, a length or a percentage of the column (which
  // layout knows) plus the rest (calc(100% - 2em)).
  auto width_like = [&](P id, ComputedStyle::WidthKind ComputedStyle::*kind, Pt ComputedStyle::*len,
                        double ComputedStyle::*percent) {
    switch (source(w, parent != nullptr, id, d)) {
      case Source::Inherit:
        s.*kind = ps.*kind;
        s.*len = ps.*len;
        s.*percent = ps.*percent;
        break;
      case Source::Initial: s.*kind = ComputedStyle::WidthKind::Auto; break;
      case Source::Declared:
        if (d->value.kind == Value::Kind::Keyword) {
          s.*kind = ComputedStyle::WidthKind::Auto;
        } else if (has_percent(d->value.length)) {
          const Length& l = d->value.length;
          s.*kind = ComputedStyle::WidthKind::Percent;
          s.*percent = l.is_calc() ? l.calc->coef[static_cast<size_t>(LengthUnit::Percent)] : l.value;
          Length rest = l;  // the length part may be negative; layout clamps the sum
          rest.at_least_zero = false;
          s.*len = l.is_calc() ? resolve(rest, em, Pt(0)) : Pt(0);
        } else {
          s.*kind = ComputedStyle::WidthKind::Length;
          s.*len = resolve(d->value.length, em, em);
        }
        break;
    }
  };
  width_like(P::Width, &ComputedStyle::width_kind, &ComputedStyle::width, &ComputedStyle::width_percent);
  width_like(P::MaxWidth, &ComputedStyle::max_width_kind, &ComputedStyle::max_width,
             &ComputedStyle::max_width_percent);
  keyword_property(w, P::Float, parent, s.float_, ps.float_, Float::None);
  switch (source(w, parent != nullptr, P::ObjectPosition, d)) {
    case Source::Inherit:
      s.object_x = ps.object_x;
      s.object_y = ps.object_y;
      break;
    case Source::Initial:
      s.object_x = s.object_y = 0.5;
      break;
    case Source::Declared:
      s.object_x = d->value.numbers.size() > 1 ? d->value.numbers[0] : 0.5;
      s.object_y = d->value.numbers.size() > 1 ? d->value.numbers[1] : 0.5;
      break;
  }
  int bleed = ps.bleed;
  int_keyword(w, P::TrangBleed, parent, bleed, ps.bleed, 0);
  s.bleed = static_cast<uint8_t>(bleed);

  // Generated content.
  switch (source(w, parent != nullptr, P::StringSet, d)) {
    case Source::Inherit: s.string_set = ps.string_set; break;
    case Source::Initial: s.string_set.clear(); break;
    case Source::Declared: s.string_set = d->value.string_sets; break;
  }
  switch (source(w, parent != nullptr, P::Content, d)) {
    case Source::Inherit:
      s.content = ps.content;
      s.content_none = ps.content_none;
      s.content_normal = ps.content_normal;
      break;
    case Source::Initial:
      s.content.clear();
      s.content_none = s.content_normal = true;
      break;
    case Source::Declared:
      s.content = d->value.content;
      s.content_none = d->value.kind != Value::Kind::Content;
      s.content_normal = s.content_none && d->value.keyword == kw::kContentNormal;
      break;
  }
  for (auto [id, field] : {std::pair{P::CounterReset, &ComputedStyle::counter_reset},
                           std::pair{P::CounterIncrement, &ComputedStyle::counter_increment},
                           std::pair{P::CounterSet, &ComputedStyle::counter_set}}) {
    switch (source(w, parent != nullptr, id, d)) {
      case Source::Inherit: s.*field = ps.*field; break;
      case Source::Initial: (s.*field).clear(); break;
      case Source::Declared: s.*field = d->value.counters; break;
    }
  }
  switch (source(w, parent != nullptr, P::Quotes, d)) {
    case Source::Inherit: s.quotes = ps.quotes; break;
    case Source::Initial: s.quotes.clear(); break;
    case Source::Declared: s.quotes = d->value.families; break;
  }
  switch (source(w, parent != nullptr, P::InitialLetter, d)) {
    case Source::Inherit:
      s.initial_letter = ps.initial_letter;
      s.initial_letter_sink = ps.initial_letter_sink;
      break;
    case Source::Initial:
      s.initial_letter = 0;
      s.initial_letter_sink = 0;
      break;
    case Source::Declared: {
      const std::vector<double>& n = d->value.numbers;
      s.initial_letter = n.empty() ? 0 : n[0];
      // CSS Inline 3 §7.2: the sink defaults to the size rounded down (a drop cap).
      s.initial_letter_sink = n.size() > 1 ? static_cast<int>(n[1])
                                            : static_cast<int>(s.initial_letter);
      break;
    }
  }
}

}  // namespace trang::style::cascade
