// Hyphenation dictionaries (libhyphen, Liang's patterns as packaged by Debian's hyphen-*).
#include <hyphen.h>

#include <algorithm>
#include <filesystem>

#include "text/internal.h"

namespace trang::text {

void HyphenDictDeleter::operator()(_HyphenDict* d) const { hnj_hyphen_free(d); }

namespace {

// Where Debian installs hyphenation patterns (hyphen-en-us, hyphen-de, ...).
constexpr const char* kHyphenDir = "/usr/share/hyphen";

std::string find_dictionary(const std::string& language) {
  namespace fs = std::filesystem;
  std::string tag = language;
  for (char& c : tag) if (c == '-') c = '_';
  std::string ll = tag.substr(0, tag.find('_'));
  if (ll.empty() || ll == "vi") return {};  // Vietnamese syllables are never hyphenated
  std::vector<std::string> candidates = {"hyph_" + tag + ".dic", "hyph_" + ll + ".dic"};
  for (const std::string& c : candidates) {
    fs::path p = fs::path(kHyphenDir) / c;
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p.string();
  }
  // Any regional variant: hyph_en_US.dic for "en".
  std::error_code ec;
  std::vector<std::string> found;
  for (const auto& e : fs::directory_iterator(kHyphenDir, ec)) {
    std::string name = e.path().filename().string();
    if (name.rfind("hyph_" + ll + "_", 0) == 0 && name.size() > 4 &&
        name.compare(name.size() - 4, 4, ".dic") == 0)
      found.push_back(e.path().string());
  }
  std::sort(found.begin(), found.end());  // stable choice, whatever the directory order
  return found.empty() ? std::string() : found.front();
}

}  // namespace

_HyphenDict* hyphen_dictionary(FontCache::Impl& cache, const std::string& language) {
  if (cache.frozen) {
    auto b = cache.borrowed_hyphen_dicts.find(language);
    if (b != cache.borrowed_hyphen_dicts.end()) return b->second;
    cache.frozen_miss = true;
    return nullptr;
  }
  auto it = cache.hyphen_dicts.find(language);
  if (it != cache.hyphen_dicts.end()) return it->second.get();
  HyphenDictPtr dict;
  std::string path = find_dictionary(language);
  if (!path.empty()) dict.reset(hnj_hyphen_load(path.c_str()));
  return cache.hyphen_dicts.emplace(language, std::move(dict)).first->second.get();
}

}  // namespace trang::text
