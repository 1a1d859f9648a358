// Every longhand property, one row each: the one place that says what a property is.
// PropertyId, the table properties.cpp validates against, the cascade's generic part and the
// check of docs/stylesheets.md (tests/unit/style/property_table_test.cpp) all follow from it.
// Private to the style stage.
//
// X(Id, "name", inherited, where, "initial", "hint", how)
//   inherited  CSS's "Inherited" line of the property's definition
//   where      Element (style rules), Page (@page) or MarginBox (@top-center and the like)
//   initial    the initial value as CSS writes it (docs/stylesheets.md shows it)
//   hint       the value grammar, as the hint of an invalid value
//   how        how a value is parsed and computed:
//     custom()                  by hand: parse_longhand (properties.cpp), compute (cascade.cpp)
//     keywords<&ComputedStyle::field>({{"kw", value}, ...}, {"unsupported kw", ...})
//                               one keyword into a field; `initial` names the initial keyword;
//                               CSS keywords trang lacks are warned about, not unknown
//     features({{"kw", "OpenType features"}, ...})
//                               one keyword giving HarfBuzz features ("subs", "liga=0"), added
//                               after font-variant-caps and before font-feature-settings
#pragma once

// clang-format off
#define TRANG_LONGHANDS(X) \
  X(Display, "display", false, Element, "block", \
    "expected block, inline or none", custom()) \
  X(FontFamily, "font-family", true, Element, "\"Noto Serif\"", \
    "expected a comma-separated list of family names, e.g. \"Noto Serif\", serif", custom()) \
  X(FontSize, "font-size", true, Element, "medium", \
    "expected a length (9.5pt, 3.5mm, 1.2em), a percentage, or xx-small, x-small, small, " \
    "medium, large, x-large, xx-large, xxx-large, smaller, larger", custom()) \
  X(FontWeight, "font-weight", true, Element, "normal", \
    "expected normal, bold, bolder, lighter or a number from 1 to 1000", custom()) \
  X(FontStyle, "font-style", true, Element, "normal", \
    "expected normal, italic or oblique", custom()) \
  X(LineHeight, "line-height", true, Element, "normal", \
    "expected normal, a number (1.3), a length (12.5pt) or a percentage", custom()) \
  X(Color, "color", true, Element, "black", kExpectedColor, custom()) \
  X(TextAlign, "text-align", true, Element, "left", \
    "expected left, right, center, justify, start or end", \
    /* CSS Text 3 §6.1. start/end are left/right: articles are set left to right. */ \
    keywords<&ComputedStyle::text_align>({{"left", TextAlign::Left}, \
        {"right", TextAlign::Right}, {"center", TextAlign::Center}, \
        {"justify", TextAlign::Justify}, {"start", TextAlign::Left}, \
        {"end", TextAlign::Right}})) \
  X(TextTransform, "text-transform", true, Element, "none", \
    "expected none, uppercase or lowercase", \
    keywords<&ComputedStyle::text_transform>({{"none", TextTransform::None}, \
        {"uppercase", TextTransform::Uppercase}, {"lowercase", TextTransform::Lowercase}}, \
        {"capitalize", "full-width"})) \
  X(TextIndent, "text-indent", true, Element, "0", kExpectedLength, custom()) \
  X(LetterSpacing, "letter-spacing", true, Element, "normal", \
    "expected normal or a length such as 0.05em or 0.5pt", custom()) \
  X(MarginTop, "margin-top", false, Element, "0", kExpectedLength, custom()) \
  X(MarginRight, "margin-right", false, Element, "0", kExpectedLength, custom()) \
  X(MarginBottom, "margin-bottom", false, Element, "0", kExpectedLength, custom()) \
  X(MarginLeft, "margin-left", false, Element, "0", kExpectedLength, custom()) \
  X(ColumnSpan, "column-span", false, Element, "none", "expected none or all", custom()) \
  X(ColumnCount, "column-count", false, Element, "auto", \
    "expected auto or a whole number from 1 to 20", custom()) \
  X(ColumnGap, "column-gap", false, Element, "normal", \
    "expected normal or a length such as 5mm", custom()) \
  X(ColumnRuleWidth, "column-rule-width", false, Element, "medium", kExpectedWidth, custom()) \
  X(ColumnRuleStyle, "column-rule-style", false, Element, "none", kExpectedStyle, custom()) \
  X(ColumnRuleColor, "column-rule-color", false, Element, "currentcolor", kExpectedColor, \
    custom()) \
  X(Size, "size", false, Page, "auto", \
    "expected A5, A4, A3, B5, B4, JIS-B5, JIS-B4, letter, legal, ledger or tabloid, " \
    "optionally with portrait or landscape; or a width and a height such as 210mm 297mm", \
    custom()) \
  X(FontFeatureSettings, "font-feature-settings", true, Element, "normal", \
    "expected normal or a comma-separated list of quoted four-letter OpenType feature tags, " \
    "each optionally followed by on, off or a number: \"smcp\", \"liga\" off", custom()) \
  X(FontVariantCaps, "font-variant-caps", true, Element, "normal", \
    "expected normal, small-caps, all-small-caps, petite-caps, all-petite-caps, unicase or " \
    "titling-caps", custom()) \
  X(FontVariantPosition, "font-variant-position", true, Element, "normal", \
    "expected normal, sub or super", \
    features({{"normal", ""}, {"sub", "subs"}, {"super", "sups"}})) \
  X(WordSpacing, "word-spacing", true, Element, "normal", \
    "expected normal or a length such as 0.1em or 1pt", custom()) \
  X(TextAlignLast, "text-align-last", true, Element, "auto", \
    "expected auto, left, right, center, justify, start or end", \
    keywords<&ComputedStyle::text_align_last>({{"auto", TextAlignLast::Auto}, \
        {"left", TextAlignLast::Left}, {"right", TextAlignLast::Right}, \
        {"center", TextAlignLast::Center}, {"justify", TextAlignLast::Justify}, \
        {"start", TextAlignLast::Left}, {"end", TextAlignLast::Right}})) \
  X(Hyphens, "hyphens", true, Element, "manual", "expected none, manual or auto", \
    keywords<&ComputedStyle::hyphens>({{"none", Hyphens::None}, \
        {"manual", Hyphens::Manual}, {"auto", Hyphens::Auto}})) \
  X(HyphenateLimitChars, "hyphenate-limit-chars", true, Element, "auto", \
    "expected one to three whole numbers or auto: word length, characters before and after " \
    "the hyphen (6 3 2)", custom()) \
  X(HyphenateLimitLines, "hyphenate-limit-lines", true, Element, "2", \
    "expected no-limit or a whole number of 1 or more", custom()) \
  X(Widows, "widows", true, Element, "2", "expected a whole number of 1 or more", custom()) \
  X(Orphans, "orphans", true, Element, "2", "expected a whole number of 1 or more", custom()) \
  X(BreakBefore, "break-before", false, Element, "auto", kExpectedBreak, \
    keywords<&ComputedStyle::break_before>(kBreakKeywords)) \
  X(BreakAfter, "break-after", false, Element, "auto", kExpectedBreak, \
    keywords<&ComputedStyle::break_after>(kBreakKeywords)) \
  X(BreakInside, "break-inside", false, Element, "auto", \
    "expected auto, avoid, avoid-page or avoid-column", \
    keywords<&ComputedStyle::break_inside>({{"auto", BreakValue::Auto}, \
        {"avoid", BreakValue::Avoid}, {"avoid-page", BreakValue::Avoid}, \
        {"avoid-column", BreakValue::Avoid}})) \
  X(ColumnFill, "column-fill", false, Element, "balance", "expected balance or auto", \
    custom()) \
  X(TrangLineBreaking, "-trang-line-breaking", true, Element, "total-fit", \
    "expected total-fit or greedy", \
    keywords<&ComputedStyle::line_breaking>({{"total-fit", LineBreaking::TotalFit}, \
        {"greedy", LineBreaking::Greedy}})) \
  X(TrangProtrusion, "-trang-protrusion", true, Element, "none", "expected auto or none", \
    keywords<&ComputedStyle::protrusion>({{"none", false}, {"auto", true}})) \
  X(TrangFontExpansion, "-trang-font-expansion", true, Element, "auto", \
    "expected none, auto (2%) or a percentage up to 5% such as 1.5%", custom()) \
  X(TrangRuntCost, "-trang-runt-cost", true, Element, "auto", \
    "expected none, auto (100%) or a percentage up to 1000% such as 50%", custom()) \
  X(TrangRuntWidth, "-trang-runt-width", true, Element, "20%", \
    "expected a percentage of the measure from 0% to 100% such as 20%", custom()) \
  X(TrangStackCost, "-trang-stack-cost", true, Element, "auto", \
    "expected none, auto (100%) or a percentage up to 1000% such as 50%", custom()) \
  X(TrangDiacriticClearance, "-trang-diacritic-clearance", true, Element, "auto", \
    "expected auto or warn", \
    keywords<&ComputedStyle::clear_diacritics>({{"warn", false}, {"auto", true}})) \
  /* CSS Color 4 §14.1. Painted as each of the element's items at that alpha, not as one \
     group: where its own items overlap (text on its background) the lower one shows. */ \
  X(Opacity, "opacity", false, Element, "1", \
    "expected a number from 0 to 1 or a percentage, such as 0.5 or 50%", custom()) \
  X(BackgroundColor, "background-color", false, Element, "transparent", \
    "expected transparent or a colour", custom()) \
  X(BorderTopWidth, "border-top-width", false, Element, "medium", kExpectedWidth, custom()) \
  X(BorderRightWidth, "border-right-width", false, Element, "medium", kExpectedWidth, \
    custom()) \
  X(BorderBottomWidth, "border-bottom-width", false, Element, "medium", kExpectedWidth, \
    custom()) \
  X(BorderLeftWidth, "border-left-width", false, Element, "medium", kExpectedWidth, custom()) \
  X(BorderTopStyle, "border-top-style", false, Element, "none", kExpectedStyle, custom()) \
  X(BorderRightStyle, "border-right-style", false, Element, "none", kExpectedStyle, custom()) \
  X(BorderBottomStyle, "border-bottom-style", false, Element, "none", kExpectedStyle, \
    custom()) \
  X(BorderLeftStyle, "border-left-style", false, Element, "none", kExpectedStyle, custom()) \
  X(BorderTopColor, "border-top-color", false, Element, "currentcolor", kExpectedColor, \
    custom()) \
  X(BorderRightColor, "border-right-color", false, Element, "currentcolor", kExpectedColor, \
    custom()) \
  X(BorderBottomColor, "border-bottom-color", false, Element, "currentcolor", \
    kExpectedColor, custom()) \
  X(BorderLeftColor, "border-left-color", false, Element, "currentcolor", kExpectedColor, \
    custom()) \
  X(PaddingTop, "padding-top", false, Element, "0", kExpectedPadding, custom()) \
  X(PaddingRight, "padding-right", false, Element, "0", kExpectedPadding, custom()) \
  X(PaddingBottom, "padding-bottom", false, Element, "0", kExpectedPadding, custom()) \
  X(PaddingLeft, "padding-left", false, Element, "0", kExpectedPadding, custom()) \
  X(Width, "width", false, Element, "auto", \
    "expected auto, a length (40mm) or a percentage of the column or spanned columns (60%)", \
    custom()) \
  X(MaxWidth, "max-width", false, Element, "none", \
    "expected none, a length (40mm) or a percentage of the column or spanned columns (100%)", \
    custom()) \
  X(Float, "float", false, Element, "none", \
    "expected none, top or bottom (figures), or left (::first-letter)", custom()) \
  X(TrangBleed, "-trang-bleed", false, Element, "none", \
    "expected none, all, or any of left, right, top and bottom", custom()) \
  /* A picture's box always takes the picture's proportions, unless it must be shorter to \
     fit: then cover crops it, the others scale it down. `none` would print the pixels at \
     their own size, which a print page has no use for. */ \
  X(ObjectFit, "object-fit", false, Element, "contain", \
    "expected contain, cover, fill or scale-down", \
    keywords<&ComputedStyle::object_fit>({{"contain", ObjectFit::Contain}, \
        {"fill", ObjectFit::Contain}, {"scale-down", ObjectFit::Contain}, \
        {"cover", ObjectFit::Cover}}, {"none"})) \
  X(ObjectPosition, "object-position", false, Element, "50% 50%", \
    "expected one or two of left, center, right, top, bottom and percentages (50% 30%)", \
    custom()) \
  X(StringSet, "string-set", false, Element, "none", \
    "expected none or a name followed by strings, content(text) or attr(name), e.g. " \
    "section content(text)", custom()) \
  X(Content, "content", false, Element, "normal", \
    "expected none, normal, or strings, counter(name), counters(name, \".\"), attr(name), " \
    "open-quote and close-quote; in margin boxes counter(page), counter(pages) and " \
    "string(name)", custom()) \
  X(CounterReset, "counter-reset", false, Element, "none", \
    "expected none or counter names, each optionally followed by a whole number (sec 0)", \
    custom()) \
  X(CounterIncrement, "counter-increment", false, Element, "none", \
    "expected none or counter names, each optionally followed by a whole number (sec 1)", \
    custom()) \
  X(CounterSet, "counter-set", false, Element, "none", \
    "expected none or counter names, each optionally followed by a whole number (sec 5)", \
    custom()) \
  X(ListStyleType, "list-style-type", true, Element, "disc", \
    "expected disc, circle, square, decimal, lower-roman, upper-roman, lower-alpha, " \
    "upper-alpha or none", \
    keywords<&ComputedStyle::list_style_type>({{"disc", CounterStyle::Disc}, \
        {"circle", CounterStyle::Circle}, {"square", CounterStyle::Square}, \
        {"decimal", CounterStyle::Decimal}, {"lower-roman", CounterStyle::LowerRoman}, \
        {"upper-roman", CounterStyle::UpperRoman}, {"lower-alpha", CounterStyle::LowerAlpha}, \
        {"upper-alpha", CounterStyle::UpperAlpha}, {"lower-latin", CounterStyle::LowerAlpha}, \
        {"upper-latin", CounterStyle::UpperAlpha}, {"none", CounterStyle::None}}, \
        {"decimal-leading-zero", "lower-greek", "armenian", "georgian"})) \
  X(Quotes, "quotes", true, Element, "auto", \
    "expected auto, none, or pairs of strings: open and close quote by depth (\"“\" \"”\")", \
    custom()) \
  X(InitialLetter, "initial-letter", false, Element, "normal", \
    "expected normal, or a size in lines (3) optionally followed by a sink (3 2)", custom()) \
  /* CSS Text 4 §5.1 (text-wrap as the shorthand of text-wrap-mode and -style, one value). \
     `pretty` asks for what total fit already does for every paragraph; `stable` only \
     matters to editors. Not wrapping at all is not supported. */ \
  X(TextWrap, "text-wrap", true, Element, "wrap", \
    "expected wrap or balance (also auto, pretty and stable, which are wrap here)", \
    keywords<&ComputedStyle::text_wrap>({{"wrap", TextWrap::Wrap}, \
        {"auto", TextWrap::Wrap}, {"pretty", TextWrap::Wrap}, {"stable", TextWrap::Wrap}, \
        {"balance", TextWrap::Balance}}, {"nowrap", "avoid-orphans"})) \
  X(TrangMinLines, "-trang-min-lines", true, Element, "3", \
    "expected a whole number of 1 or more", custom()) \
  X(Bleed, "bleed", false, Page, "auto", "expected auto or a length such as 3mm", custom()) \
  X(Marks, "marks", false, Page, "none", "expected none, or crop, cross or both", custom()) \
  X(TrangBaselineGrid, "-trang-baseline-grid", false, Page, "none", \
    "expected none or a length such as 12.5pt", custom())
// clang-format on
